import { IntegerSetting } from '@ruta/platform';

/** How often each sector service looks for missed SLA deadlines. */
export class SlaConfig {
  /** A breach is raised at most this long after its deadline passed (while the service runs). */
  @IntegerSetting(1, 3600)
  RUTA_SLA_SCAN_INTERVAL_SECONDS = 60;
}
