import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { open, pack, seal, unpack } from './envelope';

/** A person's data key: 32 random bytes, named by key_id. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** What the keyring holds for a person: their data key, or the mark that it was destroyed. */
export type PersonKey = DataKey | 'erased';

/** A person's erasure: when it happened, and whether this call did it (false: it was done before). */
export interface Erasure {
  erasedAt: string;
  now: boolean;
}

/** The wrapped key's associated data: a wrapped key copied onto another person's row does not unwrap. */
const wrapAad = (personId: string, keyId: string) => `ruta keyring/1 ${personId} ${keyId}`;

/**
 * The person keyring (crypto-shredding): one data key per person, stored wrapped (AES-256-GCM) by
 * the master key RUTA_IDENTIFIERS_KEY in keyring.person_keys. Whatever is sealed with a person's
 * data key, wherever it is copied, becomes unreadable when `erase` deletes the wrapped key. Keys are
 * read for each use and never cached, so an erasure takes effect in every service at once.
 */
/** A keyring row as read: the wrapped key is NULL once erased. */
interface KeyRow {
  person_id: string;
  key_id: string;
  kek_id: string;
  wrapped_key: Buffer | null;
}

export class PersonKeyring {
  private constructor(
    private readonly kek: Buffer | undefined,
    readonly kekId: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): PersonKeyring {
    const raw = env.RUTA_IDENTIFIERS_KEY;
    const kekId = env.RUTA_IDENTIFIERS_KEY_ID || 'k1';
    if (!raw) return new PersonKeyring(undefined, kekId);
    const kek = Buffer.from(raw, 'base64');
    if (kek.length !== 32) throw new Error('RUTA_IDENTIFIERS_KEY must be 32 bytes, base64 encoded');
    return new PersonKeyring(kek, kekId);
  }

  /** Whether a master key is configured: without one nothing can be sealed for a person. */
  get enabled(): boolean {
    return this.kek !== undefined;
  }

  /**
   * Each person's key. With `create`, a person without one gets a new key (rows inserted in one
   * order, so two transactions creating keys for the same people never deadlock); without it, a
   * person without a key is absent from the answer. An erased person answers 'erased'.
   */
  async keysFor(
    manager: EntityManager,
    personIds: readonly string[],
    options: { create: boolean },
  ): Promise<Map<string, PersonKey>> {
    const people = [...new Set(personIds)].sort();
    if (people.length === 0) return new Map();
    const kek = this.masterKey();
    const rows = await this.keyRows(manager, people);
    if (options.create) {
      // Keys are made (a random key, a wrap) only for the people who have none yet.
      const held = new Set(rows.map((r) => r.person_id));
      const fresh = people
        .filter((personId) => !held.has(personId))
        .map((personId) => {
          const keyId = randomUUID();
          return { personId, keyId, wrapped: pack(seal(kek, randomBytes(32), wrapAad(personId, keyId))) };
        });
      if (fresh.length > 0) {
        const made: KeyRow[] = await manager.query(
          `INSERT INTO keyring.person_keys (person_id, key_id, kek_id, wrapped_key)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS k(person_id, key_id, kek_id, wrapped)
           ORDER BY k.person_id COLLATE "C"
           ON CONFLICT (person_id) DO NOTHING
           RETURNING person_id, key_id, kek_id, wrapped_key`,
          [
            fresh.map((f) => f.personId),
            fresh.map((f) => f.keyId),
            fresh.map(() => this.kekId),
            fresh.map((f) => f.wrapped),
          ],
        );
        rows.push(...made);
        // A transaction that made one of these keys first: its key, not ours.
        const madeIds = new Set(made.map((r) => r.person_id));
        const raced = fresh.map((f) => f.personId).filter((personId) => !madeIds.has(personId));
        if (raced.length > 0) rows.push(...(await this.keyRows(manager, raced)));
      }
    }
    const keys = new Map<string, PersonKey>();
    for (const row of rows) {
      if (row.wrapped_key === null) {
        keys.set(row.person_id, 'erased');
        continue;
      }
      if (row.kek_id !== this.kekId)
        throw new Error(`person key wrapped by master key ${row.kek_id}, not ${this.kekId}`);
      keys.set(row.person_id, {
        keyId: row.key_id,
        key: open(kek, unpack(row.wrapped_key), wrapAad(row.person_id, row.key_id)),
      });
    }
    return keys;
  }

  private keyRows(manager: EntityManager, people: readonly string[]): Promise<KeyRow[]> {
    return manager.query(
      `SELECT person_id, key_id, kek_id, wrapped_key FROM keyring.person_keys WHERE person_id = ANY($1::text[])`,
      [people],
    );
  }

  /**
   * Destroys the person's data key: the wrapped key is set to NULL and erased_at recorded, in the
   * caller's transaction. A person without a key gets the erased row all the same when `known` (so
   * nothing is sealed for them later); an unknown person without a key answers undefined.
   */
  async erase(manager: EntityManager, personId: string, at: Date, known: boolean): Promise<Erasure | undefined> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count].
    const [destroyed]: { erased_at: Date }[] = await manager.query(
      `WITH destroyed AS (
         UPDATE keyring.person_keys SET wrapped_key = NULL, erased_at = $2
          WHERE person_id = $1 AND erased_at IS NULL RETURNING erased_at
       ) SELECT erased_at FROM destroyed`,
      [personId, at],
    );
    if (destroyed) return { erasedAt: destroyed.erased_at.toISOString(), now: true };
    const [before]: { erased_at: Date }[] = await manager.query(
      `SELECT erased_at FROM keyring.person_keys WHERE person_id = $1`,
      [personId],
    );
    if (before) return { erasedAt: before.erased_at.toISOString(), now: false };
    if (!known) return undefined;
    await manager.query(
      `INSERT INTO keyring.person_keys (person_id, key_id, kek_id, wrapped_key, erased_at) VALUES ($1, $2, $3, NULL, $4)`,
      [personId, randomUUID(), this.kekId, at],
    );
    return { erasedAt: at.toISOString(), now: true };
  }

  private masterKey(): Buffer {
    if (!this.kek) throw new Error('no master key: RUTA_IDENTIFIERS_KEY is not set');
    return this.kek;
  }
}
