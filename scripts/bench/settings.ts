import path from 'node:path';

// Knobs (environment):
//   BENCH_EVENTS=50000          events in the throughput phase (about: the mix is whole households)
//   BENCH_CONCURRENCY=4         batch requests in flight
//   BENCH_BATCH_SIZE=500        events per batch request
//   BENCH_RATE=200              events/s offered in the latency phase
//   BENCH_LATENCY_SECONDS=30    length of the latency phase
//   BENCH_PERF_RECORDS=500000   records for Kafka's ProducerPerformance (0 skips the phase)
//   BENCH_STALL_SECONDS=60      fail when the pipeline makes no progress for this long
//   BENCH_PORT_BASE=3100        services listen on BASE..BASE+4 (kept off the dev ports 3000-3004)
//   BENCH_CPU_PROF=<apps>       comma-separated app names (or "all"): CPU profile of the throughput
//                               phase, written to .local/bench/<app>.cpuprofile and summarised
//   BENCH_KEEP_DB=1             keep the database (and the Kafka topics) for inspection
//   DATABASE_URL, KAFKA_BROKERS set by scripts/bench.sh

/** The repository root: scripts/bench.sh runs the bench from there. */
export const ROOT = process.cwd();
export const OUT_DIR = path.join(ROOT, '.local', 'bench');

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const cfg = {
  events: intEnv('BENCH_EVENTS', 50_000, 3),
  concurrency: intEnv('BENCH_CONCURRENCY', 4, 1),
  batchSize: intEnv('BENCH_BATCH_SIZE', 500, 1),
  rate: intEnv('BENCH_RATE', 200, 1),
  latencySeconds: intEnv('BENCH_LATENCY_SECONDS', 30, 1),
  perfRecords: intEnv('BENCH_PERF_RECORDS', 500_000, 0),
  stallSeconds: intEnv('BENCH_STALL_SECONDS', 60, 5),
  portBase: intEnv('BENCH_PORT_BASE', 3100, 1),
  keep: process.env.BENCH_KEEP_DB === '1',
  cpuProf: list(process.env.BENCH_CPU_PROF ?? ''),
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  brokers: list(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
};

export const TARGETS = { e2eEventsPerSecond: 2000, p99Ms: 500, rssMb: 250 };
export const SECTORS = [
  { app: 'health-service', schema: 'health', sector: 'health', short: 'health' },
  { app: 'social-development-service', schema: 'social_development', sector: 'social-development', short: 'social' },
  { app: 'protection-service', schema: 'protection', sector: 'protection', short: 'protect' },
] as const;
export const APPS = [
  'intake-gateway',
  'health-service',
  'social-development-service',
  'protection-service',
  'audit-service',
] as const;

const runStamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const runId = `${runStamp}_${process.pid}`;
export const namespace = `bench-${runId}.`;
/** Part of every person id of this run, so runs never share ids. */
export const idTag = Date.now().toString(36).toUpperCase();
