import { MessagingConfig, readConfig } from '@ruta/platform';

/**
 * RUTA_CONSUMER_MAX_ATTEMPTS: how many times a batch failing unexpectedly is tried before the
 * failing key is parked (default 5), by MessagingConfig's rule, the one checked at boot.
 */
export function consumerMaxAttempts(raw = process.env.RUTA_CONSUMER_MAX_ATTEMPTS): number {
  try {
    return readConfig(MessagingConfig, { RUTA_CONSUMER_MAX_ATTEMPTS: raw }).RUTA_CONSUMER_MAX_ATTEMPTS;
  } catch {
    throw new Error('RUTA_CONSUMER_MAX_ATTEMPTS must be a whole number from 1 to 100');
  }
}
