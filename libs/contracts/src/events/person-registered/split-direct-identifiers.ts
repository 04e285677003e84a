import type { CloudEvent } from '../../envelope/cloud-event';
import type { DirectIdentifiersV1 } from './direct-identifiers.v1';

/**
 * Splits the direct identifiers off a submitted event: a copy of the event without
 * `data.identifiers` (fit to publish) and the identifiers, if any. Pure: the input is left as is.
 */
export function splitDirectIdentifiers(event: CloudEvent): { event: CloudEvent; identifiers?: DirectIdentifiersV1 } {
  const data = event.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('identifiers' in data)) {
    return { event: { ...event } };
  }
  const { identifiers, ...rest } = data as { identifiers?: DirectIdentifiersV1 } & Record<string, unknown>;
  const copy = { ...event, data: rest };
  return identifiers === undefined ? { event: copy } : { event: copy, identifiers: { ...identifiers } };
}
