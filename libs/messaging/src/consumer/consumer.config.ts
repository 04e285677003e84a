const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * RUTA_CONSUMER_MAX_ATTEMPTS: how many times a batch failing unexpectedly is tried before the
 * failing key is parked (default 5). Refuses anything but a whole number from 1 to 100.
 */
export function consumerMaxAttempts(raw = process.env.RUTA_CONSUMER_MAX_ATTEMPTS): number {
  if (raw === undefined || raw === '') return DEFAULT_MAX_ATTEMPTS;
  const attempts = Number(raw);
  if (!/^\d+$/.test(raw) || attempts < 1 || attempts > 100) {
    throw new Error('RUTA_CONSUMER_MAX_ATTEMPTS must be a whole number from 1 to 100');
  }
  return attempts;
}
