import { readConfig } from './config/config-schema';
import { PlatformConfig } from './config/platform.config';

/** Deadlines of the HTTP server, in milliseconds (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_IDLE_TIMEOUT_MS). */
export interface HttpTimeouts {
  /** Until the request headers are in (default 10 s). */
  headersMs: number;
  /** Until the whole request, body included, is in (default 30 s). */
  requestMs: number;
  /** An open connection with no traffic (default 60 s). */
  idleMs: number;
}

export function httpTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const config = readConfig(PlatformConfig, env);
  return {
    headersMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestMs: config.HTTP_REQUEST_TIMEOUT_MS,
    idleMs: config.HTTP_IDLE_TIMEOUT_MS,
  };
}
