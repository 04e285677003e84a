import { Injectable } from '@nestjs/common';
import { open, pack, PersonKeyring, seal, unpack, type PersonKey } from '@ruta/keyring';
import type { EntityManager } from 'typeorm';
import type { StoredNote } from '../../domain/lifecycle/reasons';

/** This service has no master key (RUTA_IDENTIFIERS_KEY): notes can be neither sealed nor opened. */
export class NotesUnavailableError extends Error {
  constructor() {
    super('notes cannot be sealed or opened without RUTA_IDENTIFIERS_KEY');
  }
}

/** The sealed note's associated data: a sealed note copied onto another person's referral does not open. */
const aad = (personId: string) => `ruta note/1 ${personId}`;

const isSealed = (note: unknown): note is { sealed: string } =>
  typeof note === 'object' && note !== null && typeof (note as { sealed?: unknown }).sealed === 'string';
const isErased = (note: unknown): note is { erased: true } =>
  typeof note === 'object' && note !== null && (note as { erased?: unknown }).erased === true;

type Holder = Record<string, unknown> & { note: unknown };

/** JSON objects only: a Date or a Buffer is not walked into. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** Whether any object inside `value` holds a `note` that `wanted` picks. */
function anyNote(value: unknown, wanted: (note: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((item) => anyNote(item, wanted));
  if (!isPlainObject(value)) return false;
  if ('note' in value && wanted((value as Holder).note)) return true;
  return Object.values(value).some((item) => anyNote(item, wanted));
}

/** `value` with every object holding a `note` passed through `change` (a copy; the input is left as it is). */
function mapNotes<T>(value: T, change: (holder: Holder) => Record<string, unknown>): T {
  if (Array.isArray(value)) return value.map((item: unknown) => mapNotes(item, change)) as T;
  if (!isPlainObject(value)) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapNotes(item, change)]));
  return ('note' in copy ? change(copy as Holder) : copy) as T;
}

/**
 * Caseworkers' notes sealed per person (crypto-shredding): a note is free text that may name
 * people, so each is sealed with its person's data key before it is written anywhere (the
 * referral's row, its timeline, an Idempotency-Key's kept answer), and opened only to answer a
 * caller. Once the person is erased their notes read `note: null, noteErased: true`, never an error.
 * Works on any value: every object with a `note` is a reason or outcome `{code, note}`.
 */
@Injectable()
export class CaseNotes {
  constructor(private readonly keyring: PersonKeyring) {}

  /** `value` with each note in text sealed for `personId` (their key made on first use). */
  async seal<T>(manager: EntityManager, personId: string, value: T): Promise<T> {
    if (!anyNote(value, (note) => typeof note === 'string')) return value;
    const key = await this.keyOf(manager, personId, true);
    return mapNotes(value, (holder) =>
      typeof holder.note === 'string' ? { ...holder, note: sealNote(key, personId, holder.note) } : holder,
    );
  }

  /** `value` with each sealed note opened; an erased person's (or one erased as it was written) as `note: null, noteErased: true`. */
  async open<T>(manager: EntityManager, personId: string, value: T): Promise<T> {
    if (!anyNote(value, (note) => isSealed(note) || isErased(note))) return value;
    const key = anyNote(value, isSealed) ? await this.keyOf(manager, personId, false) : 'erased';
    return mapNotes(value, (holder) => {
      if (isErased(holder.note) || (isSealed(holder.note) && key === 'erased')) {
        return { ...holder, note: null, noteErased: true };
      }
      if (!isSealed(holder.note) || key === 'erased') return holder;
      return {
        ...holder,
        note: open(key.key, unpack(Buffer.from(holder.note.sealed, 'base64')), aad(personId)).toString('utf8'),
      };
    });
  }

  /** The person's key; one without a key (none was ever made) has no note to open: read as erased. */
  private async keyOf(manager: EntityManager, personId: string, create: boolean): Promise<PersonKey> {
    if (!this.keyring.enabled) throw new NotesUnavailableError();
    return (await this.keyring.keysFor(manager, [personId], { create })).get(personId) ?? 'erased';
  }
}

function sealNote(key: PersonKey, personId: string, note: string): StoredNote {
  if (key === 'erased') return { erased: true };
  return { sealed: pack(seal(key.key, Buffer.from(note, 'utf8'), aad(personId))).toString('base64') };
}
