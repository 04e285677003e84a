// The Ruta benchmark (`npm run bench`, through scripts/bench.sh which starts the infrastructure,
// builds dist/ and compiles this folder). It starts the five services from dist/ on a fresh
// database and Kafka namespace and measures, in order:
//   1. throughput: BENCH_EVENTS intake events through POST /v1/intake/events:batch, then the
//      end-to-end rate until every sector applied every event (its inbox holds it, committed with
//      its referrals) and the audit log holds every message, checking nothing was lost or doubled;
//   2. latency: an open-loop BENCH_RATE ev/s for BENCH_LATENCY_SECONDS through POST /v1/intake/events,
//      acceptance-to-referral and acceptance-to-applied latency from PostgreSQL timestamps;
//   3. peak memory of every service (VmHWM / VmRSS) beside its V8 heap (/metrics);
//   4. the broker's own ceiling (Kafka's ProducerPerformance tool);
// then prints a summary against the targets. Exit 1 only when events were lost or doubled or a
// phase failed; a missed target is reported, not failed. The load is all eight intake event types
// in the proportions of the generated Darién scenario (libs/testing/src/scenario). Knobs: settings.ts.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { brokerPhase, deleteNamespace } from './broker-phase';
import { cleanUpOnSignals, onCleanup, runCleanups } from './cleanup';
import { summariseProfiles } from './cpu';
import { createBenchDatabase, databaseName, q } from './database';
import { latencyPhase } from './latency-phase';
import { memoryPhase } from './memory-phase';
import { endProgress, note, out, PhaseError, secs } from './output';
import { useKafka } from './pipeline';
import { result, type BenchResult } from './result';
import { assertServicesAlive, services, startServices, stopServices } from './services';
import { cfg, namespace, OUT_DIR, ROOT } from './settings';
import { scanLogs, summary } from './summary';
import { throughputPhase, warmUp } from './throughput-phase';

const startedAt = Date.now();

async function main(): Promise<number> {
  const failures: string[] = [];
  mkdirSync(OUT_DIR, { recursive: true });
  const kafka = new Kafka({ clientId: 'ruta-bench', brokers: cfg.brokers, logLevel: logLevel.NOTHING });
  useKafka(kafka);
  onCleanup(() => deleteNamespace(kafka));
  await createBenchDatabase();
  out(
    `Ruta benchmark ${new Date().toISOString()}: database ${databaseName()}, Kafka namespace ${namespace}, brokers ${cfg.brokers.join(',')}`,
  );
  out(
    `load average before the run: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  result.pgVersion = (await q<{ v: string }>('SELECT version() AS v'))[0]!.v.split(' on ')[0];
  note(
    `starting the five services on ports ${cfg.portBase}-${cfg.portBase + 4}, logs in ${path.relative(ROOT, OUT_DIR)}/`,
  );
  const t = Date.now();
  await startServices();
  note(`services ready in ${secs(Date.now() - t)}; warming up (about 20 people through the whole pipeline)`);
  await warmUp();

  let fatal = false;
  const phases: [string, (r: BenchResult) => Promise<void>][] = [
    ['throughput', throughputPhase],
    ['latency', latencyPhase],
  ];
  for (const [name, phase] of phases) {
    try {
      assertServicesAlive();
      await phase(result);
    } catch (error) {
      endProgress();
      failures.push(`${name} phase: ${(error as Error).message}`);
      out(`\n   ${name} phase FAILED: ${(error as Error).message}`);
      if (!(error instanceof PhaseError)) out((error as Error).stack);
      // a dead service or a stalled pipeline makes the next phase meaningless
      if (services.size === 0 || [...services.values()].some((s) => s.exited)) fatal = true;
      break;
    }
  }
  if (!fatal && services.size > 0) {
    try {
      await memoryPhase(result);
    } catch (error) {
      failures.push(`memory phase: ${(error as Error).message}`);
    }
  }
  summariseProfiles();
  await stopServices();
  try {
    await brokerPhase(result, kafka);
  } catch (error) {
    failures.push(`broker phase: ${(error as Error).message}`);
    out(`   broker phase FAILED: ${(error as Error).message}`);
  }
  scanLogs();
  if (result.verify && !result.verify.ok) failures.unshift('events were lost or doubled');
  summary(result, failures);
  out(`   total bench time ${secs(Date.now() - startedAt)}`);
  return failures.length === 0 ? 0 : 1;
}

cleanUpOnSignals();
void (async () => {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    endProgress();
    out(`\nbench FAILED: ${error instanceof PhaseError ? error.message : (error as Error).stack}`);
    code = 1;
  } finally {
    await runCleanups();
  }
  process.exit(code);
})();
