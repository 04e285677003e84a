// The Ruta benchmark (`npm run bench`, through scripts/bench.sh which starts the infrastructure and
// builds dist/). It starts the five services from dist/ on a fresh database and Kafka namespace and
// measures, in order:
//   1. throughput: BENCH_EVENTS intake events through POST /v1/intake/events:batch, then the
//      end-to-end rate until every sector applied every event (its inbox holds it, committed with
//      its referrals) and the audit log holds every message, checking that nothing was lost or doubled;
//   2. latency: an open-loop BENCH_RATE ev/s for BENCH_LATENCY_SECONDS through POST /v1/intake/events,
//      acceptance-to-referral and acceptance-to-applied latency from PostgreSQL timestamps;
//   3. peak memory of every service (VmHWM / VmRSS);
//   4. the broker's own ceiling (Kafka's ProducerPerformance tool);
// then prints a summary against the targets. Exit 1 only when events were lost or doubled or a
// phase failed; a missed target is reported, not failed.
//
// The load is all eight intake event types in the proportions of the generated Darién scenario
// (libs/testing/src/scenario: registrations, household links, screenings, consents, asylum intent,
// incidents, transfers, departures), which scripts/bench.sh compiles to .local/bench/scenario.
//
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
/* global URL, AbortSignal, Buffer, performance, setInterval, clearInterval, clearTimeout */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import pg from 'pg';

const { Kafka, logLevel } = kafkajs;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, '.local', 'bench');

// ------------------------------------------------------------------------------------ settings ---

