import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { StartedTestContainer } from 'testcontainers';
import { dockerAvailable, startKafkaContainer, startPostgresContainer } from './containers';

export interface TestInfrastructure {
  brokers: string;
  databaseUrl: string;
  containers: StartedTestContainer[];
}

const HOW_TO_START = [
  'Integration and e2e tests need a real Kafka broker and PostgreSQL. Either:',
  '  - start the local broker: `npm run kafka -- start` (PostgreSQL on 127.0.0.1:5432), then',
  '    `KAFKA_BROKERS=127.0.0.1:9092 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test`;',
  '  - or run with a Docker engine, and testcontainers starts both.',
  '`npm test` (scripts/test.sh) does the first for you.',
].join('\n');

/**
 * KAFKA_BROKERS and DATABASE_URL when set; otherwise containers when a Docker engine answers;
 * otherwise a loud failure. Never a silent skip, never a mock.
 */
export async function resolveInfrastructure(): Promise<TestInfrastructure> {
  const containers: StartedTestContainer[] = [];
  let brokers = process.env.KAFKA_BROKERS;
  let databaseUrl = process.env.DATABASE_URL;
  if ((!brokers || !databaseUrl) && !(await dockerAvailable())) {
    throw new Error(
      `${!brokers ? 'KAFKA_BROKERS' : 'DATABASE_URL'} is not set and no Docker engine answers.\n${HOW_TO_START}`,
    );
  }
  if (!databaseUrl) {
    const pg = await startPostgresContainer();
    containers.push(pg.container);
    databaseUrl = pg.url;
  }
  if (!brokers) {
    const kafka = await startKafkaContainer();
    containers.push(kafka.container);
    brokers = kafka.brokers;
  }
  await assertReachable(brokers, databaseUrl);
  return { brokers, databaseUrl, containers };
}

async function assertReachable(brokers: string, databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at DATABASE_URL does not answer: ${(error as Error).message}\n${HOW_TO_START}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  const admin = new Kafka({
    clientId: 'ruta-tests',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(`Kafka at KAFKA_BROKERS=${brokers} does not answer: ${(error as Error).message}\n${HOW_TO_START}`, {
      cause: error,
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
