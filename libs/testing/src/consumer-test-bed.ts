import type { Kafka, Producer } from 'kafkajs';
import { addOutboxLanes, createInboxTable, createOutboxTable, createParkedMessagesTable } from '@ruta/messaging';
import { createServiceDataSource, migrateSchema } from '@ruta/persistence';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from './test-environment';

/** What a BatchConsumer test needs: its database schema, namespace, broker client and a producer. */
export interface ConsumerTestBed {
  environment: TestEnvironment;
  namespace: string;
  kafka: Kafka;
  producer: Producer;
  dataSource: DataSource;
  teardown: () => Promise<void>;
}

/**
 * A schema with the tables every consumer has (outbox with lanes, inbox, parked messages) and the
 * test's own (`ownTables`), on a database and Kafka namespace of the test file's own.
 */
export async function createConsumerTestBed(
  label: string,
  schema: string,
  ownTables: (runner: QueryRunner) => Promise<void>,
): Promise<ConsumerTestBed> {
  const environment = await createTestEnvironment(label);
  const migration = class ConsumerTestBed1764400000009 implements MigrationInterface {
    async up(runner: QueryRunner): Promise<void> {
      await createOutboxTable(runner, schema);
      await addOutboxLanes(runner, schema);
      await createInboxTable(runner, schema);
      await createParkedMessagesTable(runner, schema);
      await ownTables(runner);
    }
    async down(): Promise<void> {}
  };
  const dataSource = await createServiceDataSource({
    schema,
    applicationName: `${label}-test`,
    migrations: [migration],
    url: environment.databaseUrl,
  }).initialize();
  await migrateSchema(dataSource, schema);
  const producer = environment.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    environment,
    namespace: environment.namespace,
    kafka: environment.kafka,
    producer,
    dataSource,
    teardown: async () => {
      await producer.disconnect();
      await dataSource.destroy();
      await environment.teardown();
    },
  };
}
