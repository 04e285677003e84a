import { IntegerSetting } from './config-rules';

/** How long bookkeeping rows are kept and how often the retention job runs. */
export class RetentionConfig {
  /**
   * Inbox rows (processed event ids) outlive Kafka's 7-day topic retention, so any redelivery of
   * a message still on a topic is recognised as done; 8 days is the least that keeps that promise.
   */
  @IntegerSetting(8, 3650)
  RUTA_INBOX_RETENTION_DAYS = 14;

  /** Routing decisions explain referrals to auditors: a year by default; the latest per person and type stays. */
  @IntegerSetting(1, 36500)
  RUTA_DECISION_RETENTION_DAYS = 365;

  @IntegerSetting(1, 1440)
  RUTA_RETENTION_INTERVAL_MINUTES = 60;
}
