import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { MessagingConfig, readConfig } from '@ruta/platform';

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

/**
 * Creates the topics if they are missing; a no-op when they exist. Services starting together race
 * to create the same topics: a loser's error is retried until every topic is there with a leader.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = defaultPartitions()) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length === 0) {
        // Listed is not yet led: wait until each topic's partitions have a leader.
        const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } else {
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions })),
          });
          continue;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
      if (attempt >= 10) throw new Error(`topics without a leader after ${attempt} attempts: ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
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
 * files) can share one cluster without reading each other's events. Empty by default; a "."
 * separates it from the name when it does not end with one (`accept` gives `accept.intake.events.v1`).
 */
export function kafkaNamespace(raw = process.env.RUTA_KAFKA_NAMESPACE): string {
  const namespace = readConfig(MessagingConfig, { RUTA_KAFKA_NAMESPACE: raw }).RUTA_KAFKA_NAMESPACE ?? '';
  return namespace === '' || namespace.endsWith('.') ? namespace : `${namespace}.`;
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
