import { IsOptional, ValidateBy } from 'class-validator';
import { IntegerSetting, OneOfSetting, PatternSetting } from './config-rules';

/** A host name or an IPv4/IPv6 address to bind to. */
const HOST =
  /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]{2,45})$/;

/** What every service's HTTP server and logs read. */
export class PlatformConfig {
  /** HTTP port; each service has its own default; 0 takes any free port. */
  @IsOptional()
  @IntegerSetting(0, 65535)
  PORT?: number;

  @PatternSetting(HOST, 'a host name or an IP address')
  HOST = '127.0.0.1';

  @OneOfSetting(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @OneOfSetting(['json', 'pretty'])
  LOG_FORMAT = 'json';

  /** Until a request's headers are in, in ms: a client that never finishes them is cut off. */
  @IntegerSetting(100, 600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** Until the whole request, body included, is in, in ms. */
  @IntegerSetting(100, 3_600_000)
  @ValidateBy({
    name: 'notShorterThanHeaders',
    validator: {
      validate: (value: unknown, args) => {
        const headers = (args?.object as PlatformConfig).HTTP_HEADERS_TIMEOUT_MS;
        return typeof value !== 'number' || !Number.isInteger(headers) || value >= headers;
      },
      defaultMessage: () => 'must be at least HTTP_HEADERS_TIMEOUT_MS',
    },
  })
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** An open connection with no traffic, in ms. */
  @IntegerSetting(100, 3_600_000)
  HTTP_IDLE_TIMEOUT_MS = 60_000;
}
