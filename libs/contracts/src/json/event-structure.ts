import type { FieldError } from '../field-error';

/** Keys that name a JavaScript object's machinery, never a field of any contract. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// eslint-disable-next-line no-control-regex -- the NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\p{Cs}]/u;

export interface EventInspection {
  /** Nesting past the limit, keys such as constructor: the event must not reach class-transformer. */
  blocking: FieldError[];
  /** Strings a database cannot store (a NUL, half of a surrogate pair), in contract fields. */
  unstorable: FieldError[];
}

/**
 * One walk over a would-be event, before class-transformer sees it. Paths name contract fields
 * only (`knownFields` says which keys are ours): a key the contract does not know came from the
 * sender and is masked. Recursion is bounded by `maxDepth`; a path is built only for an error.
 */
export function inspectEvent(raw: unknown, maxDepth: number, knownFields: ReadonlySet<string>): EventInspection {
  const found: EventInspection = { blocking: [], unstorable: [] };
  const path: string[] = [];
  const prefix = (count: number) => path.slice(0, count).join('.');
  const visit = (value: unknown, depth: number, known: number): void => {
    if (typeof value === 'string') {
      if (known === path.length && UNSTORABLE.test(value)) {
        const field = prefix(known);
        found.unstorable.push({ field, messages: [`${field} must be text without NUL characters or lone surrogates`] });
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth > maxDepth) {
      found.blocking.push({ field: prefix(known), messages: [`nested deeper than ${maxDepth} levels`] });
      return;
    }
    const parentKnown = known === path.length;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(String(i));
        visit(value[i], depth + 1, parentKnown ? known + 1 : known);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) {
        const field = known > 0 ? `${prefix(known)}.(unknown field)` : '(unknown field)';
        found.blocking.push({ field, messages: ['this field is not in the contract'], unknown: true });
        continue;
      }
      path.push(key);
      visit(
        (value as Record<string, unknown>)[key],
        depth + 1,
        parentKnown && knownFields.has(key) ? known + 1 : known,
      );
      path.pop();
    }
  };
  visit(raw, 1, 0);
  return found;
}
