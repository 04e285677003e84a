import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { opsAuthorization, startBenchIssuer } from './auth';
import { onCleanup } from './cleanup';
import { databaseUrl } from './database';
import { note, PhaseError, secs, sleep } from './output';
import { APPS, cfg, namespace, OUT_DIR, ROOT } from './settings';

/** A service started by the bench, its log and (when profiled) its CPU profile. */
export interface Service {
  app: string;
  proc: ChildProcess;
  port: number;
  logFile: string;
  log: WriteStream;
  profFile: string;
  profiled: boolean;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
}

export const services = new Map<string, Service>();

function portFree(port: number): Promise<boolean> {
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

export async function startServices(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const profiled = cfg.cpuProf.includes('all') ? APPS : cfg.cpuProf;
  for (const app of profiled)
    if (!(APPS as readonly string[]).includes(app)) throw new PhaseError(`BENCH_CPU_PROF: unknown app ${app}`);
  const preload = profiled.length > 0 ? profilePreload() : undefined;
  const issuerUrl = await startBenchIssuer();
  const auditSigningKey = generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'der' })
    .toString('base64');
  // The person keyring's master key, shared by the gateway and the sectors as in a deployment.
  const identifiersKey = randomBytes(32).toString('base64');
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
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl(),
      KAFKA_BROKERS: cfg.brokers.join(','),
      RUTA_KAFKA_NAMESPACE: namespace,
      // Authentication on, against the bench's own issuer (auth.ts says why not Keycloak).
      RUTA_AUTH_ISSUER: issuerUrl,
      RUTA_AUTH_JWKS_URL: '',
      // The audit log signs a checkpoint every 10,000 entries (its default) with a key of this run.
      RUTA_AUDIT_SIGNING_KEY: auditSigningKey,
      RUTA_IDENTIFIERS_KEY: process.env.RUTA_IDENTIFIERS_KEY ?? identifiersKey,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      // As the services run everywhere (Dockerfile, dev.sh): a bounded heap and two malloc arenas
      // keep them under 250 MB (with glibc's default arena per thread, peaks reached 250-260 MB).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
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
    proc.stdout!.pipe(log, { end: false });
    proc.stderr!.pipe(log, { end: false });
    const svc: Service = { app, proc, port, logFile, log, profFile, profiled: profiled.includes(app), exited: null };
    proc.once('exit', (code, signal) => {
      svc.exited = { code, signal };
    });
    services.set(app, svc);
    if (i === 0) onCleanup(stopServices);
    await waitReady(svc);
  }
}

/**
 * Services start one after the other: started together on a fresh namespace, two of them creating
 * the same topics race, and kafkajs' createTopics(waitForLeaders) can throw UNKNOWN_TOPIC_OR_PARTITION
 * out of onApplicationBootstrap, which kills the service (seen with audit-service).
 */
async function waitReady(svc: Service): Promise<void> {
  const deadline = Date.now() + 120_000;
  const t = Date.now();
  for (;;) {
    if (svc.exited)
      throw new PhaseError(`${svc.app} exited during start-up (${describeExit(svc)})\n${tail(svc.logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/health/ready`, {
        headers: { authorization: opsAuthorization() },
        signal: AbortSignal.timeout(3000),
      });
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

function describeExit(svc: Service): string {
  return svc.exited?.signal ? `signal ${svc.exited.signal}` : `exit code ${svc.exited?.code}`;
}

function tail(file: string, lines = 15): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return `----- last lines of ${path.relative(ROOT, file)} -----\n${text.join('\n')}`;
  } catch {
    return `(no log at ${file})`;
  }
}

export function assertServicesAlive(): void {
  for (const svc of services.values()) {
    if (svc.exited) throw new PhaseError(`${svc.app} died (${describeExit(svc)})\n${tail(svc.logFile)}`);
  }
}

export async function stopServices(): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const svc of services.values()) {
    if (svc.exited) continue;
    waits.push(
      new Promise<void>((resolve) => {
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