function intEnv(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

const cfg = {
  events: intEnv('BENCH_EVENTS', 50_000, 3),
  concurrency: intEnv('BENCH_CONCURRENCY', 4, 1),
  batchSize: intEnv('BENCH_BATCH_SIZE', 500, 1),
  rate: intEnv('BENCH_RATE', 200, 1),
  latencySeconds: intEnv('BENCH_LATENCY_SECONDS', 30, 1),
  perfRecords: intEnv('BENCH_PERF_RECORDS', 500_000, 0),
  stallSeconds: intEnv('BENCH_STALL_SECONDS', 60, 5),
  portBase: intEnv('BENCH_PORT_BASE', 3100, 1),
  keep: process.env.BENCH_KEEP_DB === '1',
  cpuProf: (process.env.BENCH_CPU_PROF ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean),
};

const TARGETS = { e2eEventsPerSecond: 2000, p99Ms: 500, rssMb: 250 };
const SECTORS = [
  { app: 'health-service', schema: 'health', sector: 'health', short: 'health' },
  { app: 'social-development-service', schema: 'social_development', sector: 'social-development', short: 'social' },
  { app: 'protection-service', schema: 'protection', sector: 'protection', short: 'protect' },
];
const APPS = ['intake-gateway', 'health-service', 'social-development-service', 'protection-service', 'audit-service'];
// The scenario generator, compiled by scripts/bench.sh (libs/testing/tsconfig.scenario.json).
const SCENARIO_MODULE = path.join(ROOT, '.local/bench/scenario/libs/testing/src/scenario/index.js');
const scenarios = (() => {
  if (!existsSync(SCENARIO_MODULE)) throw new Error(`${SCENARIO_MODULE} is missing: run the bench with npm run bench`);
  return createRequire(import.meta.url)(SCENARIO_MODULE);
})();
// Times of the generated stream are in the past (intake refuses times ahead of it).
const scenarioStart = new Date(Date.now() - 10 * 86_400_000);

const runStamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const runId = `${runStamp}_${process.pid}`;
const dbName = `ruta_bench_${runId}`;
const namespace = `bench-${runId}.`;
const idTag = Date.now().toString(36).toUpperCase();

// ------------------------------------------------------------------------------------- output ---

const t0Process = Date.now();
const out = (line = '') => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`bench: ${line}\n`);
const isTty = process.stderr.isTTY;
let progressShown = false;
function progress(line) {
  if (isTty) {
    process.stderr.write(`\r\x1b[K${line}`);
    progressShown = true;
  } else process.stderr.write(`${line}\n`);
}
function endProgress() {
  if (progressShown) process.stderr.write('\n');
  progressShown = false;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

class PhaseError extends Error {}

function table(rows, headers) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

// ----------------------------------------------------------------------------------- cleanup ---

const cleanups = [];
let cleaning;
async function runCleanups() {
  cleaning ??= (async () => {
    endProgress();
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        note(`cleanup: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    endProgress();
    note(`${signal}: stopping the services and dropping the database ...`);
    void runCleanups().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------- database ---

function urlFor(database) {
  const url = new URL(cfg.adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

let db; // pool on the bench database
async function createDatabase() {
  const admin = new pg.Client({ connectionString: cfg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${dbName}"`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    if (cfg.keep) {
      note(`BENCH_KEEP_DB=1: kept database ${dbName} (${urlFor(dbName)})`);
      return;
    }
    const a = new pg.Client({ connectionString: cfg.adminUrl });
    await a.connect();
    try {
      await a.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      note(`dropped database ${dbName}`);
    } finally {
      await a.end();
    }
  });
  db = new pg.Pool({ connectionString: urlFor(dbName), max: 3 });
  cleanups.push(() => db.end());
}

const q = async (sql, params) => (await db.query(sql, params)).rows;

// ---------------------------------------------------------------------------------- services ---

const services = new Map(); // app -> { proc, port, logFile, exited }

function portFree(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function profilePreload() {
  // Started and stopped through a control file, so the profile covers only the throughput phase:
  // no signal (Nest's enableShutdownHooks() shuts down on SIGUSR2 and every other signal), and the
  // inspector rather than `node --cpu-prof`, which never flushes when Nest re-raises SIGTERM.
  const file = path.join(OUT_DIR, 'cpu-prof-preload.cjs');
  writeFileSync(
    file,
    `const inspector = require('node:inspector');
const fs = require('node:fs');
const session = new inspector.Session();
session.connect();
const control = process.env.BENCH_PROF_CONTROL;
let state = 'idle';
setInterval(() => {
  let want;
  try {
    want = fs.readFileSync(control, 'utf8').trim();
  } catch {
    return;
  }
  if (want === 'start' && state === 'idle') {
    state = 'running';
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
  } else if (want === 'stop' && state === 'running') {
    state = 'done';
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(process.env.BENCH_PROF_FILE + '.tmp', JSON.stringify(result.profile));
      fs.renameSync(process.env.BENCH_PROF_FILE + '.tmp', process.env.BENCH_PROF_FILE);
    });
  }
}, 100).unref();
`,
  );
  return file;
}

async function startServices() {
  mkdirSync(OUT_DIR, { recursive: true });
  const profiled = cfg.cpuProf.includes('all') ? APPS : cfg.cpuProf;
  for (const app of profiled) if (!APPS.includes(app)) throw new PhaseError(`BENCH_CPU_PROF: unknown app ${app}`);
  const preload = profiled.length > 0 ? profilePreload() : undefined;
  for (const [i, app] of APPS.entries()) {
    const port = cfg.portBase + i;
    if (!(await portFree(port))) {
      throw new PhaseError(`port ${port} (for ${app}) is in use; set BENCH_PORT_BASE to a free range of 5 ports`);
    }
  }
  for (const [i, app] of APPS.entries()) {
    const main = path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
    if (!existsSync(main)) throw new PhaseError(`${main} is missing: run npm run build`);
    const port = cfg.portBase + i;
    const logFile = path.join(OUT_DIR, `${app}.log`);
    const log = createWriteStream(logFile);
    const profFile = path.join(OUT_DIR, `${app}.cpuprofile`);
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: urlFor(dbName),
      KAFKA_BROKERS: cfg.brokers.join(','),
      RUTA_KAFKA_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      // As the services run everywhere (Dockerfile, dev.sh): a bounded heap keeps them under 250 MB.
      NODE_OPTIONS:
        process.env.RUTA_SERVICE_NODE_OPTIONS ??
        '--max-old-space-size=192 --max-semi-space-size=16 --disable-warning=TimeoutNegativeWarning',
    };
    if (profiled.includes(app)) {
      env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${preload}`;
      env.BENCH_PROF_FILE = profFile;
      env.BENCH_PROF_CONTROL = `${profFile}.control`;
      rmSync(profFile, { force: true });
      writeFileSync(`${profFile}.control`, 'idle');
    }
    const proc = spawn(process.execPath, [main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.pipe(log, { end: false });
    proc.stderr.pipe(log, { end: false });
    const svc = { app, proc, port, logFile, log, profFile, profiled: profiled.includes(app), exited: null };
    proc.once('exit', (code, signal) => {
      svc.exited = { code, signal };
    });
    services.set(app, svc);
    if (i === 0) cleanups.push(stopServices);
    await waitReady(svc);
  }
}

/**
 * Services start one after the other: started together on a fresh namespace, two of them creating
 * the same topics race, and kafkajs' createTopics(waitForLeaders) can throw UNKNOWN_TOPIC_OR_PARTITION
 * out of onApplicationBootstrap, which kills the service (seen with audit-service).
 */
async function waitReady(svc) {
  const deadline = Date.now() + 120_000;
  const t = Date.now();
  for (;;) {
    if (svc.exited)
      throw new PhaseError(`${svc.app} exited during start-up (${describeExit(svc)})\n${tail(svc.logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new PhaseError(`${svc.app} not ready on :${svc.port}/health/ready within 120 s\n${tail(svc.logFile)}`);
    }
    await sleep(250);
  }
  note(`${svc.app} ready on :${svc.port} (pid ${svc.proc.pid}) in ${secs(Date.now() - t)}`);
}

function describeExit(svc) {
  return svc.exited?.signal ? `signal ${svc.exited.signal}` : `exit code ${svc.exited?.code}`;
}

function tail(file, lines = 15) {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return `----- last lines of ${path.relative(ROOT, file)} -----\n${text.join('\n')}`;
  } catch {
    return `(no log at ${file})`;
  }
}

function assertServicesAlive() {
  for (const svc of services.values()) {
    if (svc.exited) throw new PhaseError(`${svc.app} died (${describeExit(svc)})\n${tail(svc.logFile)}`);
  }
}

async function stopServices() {
  const waits = [];
  for (const svc of services.values()) {
    if (svc.exited) continue;
    waits.push(
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          note(`${svc.app} (pid ${svc.proc.pid}) still running 15 s after SIGTERM: SIGKILL`);
          svc.proc.kill('SIGKILL');
        }, 15_000);
        svc.proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        svc.proc.kill('SIGTERM');
      }),
    );
  }
  await Promise.all(waits);
  for (const svc of services.values()) svc.log.end();
  services.clear();
}

// ------------------------------------------------------------------------------------ events ---

/** About `events` intake events of all eight types, in the generated scenario's proportions and order. */
function eventMix(label, events) {
  return scenarios.eventMix({ runId: `${label}-${idTag}`, events, start: scenarioStart });
}

// -------------------------------------------------------------------------------- HTTP intake ---

const intakeUrl = () => `http://127.0.0.1:${services.get('intake-gateway').port}/v1/intake`;

// node:http with a keep-alive agent: cheaper per request than fetch, which matters on 2 shared cores.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function postJson(url, body, contentType = 'application/json', timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, text, retryAfter: res.headers['retry-after'] });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const stats = { retries: 0, throttled: 0, errors: [], refusedKinds: new Map() };

