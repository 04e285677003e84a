import { isWellFormedEventId, type FieldError } from '@ruta/contracts';
import type { OutgoingMessage } from '../outbox/outbox.writer';

/** Suffix of the dead-letter topic of a topic: `intake.events.v1` -> `intake.events.v1.dlq`. */
export const DLQ_SUFFIX = '.dlq';

export function deadLetterTopic(topic: string): string {
  return topic + DLQ_SUFFIX;
}

/** Header a redriven message carries: only the consumer group named in it acts on the copy. */
export const REDRIVE_FOR_HEADER = 'ruta-redrive-for';
/** Header naming the dead letter a redriven message came from (topic/partition/offset). */
export const REDRIVEN_FROM_HEADER = 'ruta-redriven-from';

export const DeadLetterHeaders = {
  sourceTopic: 'ruta-dlq-source-topic',
  sourcePartition: 'ruta-dlq-source-partition',
  sourceOffset: 'ruta-dlq-source-offset',
  group: 'ruta-dlq-group',
  errorCode: 'ruta-dlq-error-code',
  failedAt: 'ruta-dlq-failed-at',
  eventId: 'ruta-dlq-event-id',
} as const;

/** A consumed message that can never be applied, and why. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  code: string;
  errors: FieldError[];
  /** The event's own id, when the message held a well-formed one: lets the sender match its event. */
  eventId?: string;
}

/**
 * The dead-letter record: where the message is and what was wrong with it, never what it said
 * (it may hold personal data). The redrive reads the original back from its source position.
 */
export interface DeadLetterRecord {
  /** The physical topic, namespace included (RUTA_KAFKA_NAMESPACE), as the sender produced to it. */
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  group: string;
  errorCode: string;
  fields: string[];
  failedAt: string;
  /** The CloudEvents id of the message, when it had a well-formed one (ids are not personal data). */
  eventId?: string;
}

const FIELD_PATH = /^[A-Za-z0-9_.-]{0,128}$/;

/**
 * A field path safe to put in a dead-letter record or a log line: contract paths pass; the name of
 * a field the contract does not know came from the sender and is masked (it could be anything, a
 * name included), as is any path that does not look like a schema path.
 */
export function safeFieldPath(error: FieldError): string {
  if (error.unknown) {
    const parent = error.field.slice(0, Math.max(error.field.lastIndexOf('.'), 0));
    return parent && FIELD_PATH.test(parent) ? `${parent}.(unknown field)` : '(unknown field)';
  }
  return FIELD_PATH.test(error.field) ? error.field : '(unrecognised field)';
}

/**
 * The dead-letter message for `letter`, failed by consumer group `group`. `letter.topic` is the
 * logical topic; the record names the physical one (`namespace` + topic), as the sender knows it.
 */
export function toDeadLetterMessage(
  letter: DeadLetter,
  group: string,
  { namespace = '', now = new Date() }: { namespace?: string; now?: Date } = {},
): OutgoingMessage {
  const eventId = isWellFormedEventId(letter.eventId) ? letter.eventId : undefined;
  const record: DeadLetterRecord = {
    sourceTopic: namespace + letter.topic,
    sourcePartition: letter.partition,
    sourceOffset: letter.offset,
    group,
    errorCode: letter.code,
    fields: [...new Set(letter.errors.map(safeFieldPath))],
    failedAt: now.toISOString(),
    ...(eventId ? { eventId } : {}),
  };
  return {
    topic: deadLetterTopic(letter.topic),
    key: `${letter.topic}/${letter.partition}/${letter.offset}`,
    value: record,
    headers: {
      [DeadLetterHeaders.sourceTopic]: record.sourceTopic,
      [DeadLetterHeaders.sourcePartition]: String(record.sourcePartition),
      [DeadLetterHeaders.sourceOffset]: record.sourceOffset,
      [DeadLetterHeaders.group]: group,
      [DeadLetterHeaders.errorCode]: record.errorCode,
      [DeadLetterHeaders.failedAt]: record.failedAt,
      ...(eventId ? { [DeadLetterHeaders.eventId]: eventId } : {}),
    },
  };
}
