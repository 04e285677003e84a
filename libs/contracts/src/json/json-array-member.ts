import { endOfString } from './bounded-json';

/**
 * Splits `{"<member>": [item, item, ...]}` into the items' own JSON texts without building any of
 * them, stopping as soon as there are more than `maxItems`: a batch body is bounded by its count
 * before memory is spent, and each item is then read (and judged) on its own.
 */
export type SplitMember =
  | { ok: true; items: string[] }
  | { ok: false; problem: 'syntax' | 'shape' | 'too-many'; message: string; unknownFields: number };

export function splitJsonArrayMember(text: string, member: string, maxItems: number): SplitMember {
  const cursor = new Cursor(text);
  try {
    cursor.skipSpace();
    cursor.expect(0x7b, 'the body must be a JSON object');
    let items: string[] | undefined;
    let unknownFields = 0;
    cursor.skipSpace();
    if (cursor.peek() === 0x7d) cursor.next();
    else
      for (;;) {
        cursor.skipSpace();
        const key = cursor.readKey();
        cursor.skipSpace();
        cursor.expect(0x3a, 'the body is not valid JSON');
        cursor.skipSpace();
        if (key === member) {
          if (items) throw new Refused('shape', `${member} is given twice`);
          items = cursor.readArray(member, maxItems);
        } else {
          unknownFields++;
          cursor.skipValue();
        }
        cursor.skipSpace();
        if (cursor.peek() === 0x2c) {
          cursor.next();
          continue;
        }
        cursor.expect(0x7d, 'the body is not valid JSON');
        break;
      }
    cursor.skipSpace();
    if (!cursor.done()) throw new Refused('syntax', 'the body is not valid JSON (text after the object)');
    if (!items || unknownFields > 0) {
      const message = items ? 'the body holds fields the request does not know' : `${member} is missing`;
      return { ok: false, problem: 'shape', message, unknownFields };
    }
    return { ok: true, items };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { ok: false, problem: error.problem, message: error.message, unknownFields: 0 };
  }
}

class Refused extends Error {
  constructor(
    readonly problem: 'syntax' | 'shape' | 'too-many',
    message: string,
  ) {
    super(message);
  }
}

class Cursor {
  private i = 0;

  constructor(private readonly text: string) {}

  peek(): number {
    return this.text.charCodeAt(this.i);
  }

  next(): void {
    this.i++;
  }

  done(): boolean {
    return this.i >= this.text.length;
  }

  skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  expect(code: number, message: string): void {
    if (this.peek() !== code) throw new Refused(this.i === 0 ? 'shape' : 'syntax', message);
    this.i++;
  }

  /** An object key, decoded (it may hold escapes); never echoed by the caller. */
  readKey(): string {
    if (this.peek() !== 0x22) throw new Refused('syntax', 'the body is not valid JSON (a key must be a string)');
    const end = endOfString(this.text, this.i);
    if (end < 0) throw new Refused('syntax', 'the body is not valid JSON (an unterminated string)');
    const raw = this.text.slice(this.i, end);
    this.i = end;
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new Refused('syntax', 'the body is not valid JSON (a malformed key)');
    }
  }

  /** The items of the array at the cursor, as texts; refused past `maxItems`. */
  readArray(member: string, maxItems: number): string[] {
    if (this.peek() !== 0x5b) throw new Refused('shape', `${member} must be an array`);
    this.i++;
    const items: string[] = [];
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.i++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      const start = this.i;
      this.skipValue();
      if (items.length === maxItems) throw new Refused('too-many', `at most ${maxItems} ${member} per request`);
      items.push(this.text.slice(start, this.i));
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === 0x5d) return items;
      if (c !== 0x2c) throw new Refused('syntax', `the body is not valid JSON (in ${member})`);
    }
  }

  /** Moves past one value of any depth, counting brackets outside strings (no recursion). */
  skipValue(): void {
    const c = this.peek();
    if (c === 0x22) {
      const end = endOfString(this.text, this.i);
      if (end < 0) throw new Refused('syntax', 'the body is not valid JSON (an unterminated string)');
      this.i = end;
      return;
    }
    if (c !== 0x7b && c !== 0x5b) {
      const start = this.i;
      while (!this.done() && !/[\s,}\]:]/.test(this.text[this.i]!)) this.i++;
      if (this.i === start) throw new Refused('syntax', 'the body is not valid JSON (a value is missing)');
      return;
    }
    let depth = 0;
    while (!this.done()) {
      const d = this.peek();
      if (d === 0x22) {
        const end = endOfString(this.text, this.i);
        if (end < 0) break;
        this.i = end;
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) depth--;
      this.i++;
      if (depth === 0) return;
    }
    throw new Refused('syntax', 'the body is not valid JSON (an unclosed object or array)');
  }
}
