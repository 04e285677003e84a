import { randomUUID } from 'node:crypto';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  contractsByType,
  OPERATIONS_EVENT_CONTRACTS,
  PERSON_ERASED,
  Topics,
  validateCloudEvent,
  type CloudEvent,
  type PersonErasedV1,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';

const OPERATIONS_CONTRACTS = contractsByType(OPERATIONS_EVENT_CONTRACTS);

/**
 * person.erased on ops.events.v1, keyed and subjected by the person: who erased them, why (a code),
 * through which channel and when. Checked by its contract before it is queued, like every event.
 */
export function personErasedMessage(data: PersonErasedV1): OutgoingMessage {
  const id = randomUUID();
  const value: CloudEvent = {
    specversion: '1.0',
    id,
    source: 'ruta/intake-gateway',
    type: PERSON_ERASED,
    subject: data.personId,
    time: data.erasedAt,
    datacontenttype: 'application/json',
    data,
  };
  const checked = validateCloudEvent(value, OPERATIONS_CONTRACTS);
  if (!checked.ok) {
    throw new Error(`person.erased refused by its contract: ${checked.errors.map((e) => e.field).join(', ')}`);
  }
  return {
    topic: Topics.operations,
    key: data.personId,
    value,
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: id, ce_type: PERSON_ERASED },
  };
}