/** Posts one batch, retrying on 429 (after Retry-After), 5xx and network errors; returns per-status counts. */
async function postBatch(events, body) {
  for (let attempt = 1; ; attempt++) {
    let reason;
    try {
      const res = await postJson(`${intakeUrl()}/events:batch`, body);
      if (res.status === 200 && res.json?.results) {
        const counts = { accepted: 0, duplicate: 0, rejected: 0 };
        res.json.results.forEach((r, i) => {
          counts[r.status]++;
          if (r.status === 'rejected') countRefusal(events[i].type, r.errors);
          if (r.id !== undefined && r.id !== events[i].id) {
            throw new PhaseError(`batch result ${i} names ${r.id} but the event sent there was ${events[i].id}`);
          }
        });
        if (res.json.results.length !== events.length) {
          throw new PhaseError(`batch of ${events.length} answered with ${res.json.results.length} results`);
        }
        // Duplicates on a retry are events a lost answer had accepted.
        return { ...counts, retried: attempt > 1 };
      }
      if (res.status === 404)
        throw new PhaseError('POST /v1/intake/events:batch answered 404: the batch endpoint is missing');
      if (res.status === 413) throw new PhaseError(`batch answered 413 (too large): ${res.text.slice(0, 300)}`);
      if (res.status === 429) {
        stats.throttled++;
        await sleep(Math.max(100, Number(res.retryAfter ?? 1) * 1000));
        continue;
      }
      if (res.status >= 400 && res.status < 500)
        throw new PhaseError(`batch answered ${res.status}: ${res.text.slice(0, 500)}`);
      reason = `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
    } catch (error) {
      if (error instanceof PhaseError) throw error;
      reason = error.message;
    }
    if (attempt >= 5) throw new PhaseError(`batch failed 5 times, last: ${reason}`);
    stats.retries++;
    if (stats.errors.length < 5) stats.errors.push(reason);
    await sleep(500 * attempt);
  }
}

// -------------------------------------------------------------------------------- pipeline ---

/** Counts from every service's tables: one round trip. */
async function snapshot() {
  const parts = [
    `(SELECT count(*) FROM intake.events) AS intake_events`,
    `(SELECT count(*) FROM intake.outbox) AS intake_outbox`,
    `(SELECT count(*) FROM audit.audit_log) AS audit_rows`,
    `(SELECT count(*) FROM audit.audit_log WHERE topic LIKE '%intake.events.v1') AS audit_intake`,
    `(SELECT count(*) FROM audit.audit_log WHERE topic LIKE '%referrals.events.v1') AS audit_referrals`,
    ...SECTORS.flatMap((s) => [
      `(SELECT count(*) FROM ${s.schema}.inbox) AS ${s.schema}_inbox`,
      `(SELECT count(*) FROM ${s.schema}.referrals) AS ${s.schema}_referrals`,
      `(SELECT count(*) FROM ${s.schema}.outbox) AS ${s.schema}_outbox`,
    ]),
  ];
  const [row] = await q(`SELECT ${parts.join(', ')}`);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

let kafkaClient; // set in main()

/** Referral events the sectors have published: the messages on referrals.events.v1. */
async function referralEventsPublished() {
  const admin = kafkaClient.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${namespace}referrals.events.v1`);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } catch {
    return 0; // not created yet: nothing published
  } finally {
    await admin.disconnect();
  }
}

/**
 * Polls until every sector's inbox holds `want.events` ids (each committed with its referrals), and
 * the audit log holds every intake event and every referral event the sectors published. Returns
 * client times (ms) when the sectors and the audit log were complete. Fails when nothing moves for
 * BENCH_STALL_SECONDS, saying what is missing.
 */
async function waitForPipeline(label, want, startedAt) {
  let last = null;
  let lastChange = Date.now();
  let lastPrint = 0;
  let appliedDoneAt = null;
  let auditDoneAt = null;
  let published = 0;
  for (;;) {
    assertServicesAlive();
    const s = await snapshot();
    const now = Date.now();
    const key = JSON.stringify(s);
    if (key !== last) {
      last = key;
      lastChange = now;
    }
    if (appliedDoneAt === null && SECTORS.every((x) => s[`${x.schema}_inbox`] >= want.events)) appliedDoneAt = now;
    // Once every sector applied everything and sent its outbox, the referral topic holds all it will.
    if (appliedDoneAt !== null && auditDoneAt === null && SECTORS.every((x) => s[`${x.schema}_outbox`] === 0)) {
      published = await referralEventsPublished();
      if (s.audit_intake >= want.events && s.audit_referrals >= published) auditDoneAt = now;
    }
    if (now - lastPrint >= (isTty ? 1000 : 5000)) {
      lastPrint = now;
      const sectors = SECTORS.map(
        (x) => `${x.short} in ${s[`${x.schema}_inbox`]}/${want.events} ref ${s[`${x.schema}_referrals`]}`,
      ).join(' | ');
      progress(
        `${label} ${secs(now - startedAt)}: intake ${s.intake_events} (outbox ${s.intake_outbox}) | ${sectors} | audit ${s.audit_intake}/${want.events} + ${s.audit_referrals} referral events`,
      );
    }
    if (appliedDoneAt !== null && auditDoneAt !== null) {
      endProgress();
      return { appliedDoneAt, auditDoneAt, published, snapshot: s };
    }
    if (now - lastChange > cfg.stallSeconds * 1000) {
      endProgress();
      const missing = [
        ...SECTORS.flatMap((x) => [
          s[`${x.schema}_inbox`] < want.events
            ? `${x.sector}: inbox ${want.events - s[`${x.schema}_inbox`]} events missing`
            : null,
          s[`${x.schema}_outbox`] > 0 ? `${x.sector}: outbox still holds ${s[`${x.schema}_outbox`]} rows` : null,
        ]),
        s.audit_intake < want.events ? `audit: ${want.events - s.audit_intake} intake events missing` : null,
        s.audit_referrals < published ? `audit: ${published - s.audit_referrals} referral events missing` : null,
        s.intake_outbox > 0 ? `intake outbox still holds ${s.intake_outbox} rows` : null,
      ].filter(Boolean);
      throw new PhaseError(
        `${label}: the pipeline stalled (no change for ${cfg.stallSeconds} s):\n  ${missing.join('\n  ')}\n` +
          `  service logs: ${path.relative(ROOT, OUT_DIR)}/<service>.log`,
      );
    }
    await sleep(500);
  }
}

