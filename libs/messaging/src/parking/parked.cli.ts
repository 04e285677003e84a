/**
 * `npm run parked -- list|retry|release [--group g]`: lists a service's parked messages by position
 * and code, retries them in order (after a fix), or releases them to the dead-letter topic, through
 * the service's admin endpoint (/v1/admin/parked), as the admin whose access token is in
 * RUTA_ADMIN_TOKEN (an environment variable, not an argument: the process list shows arguments).
 */
import { parkedRequest, PARKED_USAGE } from './parked.cli-args';

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(PARKED_USAGE);
    return 0;
  }
  let request;
  try {
    request = parkedRequest(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const token = process.env.RUTA_ADMIN_TOKEN;
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      ...(request.body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: request.body ? JSON.stringify(request.body) : undefined,
  });
  process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
  return response.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`parked failed: ${error.message}\n`);
    process.exit(1);
  },
);
