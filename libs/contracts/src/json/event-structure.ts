import type { FieldError } from '../field-error';

/** Keys that name a JavaScript object's machinery, never a field of any contract. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A NUL, or half of a surrogate pair: no PostgreSQL text or jsonb value can hold them. */
// eslint-disable-next-line no-control-regex -- the NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\p{Cs}]/u;

type Frame = { value: unknown; path: string; known: string; depth: number };

/**
 * What must be refused before class-transformer sees an event: nesting past `maxDepth` and keys
 * such as `constructor` or `__proto__` (read as plain data, they still break the mapping to
 * classes). Paths name contract fields only: `knownFields` says which keys are ours, anything
 * else is masked, since a key the contract does not know came from the sender.
 */
export function structuralErrors(raw: unknown, maxDepth: number, knownFields: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Frame[] = [{ value: raw, path: '', known: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, path, known, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) {
      errors.push({ field: known, messages: [`nested deeper than ${maxDepth} levels`] });
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      const isKnown = known === path && (Array.isArray(value) || knownFields.has(key));
      if (RESERVED_KEYS.has(key)) {
        errors.push({
          field: `${known ? `${known}.` : ''}(unknown field)`,
          messages: ['this field is not in the contract'],
          unknown: true,
        });
        continue;
      }
      stack.push({ value: child, path: childPath, known: isKnown ? childPath : known, depth: depth + 1 });
    }
  }
  return errors;
}

/**
 * Strings a database cannot store (a NUL, a lone surrogate such as `\ud800`), by field path.
 * Run on an event that passed its contract, so every path is a contract path.
 */
export function unstorableStrings(event: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: event, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) {
        errors.push({ field: path, messages: [`${path} must be text without NUL characters or lone surrogates`] });
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value))
        stack.push({ value: child, path: path ? `${path}.${key}` : key });
    }
  }
  return errors;
}
