import type { CloudEvent } from '@ruta/contracts';
import type { ConsumedMessage } from '@ruta/messaging';
import type { LogEntry } from '../merkle';

/** An event to append, before the log gives it a position and a time. */
export type Arrival = Omit<LogEntry, 'position' | 'appendedAt'> & {
  /** Indexed for the auditor's queries: the referral, service point and sector the event names, if any. */
  referralId: string | null;
  servicePointId: string | null;
  sector: string | null;
};

const stringField = (data: unknown, field: string): string | null => {
  const value = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : null;
};

/**
 * What the log keeps of a consumed, validated event. The actor is who acted (`data.actor` on
 * casework and overrides), else the system that spoke (`source`: a station, a sector's routing).
 */
export function arrivalOf(message: ConsumedMessage, event: CloudEvent): Arrival {
  return {
    eventId: event.id,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    type: event.type,
    subject: event.subject,
    actor: stringField(event.data, 'actor') ?? event.source,
    eventTime: event.time ? new Date(event.time).toISOString() : null,
    bytes: message.bytes ?? Buffer.from(message.value ?? '', 'utf8'),
    referralId: stringField(event.data, 'referralId'),
    servicePointId: stringField(event.data, 'servicePointId'),
    sector: stringField(event.data, 'sector'),
  };
}
