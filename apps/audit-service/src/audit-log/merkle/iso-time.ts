/**
 * Whether value is an instant exactly as Date.prototype.toISOString writes it for years 0000-9999
 * (`2026-11-29T09:00:00.000Z`). Hashed and signed text must have one spelling per instant, or the
 * same moment could be written two ways and only one of them would verify.
 */
export function isIsoInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && isRoundTrip(value);
}

const isRoundTrip = (value: string): boolean => {
  const time = new Date(value);
  return !Number.isNaN(time.getTime()) && time.toISOString() === value;
};