/** Expected intake rows (and inbox ids in every sector) once `accepted` more events went through. */
function expect(base, accepted) {
  return { events: base.intake_events + accepted };
}

/** Events per type as a share of the mix: the proportions the figures were measured with. */
function mixTable(events) {
  const byType = new Map();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  const rows = [...byType].map(([type, n]) => [type, fmt(n), `${((100 * n) / events.length).toFixed(1)}%`]);
  return table(rows, ['event type', 'events', 'share']);
}

/** Events the gateway refused since the last call, by type and field (contract paths, never content). */
function refusals() {
  const text = [...stats.refusedKinds].map(([k, n]) => `${k} x${n}`).join('; ');
  stats.refusedKinds.clear();
  return text;
}

/** Counts a refusal under its type and fields, list positions folded (members.3.relationship -> members.N.relationship). */
function countRefusal(type, errors = []) {
  const fields = [...new Set(errors.map((x) => String(x.field).replace(/\.\d+\./g, '.N.')))].join(', ');
  const kind = `${type}: ${fields}`;
  stats.refusedKinds.set(kind, (stats.refusedKinds.get(kind) ?? 0) + 1);
}

// ------------------------------------------------------------------------------------ phases ---

async function warmUp() {
  const mix = eventMix('BW', 100);
  const base = await snapshot();
  const res = await postBatch(mix.events, JSON.stringify({ events: mix.events }));
  refusals(); // counted in the phases only
  await waitForPipeline('warm-up', expect(base, res.accepted), Date.now());
}

