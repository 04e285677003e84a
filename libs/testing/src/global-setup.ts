import { resolveInfrastructure } from './infrastructure';

/** Runs once before the integration and e2e tiers; workers inherit the environment it sets. */
export default async function globalSetup(): Promise<void> {
  const infrastructure = await resolveInfrastructure();
  process.env.KAFKA_BROKERS = infrastructure.brokers;
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  (globalThis as { __rutaContainers?: unknown }).__rutaContainers = infrastructure.containers;
}
