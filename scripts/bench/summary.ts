import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseName } from './database';
import { fmt, out, table } from './output';
import type { BenchResult } from './result';
import { APPS, cfg, namespace, OUT_DIR, ROOT, TARGETS } from './settings';

/** Counts of warnings and errors in each service's log, with the most frequent lines. */
export function scanLogs(): void {
  const rows: unknown[][] = [];
  const samples: string[] = [];
  for (const app of APPS) {
    const file = path.join(OUT_DIR, `${app}.log`);
    if (!existsSync(file)) continue;
    const counts = { warn: 0, error: 0, fatal: 0, other: 0 };
    const seen = new Map<string, { level: string; msg: string; n: number }>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let level = 'other';
      let msg = line;
      try {
        const j = JSON.parse(line);
        level = j.level >= 60 ? 'fatal' : j.level >= 50 ? 'error' : j.level >= 40 ? 'warn' : 'other';
        msg = `${j.context ? `[${j.context}] ` : ''}${j.msg ?? j.message ?? line}${j.err?.message ? `: ${j.err.message}` : ''}`;
      } catch {
        // plain text on stderr (e.g. a Node warning)
      }
      counts[level as keyof typeof counts]++;
      const k = msg.replace(/\d+/g, 'N').slice(0, 160);
      if (!seen.has(k)) seen.set(k, { level, msg: msg.slice(0, 240), n: 0 });
      seen.get(k)!.n++;
    }
    rows.push([app, counts.fatal, counts.error, counts.warn, counts.other]);
    for (const s of [...seen.values()].sort((a, b) => b.n - a.n).slice(0, 4))
      samples.push(`   ${app} ${s.level} x${s.n}: ${s.msg}`);
  }
  out(`\n== Service logs (${path.relative(ROOT, OUT_DIR)}/<service>.log, LOG_LEVEL=warn)`);
  out(table(rows, ['service', 'fatal', 'error', 'warn', 'other lines']).replace(/^/gm, '   '));
  if (samples.length) out(samples.join('\n'));
}

function machine(result: BenchResult): string {
  const cpus = os.cpus();
  let kafkaVersion = 'unknown';
  try {
    kafkaVersion =
      readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8').match(/apache\/kafka:([\d.]+)/)?.[1] ?? kafkaVersion;
  } catch {
    // keep unknown
  }
  const pgVersion = result.pgVersion ?? 'unknown';
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}, Kafka ${kafkaVersion} (single local broker), ${pgVersion}`;
}

/** The figures against the targets, the machine, and what failed. */
export function summary(result: BenchResult, failures: string[]): void {
  const rows: unknown[][] = [];
  const pass = (b: boolean | undefined) => (b === undefined ? 'n/a' : b ? 'PASS' : 'MISS');
  const r = result;
  rows.push(['intake accepted (batch endpoint)', r.intake ? `${fmt(r.intake.rate)} ev/s` : 'n/a', '-', '']);
  rows.push([
    'intake refused events of the valid mix',
    r.intake ? fmt(r.intakeRefused ?? r.intake.rejected) : 'n/a',
    '0',
    r.intake ? pass((r.intakeRefused ?? r.intake.rejected) === 0) : 'n/a',
  ]);
  rows.push([
    'end-to-end, every event applied by every sector',
    r.e2e ? `${fmt(r.e2e.rate)} ev/s` : 'n/a',
    `>= ${fmt(TARGETS.e2eEventsPerSecond)} ev/s`,
    pass(r.e2e && r.e2e.rate >= TARGETS.e2eEventsPerSecond),
  ]);
  rows.push([
    'nothing lost or doubled',
    r.verify ? (r.verify.ok ? 'yes' : 'NO') : 'n/a',
    'yes',
    r.verify ? (r.verify.ok ? 'PASS' : 'FAIL') : 'n/a',
  ]);
  if (r.latency) {
    rows.push([
      `latency p50 / p95 at ${cfg.rate} ev/s`,
      `${fmt(r.latency.p50, 1)} / ${fmt(r.latency.p95, 1)} ms`,
      '-',
      '',
    ]);
    rows.push([
      `latency p99 at ${cfg.rate} ev/s`,
      `${fmt(r.latency.p99, 1)} ms`,
      `<= ${TARGETS.p99Ms} ms`,
      pass(r.latency.p99 <= TARGETS.p99Ms && !r.latencyRefused),
    ]);
    if (r.latencyRefused)
      rows.push([`events refused at ${cfg.rate} ev/s (429/errors)`, fmt(r.latencyRefused), '0', 'MISS']);
    rows.push([`latency max (${fmt(r.latency.count)} referrals)`, `${fmt(r.latency.max, 1)} ms`, '-', '']);
    if (r.applied)
      rows.push([
        `every event applied, p50 / p99 (${fmt(r.applied.count)})`,
        `${fmt(r.applied.p50, 1)} / ${fmt(r.applied.p99, 1)} ms`,
        '-',
        '',
      ]);
  } else rows.push([`latency p99 at ${cfg.rate} ev/s`, 'n/a', `<= ${TARGETS.p99Ms} ms`, 'n/a']);
  for (const m of r.memory ?? []) {
    rows.push([`peak RSS ${m.app}`, `${fmt(m.hwm, 1)} MB`, `< ${TARGETS.rssMb} MB`, pass(m.hwm < TARGETS.rssMb)]);
  }
  if (r.broker)
    rows.push([
      'broker ceiling (ProducerPerformance)',
      `${fmt(r.broker.rate)} rec/s, ${fmt(r.broker.mbps, 1)} MB/s`,
      '-',
      '',
    ]);
  out('\n== Summary');
  out(table(rows, ['figure', 'measured', 'target', '']).replace(/^/gm, '   '));
  out(`   machine: ${machine(result)}`);
  out(
    `   run: ${fmt(r.intake?.total ?? 0)} events, batches of ${cfg.batchSize} x ${cfg.concurrency} in flight, database ${databaseName()}, namespace ${namespace}`,
  );
  for (const [label, c] of <[string, BenchResult['e2eCpu']][]>[
    ['the end-to-end run', r.e2eCpu],
    ['the latency run', r.latencyCpu],
  ]) {
    if (c && c.other >= 0.25) {
      out(
        `   note: processes outside the bench (other builds/tests?) used ${c.other.toFixed(2)} cores during ${label}: its figures are pessimistic`,
      );
    }
  }
  if (failures.length) out(`\n   FAILED: ${failures.join('\n   FAILED: ')}`);
}
