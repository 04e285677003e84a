import { IsOptional } from 'class-validator';
import { CheckedSetting, IntegerSetting, PatternSetting } from './config-rules';

const BROKER = /^(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?):(\d{1,5})$/;

/** A comma-separated list of host:port, each port from 1 to 65535. */
function isBrokerList(value: unknown): true | string {
  const brokers = String(value)
    .split(',')
    .map((b) => b.trim());
  for (const [i, broker] of brokers.entries()) {
    const port = BROKER.exec(broker)?.[3];
    if (!port || Number(port) < 1 || Number(port) > 65535) return `entry ${i + 1} is not host:port`;
  }
  return true;
}

/** The Kafka cluster and how this deployment's topics are named there. */
export class MessagingConfig {
  @CheckedSetting('isBrokerList', isBrokerList, 'a comma-separated list of host:port')
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IntegerSetting(1, 10000)
  KAFKA_PARTITIONS = 3;

  // kafkaNamespace() (libs/messaging/src/kafka/kafka.config.ts) reads it through this rule.
  @IsOptional()
  @PatternSetting(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    '1-100 letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  RUTA_KAFKA_NAMESPACE?: string;

  /** Tries of a batch failing unexpectedly before its failing key is parked (libs/messaging). */
  @IntegerSetting(1, 100)
  RUTA_CONSUMER_MAX_ATTEMPTS = 5;
}
