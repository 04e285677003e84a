import { ConfigurationError, readConfig } from '@ruta/platform';
import { SlaConfig } from './sla.config';

describe('SlaConfig', () => {
  it('scans every 60 seconds unless told, from 1 second to an hour', () => {
    expect(readConfig(SlaConfig, {}).RUTA_SLA_SCAN_INTERVAL_SECONDS).toBe(60);
    expect(readConfig(SlaConfig, { RUTA_SLA_SCAN_INTERVAL_SECONDS: '1' }).RUTA_SLA_SCAN_INTERVAL_SECONDS).toBe(1);
    expect(readConfig(SlaConfig, { RUTA_SLA_SCAN_INTERVAL_SECONDS: '3600' }).RUTA_SLA_SCAN_INTERVAL_SECONDS).toBe(3600);
  });

  it.each(['0', '3601', '-5', '1e3', '60s'])('refuses %j naming the setting', (value) => {
    expect(() => readConfig(SlaConfig, { RUTA_SLA_SCAN_INTERVAL_SECONDS: value })).toThrow(ConfigurationError);
    expect(() => readConfig(SlaConfig, { RUTA_SLA_SCAN_INTERVAL_SECONDS: value })).toThrow(
      /RUTA_SLA_SCAN_INTERVAL_SECONDS/,
    );
  });
});
