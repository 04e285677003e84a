import type { PersonKeyring } from '@ruta/keyring';
import type { EntityManager } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.constants';
import { PERSON_KEY_PREFIX, type IdentifierVault } from './identifier-vault';

interface LegacyRow {
  event_id: string;
  person_id: string;
  key_id: string;
  iv: Buffer;
  auth_tag: Buffer;
  ciphertext: Buffer;
}

/** Which legacy rows: one person's (all of them, waiting for any other re-seal), or the next batch of anyone's. */
export type LegacyScope = { personId: string } | { after: string; limit: number };

/** What one pass did: rows re-sealed, rows left because their person is erased, and the last event id read. */
export interface ResealReport {
  resealed: number;
  erased: number;
  last?: string;
}

/**
 * Re-seals direct identifiers stored before per-person keys (sealed with the master key) with their
 * person's data key, and re-keys their fingerprints likewise, in the caller's transaction: until
 * then destroying the person's key would not reach them. Erasure runs it for the person first; the
 * gateway runs it over everyone's rows once after start (LegacyIdentifiersResealer).
 */
export async function resealLegacyIdentifiers(
  manager: EntityManager,
  vault: IdentifierVault,
  keyring: PersonKeyring,
  scope: LegacyScope,
): Promise<ResealReport> {
  const columns = 'event_id, person_id, key_id, iv, auth_tag, ciphertext';
  const legacy = `key_id NOT LIKE '${PERSON_KEY_PREFIX}%'`;
  const rows: LegacyRow[] =
    'personId' in scope
      ? await manager.query(
          `SELECT ${columns} FROM ${INTAKE_SCHEMA}.direct_identifiers WHERE person_id = $1 AND ${legacy} FOR UPDATE`,
          [scope.personId],
        )
      : await manager.query(
          `SELECT ${columns} FROM ${INTAKE_SCHEMA}.direct_identifiers WHERE event_id COLLATE "C" > $1 AND ${legacy}
            ORDER BY event_id COLLATE "C" LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [scope.after, scope.limit],
        );
  if (rows.length === 0) return { resealed: 0, erased: 0 };
  const keys = await keyring.keysFor(
    manager,
    rows.map((r) => r.person_id),
    { create: true },
  );
  const resealed = rows.flatMap((row) => {
    const key = keys.get(row.person_id);
    if (!key || key === 'erased') return [];
    const sealed = { keyId: row.key_id, iv: row.iv, tag: row.auth_tag, ciphertext: row.ciphertext };
    const identifiers = vault.open(sealed, row.event_id, undefined) as object;
    return [
      {
        eventId: row.event_id,
        sealed: vault.seal(identifiers, row.event_id, key),
        fingerprint: vault.fingerprint(identifiers, row.event_id, key),
      },
    ];
  });
  if (resealed.length > 0) {
    await manager.query(
      `UPDATE ${INTAKE_SCHEMA}.direct_identifiers d SET key_id = s.key_id, iv = s.iv, auth_tag = s.tag, ciphertext = s.ciphertext
         FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[], $5::bytea[]) AS s(event_id, key_id, iv, tag, ciphertext)
        WHERE d.event_id = s.event_id`,
      [
        resealed.map((r) => r.eventId),
        resealed.map((r) => r.sealed.keyId),
        resealed.map((r) => r.sealed.iv),
        resealed.map((r) => r.sealed.tag),
        resealed.map((r) => r.sealed.ciphertext),
      ],
    );
    await manager.query(
      `UPDATE ${INTAKE_SCHEMA}.events e SET identifiers_fingerprint = s.fingerprint
         FROM unnest($1::text[], $2::bytea[]) AS s(event_id, fingerprint) WHERE e.event_id = s.event_id`,
      [resealed.map((r) => r.eventId), resealed.map((r) => r.fingerprint)],
    );
  }
  return { resealed: resealed.length, erased: rows.length - resealed.length, last: rows.at(-1)!.event_id };
}
