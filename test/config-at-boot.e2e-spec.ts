import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REFERENCE_DATA } from '@ruta/routing';

const ROOT = join(__dirname, '..');
/** A well-formed issuer: the services below exit on their configuration before they would ask it for keys. */
const ISSUER = 'http://127.0.0.1:8180/realms/ruta';

/** Runs a built service (npm run build) until it exits; a service that starts never does, and times out. */
async function runUntilExit(
  app: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', LOG_LEVEL: 'warn', RUTA_AUTH_ISSUER: ISSUER, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('a service refuses to start on invalid configuration', () => {
  // The gateway reads the stations from the same file as the sectors, so it checks it the same way.
  it.each(['health-service', 'intake-gateway'])(
    '%s names RUTA_REFERENCE_DATA when the file leaves a sector out',
    async (app) => {
      const data = JSON.parse(JSON.stringify(DEFAULT_REFERENCE_DATA));
      delete data.servicePoints.protection;
      const path = join(mkdtempSync(join(tmpdir(), 'ruta-config-')), 'reference.json');
      writeFileSync(path, JSON.stringify(data));

      const { code, stderr } = await runUntilExit(app, { RUTA_REFERENCE_DATA: path });

      expect(code).toBe(78);
      expect(stderr).toContain('configuration: RUTA_REFERENCE_DATA must be a readable JSON file');
      expect(stderr).toContain('(servicePoints.protection is missing)');
      expect(stderr).not.toContain(path);
    },
  );

  it('names KAFKA_BROKERS, never its value, when it is not a host:port list', async () => {
    const { code, stderr } = await runUntilExit('intake-gateway', { KAFKA_BROKERS: 'kafka.internal/9092' });

    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual([
      'configuration: KAFKA_BROKERS must be a comma-separated list of host:port (entry 1 is not host:port)',
      'configuration: refusing to start, 1 setting(s) at fault',
    ]);
  });

  it('names the auth settings: an issuer is required, and the ops flag is true or false', async () => {
    const { code, stderr } = await runUntilExit('health-service', {
      RUTA_AUTH_ISSUER: '',
      RUTA_OPEN_OPS_ENDPOINTS: 'yes',
    });

    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual([
      'configuration: RUTA_AUTH_ISSUER must be an http(s) URL, the issuer exactly as tokens name it (it is not set)',
      'configuration: RUTA_OPEN_OPS_ENDPOINTS must be true or false',
      'configuration: refusing to start, 2 setting(s) at fault',
    ]);
  });
});
