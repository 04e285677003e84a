import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOUDEVENTS_CONTENT_TYPE, Topics, type CloudEvent, type FieldError } from '@ruta/contracts';
import { PersonKeyring, type DataKey } from '@ruta/keyring';
import { enqueueOutbox, MessagingService } from '@ruta/messaging';
import { isPermanentDatabaseError } from '@ruta/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentifierVault } from '../identifiers/identifier-vault';
import { INTAKE_SCHEMA } from '../intake.constants';
import { publishedEvent } from './published-event';
import type { Submission } from './submission';

/**
 * What became of one valid event: stored now, stored before with the same content, an id clash,
 * or refused by the database itself (a value it cannot store that the contract let through).
 */
export type StoreOutcome = 'accepted' | 'duplicate' | 'conflict' | 'unstorable' | 'erased';

/** How an id clash is reported, over HTTP and in the submissions' dead letters. */
export const ID_CONFLICT: { code: 'INTAKE.ID_CONFLICT'; errors: FieldError[] } = {
  code: 'INTAKE.ID_CONFLICT',
  errors: [{ field: 'id', messages: ['an event with this id was accepted with different content'] }],
};

/**
 * How identifiers for an erased person are refused: their data key was destroyed, and the gateway
 * makes none again (the event may come again without identifiers; no value is repeated).
 */
export const ERASED_PERSON: { code: 'INTAKE.PERSON_ERASED'; errors: FieldError[] } = {
  code: 'INTAKE.PERSON_ERASED',
  errors: [
    { field: 'data.identifiers', messages: ['this person was erased: direct identifiers are not kept for them'] },
  ],
};

/** How an event the database refused is reported (no value it held is repeated). */
export const UNSTORABLE: { code: 'INTAKE.UNSTORABLE'; errors: FieldError[] } = {
  code: 'INTAKE.UNSTORABLE',
  errors: [{ field: '', messages: ['the database refused a value of this event; nothing of it was stored'] }],
};

/**
 * The gateway's write path: stores valid events once per id and queues the new ones for
 * `intake.events.v1` in the same transaction, so an accepted event is never lost and never
 * published without being stored. Each new event gets the next value of one PostgreSQL sequence
 * while its person's row is locked: per person, sequences follow commit order (published as the
 * CloudEvents `sequence`). A whole batch costs a handful of statements.
 */