async function throughputPhase(result) {
  const mix = eventMix('BT', cfg.events);
  const total = mix.events.length;
  out(
    `\n== 1. Throughput: ${fmt(total)} events of ${fmt(mix.scenario.people.length)} people via POST /v1/intake/events:batch`,
  );
  out(`   batches of ${cfg.batchSize}, ${cfg.concurrency} in flight; a household's events go in order in one lane`);
  out(`   the mix: the generated Darién scenario (seed ${mix.scenario.seed}), all eight intake event types`);
  out(mixTable(mix.events).replace(/^/gm, '   '));
  // Households (and people alone) are dealt round-robin to `concurrency` lanes; each lane posts its
  // batches one after the other, so a household whose events straddle two batches keeps their order.
  let bytes = 0;
  const laneBatches = scenarios.dealToLanes(mix, cfg.concurrency).map((events) => {
    const batches = [];
    for (let i = 0; i < events.length; i += cfg.batchSize) {
      const slice = events.slice(i, i + cfg.batchSize);
      const body = JSON.stringify({ events: slice });
      bytes += Buffer.byteLength(body);
      batches.push({ events: slice, body });
    }
    return batches;
  });
  const sample = mix.events.slice(0, 300);
  result.avgEventBytes = Math.round(
    sample.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / sample.length,
  );
  out(
    `   ${fmt(laneBatches.flat().length)} requests, ${fmt(bytes / 1e6, 1)} MB of JSON; average event ${result.avgEventBytes} bytes`,
  );

  const base = await snapshot();
  const [{ db_start: dbStart }] = await q('SELECT clock_timestamp() AS db_start');
  await profile('start');
  const cpuAtStart = cpuSample();

  const counts = { accepted: 0, duplicate: 0, rejected: 0, retriedDuplicates: 0 };
  let sent = 0;
  const started = Date.now();
  let lastResponse = started;
  const ticker = setInterval(
    () => {
      const el = (Date.now() - started) / 1000;
      progress(
        `intake ${secs(Date.now() - started)}: ${fmt(sent)}/${fmt(total)} events answered (${fmt(sent / el)} ev/s)`,
      );
    },
    isTty ? 1000 : 5000,
  );
  try {
    await Promise.all(
      laneBatches.map(async (batches) => {
        for (const b of batches) {
          const r = await postBatch(b.events, b.body);
          counts.accepted += r.accepted;
          counts.rejected += r.rejected;
          if (r.retried) counts.retriedDuplicates += r.duplicate;
          else counts.duplicate += r.duplicate;
          sent += b.events.length;
          lastResponse = Date.now();
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    endProgress();
  }
  const intakeMs = lastResponse - started;
  const stored = counts.accepted + counts.retriedDuplicates;
  result.intake = { ...counts, total, ms: intakeMs, rate: counts.accepted / (intakeMs / 1000) };
  out(
    `   intake: ${fmt(counts.accepted)} accepted, ${fmt(counts.duplicate)} duplicate, ${fmt(counts.rejected)} rejected` +
      (counts.retriedDuplicates
        ? `, ${fmt(counts.retriedDuplicates)} accepted before a retry (answered duplicate)`
        : '') +
      ` in ${secs(intakeMs)} => ${fmt(result.intake.rate)} events/s accepted`,
  );
  if (stats.throttled || stats.retries)
    out(
      `   429 answers: ${stats.throttled}, retried requests: ${stats.retries} ${stats.errors.slice(0, 3).join('; ')}`,
    );
  // The mix is valid by PRODUCT.md: a refusal is a missed target, reported, and left out of the counts.
  if (counts.rejected > 0) out(`   REFUSED by intake (a miss: the mix is valid): ${refusals()}`);
  if (counts.duplicate > 0) throw new PhaseError(`intake answered duplicate for ${counts.duplicate} fresh events`);
  const want = expect(base, stored);

  result.intakeCpu = cpuReport('intake', cpuAtStart);
  const done = await waitForPipeline('end-to-end', want, started);
  result.e2eCpu = cpuReport('the whole end-to-end run', cpuAtStart);
  await profile('stop');
  const union = (column, table) =>
    SECTORS.map((s) => `SELECT max(${column}) AS m FROM ${s.schema}.${table}`).join(' UNION ALL ');
  const [t] = await q(
    `SELECT extract(epoch FROM (SELECT max(m) FROM (${union('processed_at', 'inbox')}) x) - $1::timestamptz) * 1000 AS last_applied_ms,
            extract(epoch FROM (SELECT max(m) FROM (${union('created_at', 'referrals')}) x) - $1::timestamptz) * 1000 AS last_referral_ms,
            extract(epoch FROM (SELECT max(received_at) FROM audit.audit_log) - $1::timestamptz) * 1000 AS last_audit_ms`,
    [dbStart],
  );
  const e2eDbMs = Number(t.last_applied_ms);
  const e2ePollMs = done.appliedDoneAt - started;
  result.e2e = {
    ms: e2eDbMs,
    rate: stored / (e2eDbMs / 1000),
    lastReferralMs: Number(t.last_referral_ms),
    pollMs: e2ePollMs,
    pollRate: stored / (e2ePollMs / 1000),
    auditMs: Number(t.last_audit_ms),
    auditPollMs: done.auditDoneAt - started,
  };
  out(
    `   end-to-end: every sector applied every event ${secs(e2eDbMs)} after the first send => ${fmt(result.e2e.rate)} events/s` +
      `\n      (max(inbox.processed_at) over the three sectors minus the PostgreSQL clock read just before the first send;` +
      `\n       processed_at is now() of the sector's batch transaction, which also writes that batch's referrals)` +
      `\n      last referral created ${secs(result.e2e.lastReferralMs)} after the first send` +
      `\n      poll saw every sector complete after ${secs(e2ePollMs)} => ${fmt(result.e2e.pollRate)} events/s (polled every 0.5 s)` +
      `\n      audit log complete: last row received ${secs(result.e2e.auditMs)} after the first send (poll: ${secs(result.e2e.auditPollMs)})`,
  );
  result.verify = await verify(want, base, done.published);
}

/** Nothing lost, nothing doubled: counts against what was accepted, one open referral per person and type. */
async function verify(want, base, published) {
  const rows = [];
  let ok = true;
  const check = (what, actual, expected, good = actual === expected) => {
    rows.push([what, fmt(actual), fmt(expected), good ? 'ok' : 'FAIL']);
    if (!good) ok = false;
  };
  const s = await snapshot();
  check('intake.events rows', s.intake_events, want.events);
  const made = [];
  for (const x of SECTORS) {
    const [r] = await q(
      `SELECT count(*)::int AS n, count(DISTINCT (person_id, type))::int AS distinct_n
         FROM ${x.schema}.referrals WHERE status IN ('requested', 'accepted', 'in-progress', 'on-hold')`,
    );
    check(`${x.sector}: inbox event ids`, s[`${x.schema}_inbox`], want.events);
    check(`${x.sector}: open referrals, distinct (person, type)`, r.distinct_n, r.n);
    const types = await q(
      `SELECT type, count(*)::int AS n, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
         FROM ${x.schema}.referrals GROUP BY type ORDER BY type`,
    );
    for (const t of types) made.push([x.sector, t.type, fmt(t.n), fmt(t.cancelled)]);
  }
  const [a] = await q(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids,
            count(*) FILTER (WHERE topic LIKE '%intake.events.v1')::int AS intake,
            count(*) FILTER (WHERE topic LIKE '%referrals.events.v1')::int AS referral_events
       FROM audit.audit_log`,
  );
  check('audit: intake.events.v1 rows', a.intake, want.events);
  check('audit: referrals.events.v1 rows (= messages on the topic)', a.referral_events, published);
  check('audit: distinct event ids', a.distinct_ids, a.n);
  out(`\n   checks (whole database, warm-up included: ${fmt(base.intake_events)} events before this phase)`);
  out(table(rows, ['check', 'actual', 'expected', '']).replace(/^/gm, '   '));
  out(`   => ${ok ? 'nothing lost, nothing doubled' : 'LOST OR DOUBLED EVENTS'}`);
  out('   referrals made (whole database)');
  out(table(made, ['sector', 'type', 'referrals', 'cancelled']).replace(/^/gm, '   '));
  return { ok };
}

async function latencyPhase(result) {
  const mix = eventMix('BL', cfg.rate * cfg.latencySeconds);
  const schedule = mix.events;
  const total = schedule.length;
  out(
    `\n== 2. Latency: ${cfg.rate} events/s for about ${cfg.latencySeconds} s (${fmt(total)} events of ${fmt(mix.scenario.people.length)} people, the same mix) via POST /v1/intake/events`,
  );
  // Open loop: event i is sent at start + i/rate whatever the answers, in the scenario's order (a
  // person's next event comes a round later, some hundreds of events after their previous one).
  const previous = scenarios.previousEventIds(schedule);
  const base = await snapshot();
  const interval = 1000 / cfg.rate;
  const statuses = {};
  const httpMs = [];
  const sendLag = [];
  const answered = new Set();
  const unaccepted = [];
  const refused = [];
  let orderRisk = 0;
  const inflight = [];
  const cpuAtStart = cpuSample();
  const started = performance.now();
  const startedWall = Date.now();
  const ticker = setInterval(
    () => {
      progress(
        `latency ${secs(Date.now() - startedWall)}: sent ${fmt(sendLag.length)}/${fmt(total)}, answered ${fmt(httpMs.length)}`,
      );
    },
    isTty ? 1000 : 5000,
  );
  const refuse = (e, res) => {
    refused.push(e);
    countRefusal(e.type, res.json?.errors);
  };
  try {
    for (let i = 0; i < schedule.length; i++) {
      const planned = started + i * interval;
      const wait = planned - performance.now();
      if (wait > 1) await sleep(wait);
      const e = schedule[i];
      const sentAt = performance.now();
      sendLag.push(sentAt - planned);
      const before = previous.get(e.id);
      if (before && !answered.has(before)) orderRisk++;
      inflight.push(
        postJson(`${intakeUrl()}/events`, JSON.stringify(e), 'application/cloudevents+json', 30_000)
          .then((res) => {
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            httpMs.push(performance.now() - sentAt);
            answered.add(e.id);
            if (res.status === 400) refuse(e, res);
            else if (res.status !== 202) unaccepted.push(e);
          })
          .catch((error) => {
            statuses[error.name] = (statuses[error.name] ?? 0) + 1;
            unaccepted.push(e);
          }),
      );
    }
    await Promise.all(inflight);
  } finally {
    clearInterval(ticker);
    endProgress();
  }
  const offeredMs = performance.now() - started;
  const accepted = statuses[202] ?? 0;
  result.latencyCpu = cpuReport('latency (open loop)', cpuAtStart);
  out(
    `   offered ${fmt(total)} events in ${secs(offeredMs)} (${fmt(total / (offeredMs / 1000), 1)} ev/s); answers: ${Object.entries(
      statuses,
    )
      .map(([k, v]) => `${k}: ${fmt(v)}`)
      .join(', ')}`,
  );
  out(
    `   send lag behind schedule: p99 ${fmt(percentile(sendLag, 0.99), 1)} ms, max ${fmt(Math.max(...sendLag), 1)} ms; ` +
      `HTTP answer p50 ${fmt(percentile(httpMs, 0.5), 1)} ms, p99 ${fmt(percentile(httpMs, 0.99), 1)} ms`,
  );
  if (orderRisk > 0)
    out(`   note: ${orderRisk} events were sent before the previous event of the same person was answered`);
  if (refused.length > 0) out(`   REFUSED by intake (400, a miss: the mix is valid): ${refusals()}`);
  result.latencyRefused = total - accepted - refused.length;
  result.intakeRefused = (result.intake?.rejected ?? 0) + refused.length;
  let resent = 0;
  if (unaccepted.length > 0) {
    // Refused (429) or failed events are sent again, closed loop and in schedule order, so every
    // person's events all arrive; referrals they trigger are left out of the latency figures.
    out(`   ${fmt(unaccepted.length)} events not accepted in the open loop; sending them again (not measured)`);
    const order = new Map(schedule.map((e, i) => [e.id, i]));
    unaccepted.sort((a, b) => order.get(a.id) - order.get(b.id));
    for (const e of unaccepted) {
      for (let attempt = 1; ; attempt++) {
        const res = await postJson(`${intakeUrl()}/events`, JSON.stringify(e), 'application/cloudevents+json').catch(
          (error) => ({ status: error.name }),
        );
        if (res.status === 202 || res.status === 200) {
          resent += 1;
          break;
        }
        if (res.status === 400) {
          refuse(e, res);
          break;
        }
        if (attempt >= 20) throw new PhaseError(`latency phase: ${e.id} still not accepted: ${res.status}`);
        await sleep(res.status === 429 ? Math.max(100, Number(res.retryAfter ?? 1) * 1000) : 500);
      }
    }
  }

  await waitForPipeline('latency drain', expect(base, accepted + resent), startedWall);
  const prefix = `BL-${idTag}-%`;
  const notMeasured = unaccepted.map((e) => e.id);
  const rows = await q(
    `SELECT sector, extract(epoch FROM r.created_at - e.accepted_at) * 1000 AS ms
       FROM (${SECTORS.map((s) => `SELECT '${s.short}' AS sector, person_id, created_at, source_event_id FROM ${s.schema}.referrals`).join(' UNION ALL ')}) r
       JOIN intake.events e ON e.event_id = r.source_event_id
      WHERE r.person_id LIKE $1 AND NOT r.source_event_id = ANY($2::text[])`,
    [prefix, notMeasured],
  );
  const applied = await q(
    `SELECT extract(epoch FROM i.processed_at - e.accepted_at) * 1000 AS ms
       FROM (${SECTORS.map((s) => `SELECT event_id, processed_at FROM ${s.schema}.inbox`).join(' UNION ALL ')}) i
       JOIN intake.events e ON e.event_id = i.event_id
      WHERE e.subject LIKE $1 AND NOT e.event_id = ANY($2::text[])`,
    [prefix, notMeasured],
  );
  const all = rows.map((r) => Number(r.ms));
  const stat = (xs) => ({
    count: xs.length,
    p50: percentile(xs, 0.5),
    p95: percentile(xs, 0.95),
    p99: percentile(xs, 0.99),
    max: xs.length ? Math.max(...xs) : NaN,
  });
  result.latency = stat(all);
  result.applied = stat(applied.map((r) => Number(r.ms)));
  const line = (label, st) => [label, ...Object.values(st).map((v, i) => (i === 0 ? fmt(v) : fmt(v, 1)))];
  const lines = [line('referrals, all sectors', result.latency)];
  for (const s of SECTORS) {
    lines.push(line(`referrals, ${s.sector}`, stat(rows.filter((r) => r.sector === s.short).map((r) => Number(r.ms)))));
  }
  lines.push(line('every event applied, x3 sectors', result.applied));
  out('   latency, ms = referrals.created_at (or inbox.processed_at) - intake.events.accepted_at');
  out(
    '   all are PostgreSQL now() of their transactions (the gateway insert, the sector batch) on the same server clock',
  );
  out(table(lines, ['what', 'count', 'p50', 'p95', 'p99', 'max']).replace(/^/gm, '   '));
  if (result.latencyRefused > 0) {
    out(
      `   ${fmt(result.latencyRefused)} of ${fmt(total)} offered events were refused or failed (${Object.entries(
        statuses,
      )
        .filter(([k]) => k !== '202' && k !== '400')
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}): the rate was not sustained`,
    );
  }
}

function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function memoryPhase(result) {
  out('\n== 3. Memory per service (/proc/<pid>/status after all phases)');
  result.memory = [];
  for (const svc of services.values()) {
    const status = readFileSync(`/proc/${svc.proc.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    result.memory.push({ app: svc.app, pid: svc.proc.pid, hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 });
  }
  out(
    table(
      result.memory.map((m) => [m.app, m.pid, fmt(m.hwm, 1), fmt(m.rss, 1)]),
      ['service', 'pid', 'peak RSS MB (VmHWM)', 'RSS MB now (VmRSS)'],
    ).replace(/^/gm, '   '),
  );
}

// ------------------------------------------------------------------------------ CPU accounting ---

const CLK_TCK = 100; // USER_HZ on Linux
let kafkaPid;

/** Machine busy time and every process's CPU ticks, from /proc. */
function cpuSample() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const busy = total - f[3] - (f[4] ?? 0);
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const rest = stat.slice(close + 2).split(' ');
      procs.set(Number(d), { comm, ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return { at: performance.now(), busy, procs };
}

function classify(pid, comm) {
  for (const svc of services.values()) if (svc.proc.pid === pid) return svc.app;
  if (pid === process.pid) return 'bench client';
  if (comm === 'postgres') return 'postgresql';
  if (kafkaPid === undefined) {
    try {
      kafkaPid = Number(readFileSync(path.join(ROOT, '.local', 'kafka', 'kafka.pid'), 'utf8').trim());
    } catch {
      kafkaPid = 0;
    }
  }
  if (pid === kafkaPid) return 'kafka broker';
  return null;
}

/** Prints the average cores each part used since `start`: shows the bottleneck and any outside load. */
function cpuReport(label, start) {
  const end = cpuSample();
  const seconds = (end.at - start.at) / 1000;
  const cores = os.cpus().length;
  const used = new Map();
  let classified = 0;
  for (const [pid, p] of end.procs) {
    const who = classify(pid, p.comm);
    if (!who) continue;
    const before = start.procs.get(pid);
    const ticks = before && before.comm === p.comm ? p.ticks - before.ticks : p.ticks;
    used.set(who, (used.get(who) ?? 0) + ticks);
    classified += ticks;
  }
  const machine = (end.busy - start.busy) / CLK_TCK / seconds;
  const parts = [...used].map(([who, ticks]) => [who, ticks / CLK_TCK / seconds]);
  const other = Math.max(0, machine - classified / CLK_TCK / seconds);
  parts.push(['everything else on the machine', other]);
  out(
    `   CPU during ${label} (${secs(seconds * 1000)}, average cores busy; machine ${machine.toFixed(2)} of ${cores}): ` +
      parts
        .filter(([, c]) => c >= 0.005)
        .map(([who, c]) => `${who} ${c.toFixed(2)}`)
        .join(', '),
  );
  return { machine, other, parts: Object.fromEntries(parts) };
}

// ----------------------------------------------------------------------------- CPU profiles ---

async function profile(step) {
  const profiled = [...services.values()].filter((s) => s.profiled);
  for (const svc of profiled) writeFileSync(`${svc.profFile}.control`, step);
  if (step !== 'stop') return;
  const deadline = Date.now() + 30_000;
  for (const svc of profiled) {
    while (!existsSync(svc.profFile) && Date.now() < deadline) await sleep(200);
  }
}

function summariseProfiles() {
  for (const svc of [...services.values()].filter((s) => s.profiled)) {
    if (!existsSync(svc.profFile)) {
      out(`\n   ${svc.app}: no CPU profile written`);
      continue;
    }
    const prof = JSON.parse(readFileSync(svc.profFile, 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const deltas = prof.timeDeltas ?? [];
    const self = new Map();
    const byPkg = new Map();
    let totalUs = 0;
    prof.samples.forEach((id, i) => {
      const n = byId.get(id);
      const us = deltas[i + 1] ?? deltas[i] ?? 0;
      totalUs += us;
      const cf = n.callFrame;
      const file = cf.url ? cf.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '') : '';
      const key = `${cf.functionName || '(anonymous)'} ${file ? `${file}:${cf.lineNumber + 1}` : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + us);
      const pkg = file.includes('node_modules/')
        ? file
            .split('node_modules/')
            .pop()
            .split('/')
            .slice(0, file.split('node_modules/').pop().startsWith('@') ? 2 : 1)
            .join('/')
        : file.startsWith('dist/')
          ? `ruta ${file.split('/').slice(1, 3).join('/')}`
          : file.startsWith('node:') || (!file.startsWith('/') && file)
            ? 'node internals'
            : cf.functionName.startsWith('(')
              ? cf.functionName
              : 'native/other';
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    });
    const top = (m, n) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, us]) => [k.length > 90 ? `${k.slice(0, 87)}...` : k, `${((100 * us) / totalUs).toFixed(1)}%`]);
    out(
      `\n   CPU profile of ${svc.app} during the throughput phase (${secs(totalUs / 1000)} sampled, ${path.relative(ROOT, svc.profFile)})`,
    );
    out(table(top(byPkg, 10), ['self time by package', 'share']).replace(/^/gm, '   '));
    out(table(top(self, 15), ['top frames by self time', 'share']).replace(/^/gm, '   '));
  }
}

// ------------------------------------------------------------------------- broker ceiling ---

function runCommand(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new PhaseError(`${args.slice(0, 3).join(' ')} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const kill = () => child.kill('SIGTERM');
    cleanups.push(kill);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.once('error', reject);
  });
}

async function brokerPhase(result, kafka) {
  if (cfg.perfRecords === 0) {
    out('\n== 4. Broker ceiling: skipped (BENCH_PERF_RECORDS=0)');
    return;
  }
  const topic = `${namespace}perf`;
  const recordSize = result.avgEventBytes ?? 500;
  out(
    `\n== 4. Broker ceiling: Kafka ProducerPerformance, ${fmt(cfg.perfRecords)} records of ${recordSize} bytes (our average intake event), acks=all, 3 partitions`,
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    const res = await runCommand(
      'bash',
      [
        'scripts/kafka.sh',
        'run',
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(cfg.perfRecords),
        '--record-size',
        String(recordSize),
        '--throughput',
        '-1',
        '--bootstrap-server',
        cfg.brokers.join(','),
        '--command-property',
        'acks=all',
      ],
      600_000,
    );
    const final = [
      ...res.stdout.matchAll(
        /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency.*$/gm,
      ),
    ].pop();
    if (res.code !== 0 || !final) {
      throw new PhaseError(
        `ProducerPerformance failed (exit ${res.code}):\n${(res.stderr || res.stdout).trim().split('\n').slice(-15).join('\n')}`,
      );
    }
    result.broker = {
      records: Number(final[1]),
      rate: Number(final[2]),
      mbps: Number(final[3]),
      avgMs: Number(final[4]),
      maxMs: Number(final[5]),
    };
    out(`   ${final[0]}`);
    out(`   => ${fmt(result.broker.rate)} records/s, ${fmt(result.broker.mbps, 2)} MB/s`);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch((e) => note(`could not delete ${topic}: ${e.message}`));
    await admin.disconnect();
  }
}

async function deleteNamespace(kafka) {
  if (cfg.keep) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(namespace));
    if (groups.length) await admin.deleteGroups(groups).catch(() => {});
    note(`deleted ${topics.length} topics and ${groups.length} consumer groups of namespace ${namespace}`);
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------- summary ---

function scanLogs() {
  const rows = [];
  const samples = [];
  for (const app of APPS) {
    const file = path.join(OUT_DIR, `${app}.log`);
    if (!existsSync(file)) continue;
    const counts = { warn: 0, error: 0, fatal: 0, other: 0 };
    const seen = new Map();
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
      counts[level]++;
      const k = msg.replace(/\d+/g, 'N').slice(0, 160);
      if (!seen.has(k)) seen.set(k, { level, msg: msg.slice(0, 240), n: 0 });
      seen.get(k).n++;
    }
    rows.push([app, counts.fatal, counts.error, counts.warn, counts.other]);
    for (const s of [...seen.values()].sort((a, b) => b.n - a.n).slice(0, 4))
      samples.push(`   ${app} ${s.level} x${s.n}: ${s.msg}`);
  }
  out(`\n== Service logs (${path.relative(ROOT, OUT_DIR)}/<service>.log, LOG_LEVEL=warn)`);
  out(table(rows, ['service', 'fatal', 'error', 'warn', 'other lines']).replace(/^/gm, '   '));
  if (samples.length) out(samples.join('\n'));
}

function machine() {
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

function summary(failures) {
  const rows = [];
  const pass = (b) => (b === undefined ? 'n/a' : b ? 'PASS' : 'MISS');
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
  out(`   machine: ${machine()}`);
  out(
    `   run: ${fmt(r.intake?.total ?? 0)} events, batches of ${cfg.batchSize} x ${cfg.concurrency} in flight, database ${dbName}, namespace ${namespace}`,
  );
  for (const [label, c] of [
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

// ------------------------------------------------------------------------------------- main ---

const result = {};

async function main() {
  const failures = [];
  mkdirSync(OUT_DIR, { recursive: true });
  out(
    `Ruta benchmark ${new Date().toISOString()}: database ${dbName}, Kafka namespace ${namespace}, brokers ${cfg.brokers.join(',')}`,
  );
  out(
    `load average before the run: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  const kafka = new Kafka({ clientId: 'ruta-bench', brokers: cfg.brokers, logLevel: logLevel.NOTHING });
  kafkaClient = kafka;
  cleanups.push(() => deleteNamespace(kafka));
  await createDatabase();
  result.pgVersion = (await q('SELECT version() AS v'))[0].v.split(' on ')[0];
  note(
    `starting the five services on ports ${cfg.portBase}-${cfg.portBase + 4}, logs in ${path.relative(ROOT, OUT_DIR)}/`,
  );
  const t = Date.now();
  await startServices();
  note(`services ready in ${secs(Date.now() - t)}; warming up (20 persons through the whole pipeline)`);
  await warmUp();

  let fatal = false;
  for (const [name, phase] of [
    ['throughput', throughputPhase],
    ['latency', latencyPhase],
  ]) {
    try {
      assertServicesAlive();
      await phase(result);
    } catch (error) {
      endProgress();
      failures.push(`${name} phase: ${error.message}`);
      out(`\n   ${name} phase FAILED: ${error.message}`);
      if (!(error instanceof PhaseError)) out(error.stack);
      // a dead service or a stalled pipeline makes the next phase meaningless
      if (services.size === 0 || [...services.values()].some((s) => s.exited)) fatal = true;
      break;
    }
  }
  if (!fatal && services.size > 0) {
    try {
      memoryPhase(result);
    } catch (error) {
      failures.push(`memory phase: ${error.message}`);
    }
  }
  summariseProfiles();
  await stopServices();
  try {
    await brokerPhase(result, kafka);
  } catch (error) {
    failures.push(`broker phase: ${error.message}`);
    out(`   broker phase FAILED: ${error.message}`);
  }
  scanLogs();
  if (result.verify && !result.verify.ok) failures.unshift('events were lost or doubled');
  summary(failures);
  out(`   total bench time ${secs(Date.now() - t0Process)}`);
  return failures.length === 0 ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (error) {
  endProgress();
  out(`\nbench FAILED: ${error instanceof PhaseError ? error.message : error.stack}`);
  code = 1;
} finally {
  await runCleanups();
}
process.exit(code);
