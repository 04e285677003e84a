import type { CloudEvent } from '@ruta/contracts';

/**
 * The gateway's per-person sequence of an event (CloudEvents `sequence`, 20 zero-padded digits),
 * or undefined for an event published before the gateway stamped one.
 */
export function sequenceOf(event: CloudEvent): number | undefined {
  const raw = (event as { sequence?: unknown }).sequence;
  if (typeof raw !== 'string' || !/^\d{1,20}$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An event's place for a person: its sequence, or, without one, just after everything folded. */
export function placeOf(event: CloudEvent, lastSeq: number): number {
  return sequenceOf(event) ?? lastSeq + 1;
}
