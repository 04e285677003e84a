/** Deadlines of the HTTP server, in milliseconds; each can be set through the environment. */
export interface HttpTimeouts {
  /** Until the request headers are in (HTTP_HEADERS_TIMEOUT_MS, default 10 s). */
  headersMs: number;
  /** Until the whole request, body included, is in (HTTP_REQUEST_TIMEOUT_MS, default 30 s). */
  requestMs: number;
  /** An open connection with no traffic (HTTP_IDLE_TIMEOUT_MS, default 60 s). */
  idleMs: number;
}

export function httpTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const requestMs = positiveMs(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000);
  const headersMs = positiveMs(env, 'HTTP_HEADERS_TIMEOUT_MS', Math.min(10_000, requestMs));
  if (headersMs > requestMs) throw new Error('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  return { headersMs, requestMs, idleMs: positiveMs(env, 'HTTP_IDLE_TIMEOUT_MS', 60_000) };
}

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number of milliseconds`);
  return value;
}
