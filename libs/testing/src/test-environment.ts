import { Kafka, logLevel } from 'kafkajs';
import { createTestDatabase, testKafkaNamespace } from './test-database';

export interface TestEnvironment {
  /** Prefix of this file's topics and consumer groups. */
  namespace: string;
  databaseUrl: string;
  /** A client of the test broker, for producing and reading directly. */
  kafka: Kafka;
  /** Drops the database and deletes the namespace's topics. */
  teardown: () => Promise<void>;
}

/**
 * A database and a Kafka namespace of this test file's own, set in DATABASE_URL and
 * RUTA_KAFKA_NAMESPACE so the services started afterwards use them.
 */
export async function createTestEnvironment(label: string): Promise<TestEnvironment> {
  const database = await createTestDatabase(label);
  const namespace = testKafkaNamespace(label);
  process.env.DATABASE_URL = database.url;
  process.env.RUTA_KAFKA_NAMESPACE = namespace;
  const kafka = new Kafka({
    clientId: `test-${label}`,
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  });
  return {
    namespace,
    databaseUrl: database.url,
    kafka,
    teardown: async () => {
      await database.drop();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(namespace)) });
      } finally {
        await admin.disconnect();
      }
    },
  };
}
