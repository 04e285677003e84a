/**
 * JSON read with bounds checked before a single value is built: a body is a memory and stack hazard
 * before it is a validation question. A linear scan counts nesting and values (no recursion, no
 * allocation per value), and only text within the bounds goes to the native JSON.parse.
 */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays; the root container is level 1. */
  maxDepth: number;
  /** Most values in all (objects, arrays, strings, numbers, literals; object keys not counted). */
  maxValues: number;
}

export type JsonRefusal =
  | { reason: 'syntax'; message: string }
  | { reason: 'too-deep'; message: string }
  | { reason: 'too-many-values'; message: string };

export type BoundedJson = { ok: true; value: unknown } | { ok: false; refusal: JsonRefusal };

/** An intake event: the deepest contract (household members) is four levels; values stay in the hundreds. */
export const EVENT_JSON_LIMITS: JsonLimits = { maxDepth: 8, maxValues: 1000 };

const OBJECT = 1;
const ARRAY = 2;

/** Checks the bounds of `text` in one pass; says nothing of its syntax beyond what it needs. */
export function scanJson(text: string, limits: JsonLimits): JsonRefusal | undefined {
  const stack: number[] = [];
  let values = 0;
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      values++;
      if (stack.length >= limits.maxDepth) return tooDeep(limits);
      stack.push(c === 0x7b ? OBJECT : ARRAY);
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] === OBJECT;
      i++;
    } else if (c === 0x22 /* " */) {
      if (!expectKey) values++;
      expectKey = false;
      i = endOfString(text, i);
      if (i < 0) return { reason: 'syntax', message: 'the body is not valid JSON (an unterminated string)' };
    } else if (c === 0x3a /* : */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
    } else {
      values++;
      i = endOfLiteral(text, i);
    }
    if (values > limits.maxValues) {
      return { reason: 'too-many-values', message: `the JSON holds more than ${limits.maxValues} values` };
    }
  }
  return undefined;
}

/** Parses `text` when it is within `limits`; nothing of its content comes back in a refusal. */
export function parseBoundedJson(text: string, limits: JsonLimits): BoundedJson {
  const refusal = scanJson(text, limits);
  if (refusal) return { ok: false, refusal };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, refusal: { reason: 'syntax', message: 'the body is not valid JSON' } };
  }
}

/** Index just past the string opening at `start`, or -1 when it never closes. */
export function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Index just past a number or literal (true, false, null) starting at `start`. */
function endOfLiteral(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a || c === 0x22 || c === 0x7b || c === 0x5b) break;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i;
}

function tooDeep(limits: JsonLimits): JsonRefusal {
  return { reason: 'too-deep', message: `the JSON is nested deeper than ${limits.maxDepth} levels` };
}
