/**
 * Leaf indexes and tree sizes are JavaScript numbers, not bigints. The log's `position` column is a
 * PostgreSQL bigint, but a number holds every integer up to 2^53 - 1 exactly: at a million events a
 * second that is 285 years of log, far beyond what the audit service will ever write. Numbers keep
 * the arithmetic and the node keys ({ level, index }) plain. Bitwise operators truncate to 32 bits,
 * so the code here halves and tests parity with arithmetic instead, and every value coming in from
 * outside goes through {@link toTreeIndex} so an unsafe one fails loudly instead of rounding.
 */

/**
 * A leaf index or tree size as a number, from a number, a bigint or a decimal string (as the pg
 * driver returns a bigint column). Throws, naming `what`, for anything negative, fractional,
 * non-canonical or beyond Number.MAX_SAFE_INTEGER.
 */
export function toTreeIndex(value: bigint | number | string, what: string): number {
  const exact =
    typeof value === 'bigint'
      ? value
      : typeof value === 'string'
        ? /^(0|[1-9][0-9]*)$/.test(value)
          ? BigInt(value)
          : undefined
        : Number.isInteger(value)
          ? BigInt(value)
          : undefined;
  if (exact === undefined || exact < 0n || exact > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`${what} must be a non-negative integer up to 2^53 - 1, got ${String(value)}`);
  }
  return Number(exact);
}

/** The largest power of two strictly below n (n >= 2): the size of the left subtree in RFC 6962's split. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether n is odd, without 32-bit bitwise operators. */
export const isOdd = (n: number): boolean => n % 2 === 1;

/** n shifted right by one bit, without 32-bit bitwise operators. */
export const half = (n: number): number => Math.floor(n / 2);

/**
 * The levels of the complete subtrees that make up a range of `size` leaves starting at an aligned
 * offset: the set bits of size, highest first (8 + 4 + 1 for 13).
 */
export function decomposition(size: number): number[] {
  const levels: number[] = [];
  for (let level = 0, rest = size; rest > 0; level++, rest = half(rest)) {
    if (isOdd(rest)) levels.unshift(level);
  }
  return levels;
}
