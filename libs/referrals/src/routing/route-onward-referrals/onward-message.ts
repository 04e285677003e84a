import {
  contractsByType,
  EVENT_JSON_LIMITS,
  parseBoundedJson,
  REFERRAL_EVENT_CONTRACTS,
  REFERRAL_REFERRED_ONWARD,
  type CloudEvent,
  type ReferralReferredOnwardV1,
  type Sector,
} from '@ruta/contracts';
import { parseCloudEvent, type ConsumedMessage, type DeadLetter } from '@ruta/messaging';

const ONWARD_CONTRACTS = contractsByType(REFERRAL_EVENT_CONTRACTS.filter((c) => c.type === REFERRAL_REFERRED_ONWARD));

/** What a sector's onward consumer does with one message of referrals.onward.v1. */
export type OnwardMessage =
  | { kind: 'ignore' }
  | { kind: 'dead-letter'; letter: DeadLetter }
  | { kind: 'route'; event: CloudEvent<ReferralReferredOnwardV1> };

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;

/**
 * Sectors publish each event's type as the ce_type header too (CloudEvents' Kafka binding): a
 * message of another type is acked without reading its JSON; one without the header is read in full.
 */
function mayBeOnwardReferral(message: ConsumedMessage): boolean {
  const headerType = message.headers?.ce_type;
  return headerType === undefined || String(headerType) === REFERRAL_REFERRED_ONWARD;
}

/**
 * Every sector's onward referrals pass by: only a referral.referred-onward addressed to `sector`
 * (from another sector) is routed. One of another type, or plainly addressed to another sector, is
 * acked and ignored; a message no one can read, or an onward referral for this sector that breaks
 * its contract, is dead-lettered like any consumer's.
 */
export function readOnwardMessage(message: ConsumedMessage, sector: Sector): OnwardMessage {
  if (!mayBeOnwardReferral(message)) return { kind: 'ignore' };
  const parsed = parseBoundedJson(message.value ?? '', EVENT_JSON_LIMITS);
  if (parsed.ok) {
    if (field(parsed.value, 'type') !== REFERRAL_REFERRED_ONWARD) return { kind: 'ignore' };
    const toSector = field(field(parsed.value, 'data'), 'toSector');
    if (typeof toSector === 'string' && toSector !== sector) return { kind: 'ignore' };
  }
  const read = parseCloudEvent(message, ONWARD_CONTRACTS);
  if (!read.ok) {
    const { topic, partition, offset } = message;
    const eventId = read.eventId ? { eventId: read.eventId } : {};
    return {
      kind: 'dead-letter',
      letter: { topic, partition, offset, code: read.code, errors: read.errors, ...eventId },
    };
  }
  const event = read.event as CloudEvent<ReferralReferredOnwardV1>;
  // A referral moving within its own sector is a transfer, never routed as onward.
  if (event.data.sector === sector) return { kind: 'ignore' };
  return { kind: 'route', event };
}
