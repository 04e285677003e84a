import { KafkaJSError, KafkaJSProtocolError, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';

/** The broker's answers that mean "never this message", however often it is sent again. */
const REFUSED_FOR_GOOD = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
  'POLICY_VIOLATION',
  'TOPIC_AUTHORIZATION_FAILED',
]);

/** Kafka could not be reached or did not answer in time: nothing is wrong with the dead letters. */
export class RedriveUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Kafka unavailable during the redrive: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'RedriveUnavailableError';
  }
}

/**
 * Sends originals back one message per request: a message the broker took once fits alone, while
 * two large ones of one key in one request can exceed its limit and fail together, for ever.
 */
export class RedriveSender {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends one message; answers the broker's reason when it refuses it for good, else nothing. */
  async send(topic: string, message: Message): Promise<string | undefined> {
    try {
      await this.producer.send({ topic, acks: -1, messages: [message] });
      return undefined;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) return refusal;
      throw error;
    }
  }
}

/** The protocol error type of a refusal for good, looked for through kafkajs's wrapping. */
export function refusalOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof KafkaJSProtocolError && REFUSED_FOR_GOOD.has(e.type)) return e.type;
    const nested = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) {
      const found = nested.map(refusalOf).find(Boolean);
      if (found) return found;
    }
  }
  return undefined;
}

/** Errors from talking to Kafka (and the reader's time-out) are an outage, not a fault of the data. */
export function isKafkaUnavailable(error: unknown): boolean {
  return error instanceof KafkaJSError || (error instanceof Error && error.name === 'RedriveReadTimeout');
}
