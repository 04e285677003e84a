import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Kills the process (SIGKILL by default: no shutdown hook runs, as in a crash). */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface StartOptions {
  /** What to wait for: `ready` (default: database and messaging working) or `live` (HTTP up). */
  waitFor?: 'ready' | 'live';
}

/**
 * Starts a built service (dist/apps/<app>/src/main.js) as its own process, so a test can kill it
 * the hard way. Uses this process's DATABASE_URL, KAFKA_BROKERS, RUTA_KAFKA_NAMESPACE and
 * RUTA_AUTH_ISSUER (set by startTestIssuer), so the child verifies the test issuer's tokens.
 */
export async function startServiceProcess(
  app: string,
  env: Record<string, string> = {},
  { waitFor = 'ready' }: StartOptions = {},
): Promise<ServiceProcess> {
  if (!env.RUTA_AUTH_ISSUER && !process.env.RUTA_AUTH_ISSUER) {
    throw new Error(`${app} needs RUTA_AUTH_ISSUER: call startTestIssuer() (from @ruta/testing) before starting it`);
  }
  const port = await freePort();
  const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      // As the services run everywhere (Dockerfile, dev.sh), not the test runner's vm-modules flags.
      NODE_OPTIONS:
        process.env.RUTA_SERVICE_NODE_OPTIONS ??
        '--max-old-space-size=192 --max-semi-space-size=16 --disable-warning=TimeoutNegativeWarning',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} while starting: ${stderr}`);
    const ready = await fetch(`${url}/health/${waitFor}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} not ${waitFor} after 60 s (is dist/ built? npm run build): ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, kill: (signal = 'SIGKILL') => stop(child, signal) };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** True when the tests run against the project's own broker (scripts/kafka.sh), which they may restart. */
export function canRestartBroker(): boolean {
  return process.env.RUTA_KAFKA_LOCAL_BROKER === '1';
}

const kafkaScript = (command: 'start' | 'stop' | 'kill') => {
  if (!canRestartBroker()) throw new Error('the broker is not the local scripts/kafka.sh broker');
  return promisify(execFile)('bash', [join(ROOT, 'scripts', 'kafka.sh'), command], { cwd: ROOT });
};

/** Stops the local broker (SIGTERM, then waits for it to exit). */
export async function stopBroker(): Promise<void> {
  await kafkaScript('stop');
}

/** Kills the local broker with SIGKILL (a crash: no controlled shutdown) and waits until it is gone. */
export async function killBroker(): Promise<void> {
  await kafkaScript('kill');
}

/** Starts the local broker and waits until it serves requests. */
export async function startBroker(): Promise<void> {
  await kafkaScript('start');
}

/** Stops the local broker and starts it again, as in a broker restart. */
export async function restartBroker(pauseMs = 1000): Promise<void> {
  await stopBroker();
  await new Promise((r) => setTimeout(r, pauseMs));
  await startBroker();
}
