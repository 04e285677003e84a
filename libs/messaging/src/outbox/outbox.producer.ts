import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * The producer the relay publishes with. kafkajs's idempotent producer needs acks -1, one request
 * in flight and unbounded retries; the relay's own loop backs off around it. The default
 * partitioner hashes the key (person id).
 */
export function createOutboxProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
  });
}
