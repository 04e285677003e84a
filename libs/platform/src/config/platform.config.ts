import { IsOptional } from 'class-validator';
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
}
