import type { ErasureReason } from '@ruta/contracts';
import type { PersonKeyring } from '@ruta/keyring';
import { enqueueOutbox } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import type { IdentifierVault } from '../intake/identifiers/identifier-vault';
import { resealLegacyIdentifiers } from '../intake/identifiers/legacy-identifiers';
import { INTAKE_SCHEMA } from '../intake/intake.constants';
import { personErasedMessage } from './person-erased.message';

/** Who asks to erase whom, why and through which channel. */
export interface ErasureRequest {
  personId: string;
  reason: ErasureReason;
  /** The admin's token subject (http), or `os-user:<name>` (cli). */
  actor: string;
  channel: 'http' | 'cli';
  at: Date;
}

/** The answer, the same however often the person is erased: who, and when their key was destroyed. */
export interface ErasureAnswer {
  personId: string;
  erased: true;
  erasedAt: string;
}

/** The answer, and whether this call destroyed the key (false: it was done before). */
export interface ErasureOutcome {
  answer: ErasureAnswer;
  now: boolean;
}

/** What erasure works with: the keyring, and the vault for identifiers still sealed with the master key. */
export interface ErasureKeys {
  keyring: PersonKeyring;
  vault: IdentifierVault;
}

/**
 * Erases a person in the caller's transaction: their intake lock row is held (so no intake of theirs
 * runs meanwhile), any identifiers of theirs still sealed with the master key re-sealed with their
 * data key, that key destroyed, and person.erased queued on the gateway's outbox, so the event
 * commits with the key's destruction and the audit log records it. Erasing again changes nothing
 * and answers the first erasure; a person the gateway never had an event for, with no key either,
 * answers undefined.
 */
export async function erasePerson(
  manager: EntityManager,
  { keyring, vault }: ErasureKeys,
  request: ErasureRequest,
): Promise<ErasureOutcome | undefined> {
  const known: unknown[] = await manager.query(
    `SELECT 1 FROM ${INTAKE_SCHEMA}.person_locks WHERE subject = $1 FOR UPDATE`,
    [request.personId],
  );
  await resealLegacyIdentifiers(manager, vault, keyring, { personId: request.personId });
  const erasure = await keyring.erase(manager, request.personId, request.at, known.length > 0);
  if (!erasure) return undefined;
  if (erasure.now) {
    await enqueueOutbox(manager, INTAKE_SCHEMA, [
      personErasedMessage({
        personId: request.personId,
        actor: request.actor,
        reason: request.reason,
        channel: request.channel,
        erasedAt: erasure.erasedAt,
      }),
    ]);
  }
  return { answer: { personId: request.personId, erased: true, erasedAt: erasure.erasedAt }, now: erasure.now };
}
