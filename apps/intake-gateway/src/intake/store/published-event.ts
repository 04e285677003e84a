import { formatSequence, type CloudEvent } from '@ruta/contracts';
import { INTAKE_CONTRACTS } from '../intake.constants';

/**
 * The event as intake.events.v1 carries it: `time` set (the moment of acceptance when the sender
 * left it out), the data time set (the event's `time` when left out), and the gateway's
 * per-person `sequence` as 20 zero-padded digits. Pure: the submitted event is left as it was.
 */
export function publishedEvent(submitted: CloudEvent, acceptedAt: Date, sequence: string | number): CloudEvent {
  const time = submitted.time ?? acceptedAt.toISOString();
  const timeField = INTAKE_CONTRACTS.get(submitted.type)?.timeField;
  const data = submitted.data as Record<string, unknown>;
  const filled = timeField && data[timeField] === undefined ? { ...data, [timeField]: time } : data;
  return { ...submitted, time, sequence: formatSequence(sequence), data: filled };
}