@Injectable()
export class IntakeStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    private readonly vault: IdentifierVault,
    private readonly keyring: PersonKeyring,
  ) {}

  /**
   * Outcomes in the order of `submissions`; within one call the first copy of an id wins. When
   * PostgreSQL refuses the data of one event, each is stored on its own, so the others still are.
   */
  async store(submissions: Submission[]): Promise<StoreOutcome[]> {
    if (submissions.length === 0) return [];
    let outcomes: StoreOutcome[];
    try {
      outcomes = await this.dataSource.transaction((manager) => this.storeIn(manager, submissions));
    } catch (error) {
      if (!isPermanentDatabaseError(error)) throw error;
      if (submissions.length === 1) return ['unstorable'];
      outcomes = [];
      for (const submission of submissions) outcomes.push(...(await this.store([submission])));
    }
    if (outcomes.includes('accepted')) this.messaging.relay.wake();
    return outcomes;
  }

  /**
   * The same inside the caller's transaction (the Kafka intake's batch); the caller wakes the relay.
   * Each person's lock row is held first; then the people whose identifiers come get their data key
   * (made on first use). Identifiers for a person whose key was erased are refused, event and all.
   */
  async storeIn(manager: EntityManager, submissions: Submission[]): Promise<StoreOutcome[]> {
    if (submissions.length === 0) return [];
    await lockPersons(
      manager,
      submissions.map((s) => s.event.subject),
    );
    const withIdentifiers = submissions.filter((s) => s.identifiers).map((s) => s.event.subject);
    const keys = await this.keyring.keysFor(manager, withIdentifiers, { create: true });
    const erased = submissions.map((s) => s.identifiers !== undefined && keys.get(s.event.subject) === 'erased');
    const outcomes = await this.storeKept(
      manager,
      submissions.filter((_, index) => !erased[index]),
      keys as Map<string, DataKey>,
    );
    let next = 0;
    return erased.map((refused) => (refused ? 'erased' : outcomes[next++]!));
  }

  /** Stores events whose people are locked and whose identifiers (if any) have a live data key in `keys`. */
  private async storeKept(
    manager: EntityManager,
    submissions: Submission[],
    keys: Map<string, DataKey>,
  ): Promise<StoreOutcome[]> {
    if (submissions.length === 0) return [];
    const events = submissions.map((s) => s.event);
    const keyOf = (s: Submission) => keys.get(s.event.subject)!;
    const fingerprints = submissions.map(
      (s) => s.identifiers && this.vault.fingerprint(s.identifiers, s.event.id, keyOf(s)),
    );
    const firstById = new Map<string, { event: CloudEvent; json: string; fingerprint?: Buffer; index: number }>();
    events.forEach((event, index) => {
      if (!firstById.has(event.id)) {
        firstById.set(event.id, { event, json: JSON.stringify(event), fingerprint: fingerprints[index], index });
      }
    });
    const unique = [...firstById.values()];
    // Sequences are drawn in batch order; rows are inserted (and locked) in id order, so two
    // batches sharing ids wait for each other and never deadlock.
    const inserted: { event_id: string; sequence: string; accepted_at: Date }[] = await manager.query(
      `INSERT INTO intake.events (event_id, type, subject, source, payload, identifiers_fingerprint, sequence)
       SELECT event_id, type, subject, source, payload, fingerprint, sequence FROM (
         SELECT s.*, nextval('intake.events_sequence') AS sequence
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::bytea[]) WITH ORDINALITY
           AS s(event_id, type, subject, source, payload, fingerprint, position)
         ORDER BY position
       ) AS drawn
       ORDER BY event_id COLLATE "C"
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id, sequence, accepted_at`,
      [
        unique.map((u) => u.event.id),
        unique.map((u) => u.event.type),
        unique.map((u) => u.event.subject),
        unique.map((u) => u.event.source),
        unique.map((u) => u.json),
        unique.map((u) => u.fingerprint ?? null),
      ],
    );
    const accepted = new Map(inserted.map((r) => [r.event_id, r]));
    const existing = unique.filter((u) => !accepted.has(u.event.id));
    const same = new Set<string>();
    if (existing.length > 0) {
      const rows: { event_id: string }[] = await manager.query(
        `SELECT e.event_id FROM intake.events e
         JOIN unnest($1::text[], $2::jsonb[], $3::bytea[], $4::bytea[]) AS s(event_id, payload, fingerprint, legacy)
           ON s.event_id = e.event_id
         WHERE e.payload = s.payload
           AND (e.identifiers_fingerprint IS NOT DISTINCT FROM s.fingerprint OR e.identifiers_fingerprint = s.legacy)`,
        [
          existing.map((u) => u.event.id),
          existing.map((u) => u.json),
          existing.map((u) => u.fingerprint ?? null),
          // Rows stored before per-person keys hold a fingerprint under the master key: compared too
          // (computed only for ids already taken, the only ones it can match).
          existing.map((u) => {
            const identifiers = submissions[u.index]!.identifiers;
            return identifiers ? this.vault.legacyFingerprint(identifiers, u.event.id) : null;
          }),
        ],
      );
      for (const row of rows) same.add(row.event_id);
    }
    await enqueueOutbox(
      manager,
      INTAKE_SCHEMA,
      unique
        .filter((u) => accepted.has(u.event.id))
        .map(({ event }) => {
          const { sequence, accepted_at } = accepted.get(event.id)!;
          return {
            topic: Topics.intakeEvents,
            key: event.subject,
            value: publishedEvent(event, accepted_at, sequence),
            headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: event.id, ce_type: event.type },
          };
        }),
    );
    await this.storeIdentifiers(
      manager,
      submissions.filter(
        (s, index) => s.identifiers && accepted.has(s.event.id) && firstById.get(s.event.id)!.index === index,
      ),
      keys,
    );
    const firstOutcome = (id: string): StoreOutcome =>
      accepted.has(id) ? 'accepted' : same.has(id) ? 'duplicate' : 'conflict';
    return events.map((event, index) => {
      const first = firstById.get(event.id)!;
      if (first.index === index) return firstOutcome(event.id);
      // A later copy in the same call: a duplicate of the first, unless its content differs.
      if (!isDeepStrictEqual(event, first.event) || !sameFingerprint(fingerprints[index], first.fingerprint)) {
        return 'conflict';
      }
      return firstOutcome(event.id) === 'conflict' ? 'conflict' : 'duplicate';
    });
  }

  /** Direct identifiers, sealed with their person's data key and the event id bound in; kept in the gateway's schema only. */
  private async storeIdentifiers(
    manager: EntityManager,
    submissions: Submission[],
    keys: Map<string, DataKey>,
  ): Promise<void> {
    if (submissions.length === 0) return;
    const sealed = submissions.map((s) => ({
      event: s.event,
      sealed: this.vault.seal(s.identifiers!, s.event.id, keys.get(s.event.subject)!),
    }));
    await manager.query(
      `INSERT INTO intake.direct_identifiers (event_id, person_id, key_id, iv, auth_tag, ciphertext)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bytea[], $6::bytea[])`,
      [
        sealed.map((s) => s.event.id),
        sealed.map((s) => s.event.subject),
        sealed.map((s) => s.sealed.keyId),
        sealed.map((s) => s.sealed.iv),
        sealed.map((s) => s.sealed.tag),
        sealed.map((s) => s.sealed.ciphertext),
      ],
    );
  }
}

/**
 * Holds each person's row of intake.person_locks until the transaction ends, so a person's
 * sequences follow commit order across requests and replicas. One statement, rows taken in one
 * order (so two batches never deadlock); `WHERE false` locks a known person's row without
 * writing a new version of it.
 */
async function lockPersons(manager: EntityManager, subjects: string[]): Promise<void> {
  await manager.query(
    `INSERT INTO intake.person_locks (subject)
     SELECT DISTINCT s COLLATE "C" FROM unnest($1::text[]) AS s ORDER BY 1
     ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject WHERE false`,
    [subjects],
  );
}

function sameFingerprint(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}
