import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';

/** KAFKA_BROKERS (comma separated), or the local broker started by scripts/kafka.sh. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

export function createKafka(clientId: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
    ...overrides,
  });
}

/** Creates the topics if they are missing; a no-op when they exist. */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = defaultPartitions()) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
    }
  } finally {
    await admin.disconnect();
  }
}

function defaultPartitions(): number {
  return Number(process.env.KAFKA_PARTITIONS ?? 3);
}

/**
 * RUTA_KAFKA_NAMESPACE prefixes every topic and consumer group, so several environments (or test
 * files) can share one cluster without reading each other's events. Empty by default.
 */
export function kafkaNamespace(): string {
  return process.env.RUTA_KAFKA_NAMESPACE ?? '';
}

/** kafkajs logs through the service's logger (structured, one stream), never its own console. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, error } = log;
    const line = error ? `${message}: ${String(error)}` : message;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.log(line);
  };
};
