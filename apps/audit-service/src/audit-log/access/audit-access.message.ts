import { randomUUID } from 'node:crypto';
import {
  AUDIT_ACCESSED,
  AUDIT_READS_SUBJECT,
  Topics,
  type AuditAccessedV1,
  type AuditAccessParametersV1,
  type CloudEvent,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';

/** One auditor's call, as the router and the validated request give it. */
export interface AuditCall {
  /** The token's subject. */
  actor: string;
  /** Method and route template, e.g. `GET /v1/audit/referrals/:referralId/state`. */
  route: string;
  /** The path and query parameters as sent (strings only; the route has validated them). */
  parameters: Record<string, unknown>;
  status: number;
}

/** Parameters naming whom or what a read was about: they go to the indexed fields of the event. */
const NAMED = { personId: 'personId', subject: 'personId', referralId: 'referralId', servicePointId: 'servicePointId' };
/** The other parameters the contract keeps; any other name (never reached: routes refuse unknown fields) is dropped. */
const KEPT: readonly (keyof AuditAccessParametersV1)[] = [
  'from',
  'to',
  'asOf',
  'after',
  'limit',
  'treeSize',
  'includeAccesses',
  'eventId',
];

/**
 * The audit.accessed event of a call, on audit.accesses.v1, keyed by its subject: the person the
 * call names, else AUDIT_READS_SUBJECT. Only the parameters' names the contract knows travel.
 */
export function auditAccessMessage(call: AuditCall, now: Date): OutgoingMessage {
  const named: Partial<Record<'personId' | 'referralId' | 'servicePointId', string>> = {};
  const parameters: AuditAccessParametersV1 = {};
  for (const [name, value] of Object.entries(call.parameters)) {
    if (typeof value !== 'string') continue;
    if (Object.hasOwn(NAMED, name)) named[NAMED[name as keyof typeof NAMED] as keyof typeof named] = value;
    else if ((KEPT as readonly string[]).includes(name)) parameters[name as keyof AuditAccessParametersV1] = value;
  }
  const at = now.toISOString();
  const data: AuditAccessedV1 = {
    actor: call.actor,
    route: call.route,
    ...named,
    parameters,
    status: call.status,
    accessedAt: at,
  };
  const subject = named.personId ?? AUDIT_READS_SUBJECT;
  const id = randomUUID();
  const value: CloudEvent<AuditAccessedV1> = {
    specversion: '1.0',
    id,
    source: 'ruta/audit-service',
    type: AUDIT_ACCESSED,
    subject,
    time: at,
    datacontenttype: 'application/json',
    data,
  };
  return { topic: Topics.auditAccesses, key: subject, value, headers: { ce_id: id, ce_type: AUDIT_ACCESSED } };
}
