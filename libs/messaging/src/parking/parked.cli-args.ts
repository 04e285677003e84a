import { parseArgs } from 'node:util';

/** Default ports of the services (their main.ts), for `--service`. */
export const SERVICE_PORTS: Record<string, number> = {
  'intake-gateway': 3000,
  'health-service': 3001,
  'social-development-service': 3002,
  'protection-service': 3003,
  'audit-service': 3004,
};

export const PARKED_USAGE =
  'usage: npm run parked -- list|retry|release [--group <consumer group>] ' +
  '[--topic <topic> --partition <n> --offset <n>] [--service <name> | --url <admin base URL>]\n' +
  `  --service defaults to health-service (${Object.keys(SERVICE_PORTS).join(', ')}); ` +
  '--url (or RUTA_ADMIN_URL) wins over it\n' +
  '  RUTA_ADMIN_TOKEN: an access token with role admin (README: getting a token), sent as the bearer token\n';

export interface ParkedCliRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, unknown>;
}

/** The admin request a `npm run parked` command line means; throws with the usage when it means none. */
export function parkedRequest(argv: string[], env: NodeJS.ProcessEnv = process.env): ParkedCliRequest {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      group: { type: 'string' },
      topic: { type: 'string' },
      partition: { type: 'string' },
      offset: { type: 'string' },
      service: { type: 'string', default: 'health-service' },
      url: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || rest.length > 0 || !['list', 'retry', 'release'].includes(command)) throw new Error(PARKED_USAGE);
  const port = SERVICE_PORTS[values.service];
  const base = values.url ?? env.RUTA_ADMIN_URL ?? (port ? `http://127.0.0.1:${port}` : undefined);
  if (!base) throw new Error(`unknown service ${values.service}\n${PARKED_USAGE}`);
  const root = `${base.replace(/\/+$/, '')}/v1/admin/parked`;
  if (command === 'list') {
    const query = values.group ? `?group=${encodeURIComponent(values.group)}` : '';
    return { method: 'GET', url: root + query };
  }
  if (values.offset !== undefined && (values.topic === undefined || values.partition === undefined)) {
    throw new Error(`--offset names a parked message: give --topic and --partition with it\n${PARKED_USAGE}`);
  }
  const body: Record<string, unknown> = {};
  if (values.group !== undefined) body.group = values.group;
  if (values.topic !== undefined) body.topic = values.topic;
  if (values.partition !== undefined) body.partition = Number(values.partition);
  if (values.offset !== undefined) body.offset = values.offset;
  return { method: 'POST', url: `${root}/${command}`, body };
}
