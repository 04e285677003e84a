import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PERSON_ERASED, Topics, type CloudEvent } from '@ruta/contracts';
import { open, PersonKeyring, seal, type PersonKey } from '@ruta/keyring';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  callers,
  createTestEnvironment,
  personId,
  personRegistered,
  readWholeTopic,
  startTestIssuer,
  tokenFor,
  waitUntil,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { IdentifierVault, type SealedIdentifiers } from '../intake/identifiers/identifier-vault';
import { LegacyIdentifiersResealer } from '../intake/identifiers/legacy-identifiers.resealer';

const CLI = path.resolve(__dirname, '../../../../dist/apps/intake-gateway/src/erasure/erase.cli.js');

describe('erasure by key destruction at the gateway (PostgreSQL, Kafka)', () => {
  let environment: TestEnvironment;
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  const vault = IdentifierVault.fromEnv();
  const keyring = PersonKeyring.fromEnv();

  beforeAll(async () => {
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('erasure');
    app = await createServiceApp(AppModule);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    await app.get(MessagingService).started;
    dataSource = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const call = async (url: string, caller: TestCaller, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(issuer, caller)}` },
      payload: JSON.stringify(body),
    });
  const erase = (person: string, reason: unknown = 'data-subject-request') =>
    call(`/v1/admin/people/${person}:erase`, callers.admin, { reason });

  /** A person registered through the gateway with direct identifiers; their event id. */
  const registerWithIdentifiers = async (person: string, documentNumber: string) => {
    const event = personRegistered(person);
    const identifiers = { fullName: 'Yusleidy Carolina Márquez', documentType: 'passport', documentNumber };
    const answer = await call('/v1/intake/events', callers.borderAgent, {
      ...event,
      data: { ...event.data, identifiers },
    });
    expect(answer.statusCode).toBe(202);
    return { eventId: event.id, identifiers };
  };

  const sealedRow = async (eventId: string): Promise<SealedIdentifiers> => {
    const [row] = await dataSource.query(
      'SELECT key_id, iv, auth_tag, ciphertext FROM intake.direct_identifiers WHERE event_id = $1',
      [eventId],
    );
    return { keyId: row.key_id, iv: row.iv, tag: row.auth_tag, ciphertext: row.ciphertext };
  };

  /** What the keyring answers for a person now, read as any service reads it (no key made). */
  const keyOf = async (person: string): Promise<PersonKey | undefined> =>
    (await keyring.keysFor(dataSource.manager, [person], { create: false })).get(person);

  const erasedEvents = async (person: string): Promise<CloudEvent[]> =>
    (await readWholeTopic(environment.kafka, environment.namespace + Topics.operations))
      .map((m) => JSON.parse(m.value!.toString()) as CloudEvent)
      .filter((e) => e.type === PERSON_ERASED && e.subject === person);

  it("seals each person's identifiers with their own data key, wrapped by the master key", async () => {
    const [ana, ben] = [personId(), personId()];
    const a = await registerWithIdentifiers(ana, 'V28391034');
    const b = await registerWithIdentifiers(ben, 'V11111111');
    const [sealedA, sealedB] = [await sealedRow(a.eventId), await sealedRow(b.eventId)];
    const [keyA, keyB] = [await keyOf(ana), await keyOf(ben)];
    expect(sealedA.keyId).toBe(`person:${(keyA as { keyId: string }).keyId}`);
    expect(sealedB.keyId).toBe(`person:${(keyB as { keyId: string }).keyId}`);
    expect(vault.open(sealedA, a.eventId, keyA)).toEqual(a.identifiers);
    // Not the master key, and not another person's key.
    const master = Buffer.from(process.env.RUTA_IDENTIFIERS_KEY!, 'base64');
    expect(() => open(master, sealedA, a.eventId)).toThrow();
    expect(() => vault.open(sealedA, a.eventId, keyB)).toThrow();
    const [wrapped] = await dataSource.query('SELECT wrapped_key FROM keyring.person_keys WHERE person_id = $1', [ana]);
    expect(wrapped.wrapped_key.length).toBe(12 + 16 + 32);
  });

  it("makes a person's identifiers unreadable by destroying their key only, logs it once, and leaves others untouched", async () => {
    const [ana, ben] = [personId(), personId()];
    const a = await registerWithIdentifiers(ana, 'V28391034');
    const b = await registerWithIdentifiers(ben, 'V11111111');
    const before = await sealedRow(a.eventId);

    const first = await erase(ana);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ personId: ana, erased: true, erasedAt: expect.any(String) });

    // Nothing deleted but the key: the sealed row is byte for byte what it was, and no key opens it.
    expect(await sealedRow(a.eventId)).toEqual(before);
    expect(await keyOf(ana)).toBe('erased');
    expect(vault.open(before, a.eventId, await keyOf(ana))).toBe('erased');
    const [row] = await dataSource.query(
      'SELECT wrapped_key, erased_at FROM keyring.person_keys WHERE person_id = $1',
      [ana],
    );
    expect(row.wrapped_key).toBeNull();
    expect(row.erased_at.toISOString()).toBe(first.json().erasedAt);
    // The other person's identifiers open as before.
    expect(vault.open(await sealedRow(b.eventId), b.eventId, await keyOf(ben))).toEqual(b.identifiers);

    // Erasing again answers the same and publishes nothing more.
    const again = await erase(ana, 'legal-obligation');
    expect({ status: again.statusCode, body: again.json() }).toEqual({ status: 200, body: first.json() });
    const events = await waitUntil(async () => {
      const found = await erasedEvents(ana);
      return found.length > 0 ? found : undefined;
    }, 'person.erased published');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'ruta/intake-gateway',
      subject: ana,
      data: {
        personId: ana,
        actor: callers.admin.sub,
        reason: 'data-subject-request',
        channel: 'http',
        erasedAt: first.json().erasedAt,
      },
    });
    expect(JSON.stringify(events)).not.toContain('V28391034');
  });

  it('refuses identifiers for an erased person again, and still takes their pseudonymous events', async () => {
    const ana = personId();
    await registerWithIdentifiers(ana, 'V28391034');
    expect((await erase(ana)).statusCode).toBe(200);

    const event = personRegistered(ana);
    const refused = await call('/v1/intake/events', callers.borderAgent, {
      ...event,
      data: { ...event.data, identifiers: { documentNumber: 'V28391034' } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['data.identifiers']);
    expect(refused.body).not.toContain('V28391034');
    expect((await call('/v1/intake/events', callers.borderAgent, event)).statusCode).toBe(202);
    expect(await keyOf(ana)).toBe('erased');
  });

  it('erases a known person who has no key yet, so nothing is ever sealed for them', async () => {
    const ana = personId();
    expect((await call('/v1/intake/events', callers.borderAgent, personRegistered(ana))).statusCode).toBe(202);
    expect(await keyOf(ana)).toBeUndefined();
    expect((await erase(ana)).statusCode).toBe(200);
    expect(await keyOf(ana)).toBe('erased');
  });

  /**
   * A registration whose identifiers were stored before per-person keys: sealed with the master key
   * (the key id names it) and fingerprinted with it, as the gateway did then.
   */
  const registeredBeforePersonKeys = async (person: string) => {
    const event = personRegistered(person);
    const identifiers = { fullName: 'Ana Sofía Rivas', documentType: 'passport', documentNumber: 'P7766554' };
    expect((await call('/v1/intake/events', callers.borderAgent, event)).statusCode).toBe(202);
    const master = Buffer.from(process.env.RUTA_IDENTIFIERS_KEY!, 'base64');
    const sealed = seal(master, Buffer.from(JSON.stringify(identifiers), 'utf8'), event.id);
    await dataSource.query(
      `INSERT INTO intake.direct_identifiers (event_id, person_id, key_id, iv, auth_tag, ciphertext)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.id, person, vault.masterKeyId, sealed.iv, sealed.tag, sealed.ciphertext],
    );
    await dataSource.query('UPDATE intake.events SET identifiers_fingerprint = $2 WHERE event_id = $1', [
      event.id,
      vault.legacyFingerprint(identifiers, event.id),
    ]);
    const resubmit = (ids: object) =>
      call('/v1/intake/events', callers.borderAgent, { ...event, data: { ...event.data, identifiers: ids } });
    return { eventId: event.id, identifiers, resubmit };
  };

  it('re-seals identifiers stored with the master key before erasing, so erasure reaches them too', async () => {
    const ana = personId();
    const old = await registeredBeforePersonKeys(ana);
    expect(vault.open(await sealedRow(old.eventId), old.eventId, undefined)).toEqual(old.identifiers);
    // Its master-key fingerprint still tells a resubmission from a conflict.
    expect((await old.resubmit(old.identifiers)).statusCode).toBe(200);

    expect((await erase(ana)).statusCode).toBe(200);
    const after = await sealedRow(old.eventId);
    expect(after.keyId).toMatch(/^person:/);
    expect(vault.open(after, old.eventId, await keyOf(ana))).toBe('erased');
    expect(() => open(Buffer.from(process.env.RUTA_IDENTIFIERS_KEY!, 'base64'), after, old.eventId)).toThrow();
  });

  it("re-seals everyone's identifiers from before per-person keys once, keeping duplicates and conflicts apart", async () => {
    const ben = personId();
    const old = await registeredBeforePersonKeys(ben);
    expect(await app.get(LegacyIdentifiersResealer).runOnce()).toBeGreaterThanOrEqual(1);
    const after = await sealedRow(old.eventId);
    const key = (await keyOf(ben)) as { keyId: string; key: Buffer };
    expect(after.keyId).toBe(`person:${key.keyId}`);
    expect(vault.open(after, old.eventId, key)).toEqual(old.identifiers);
    expect((await old.resubmit(old.identifiers)).statusCode).toBe(200);
    expect((await old.resubmit({ ...old.identifiers, fullName: 'Someone Else' })).statusCode).toBe(409);
  });

  it('answers 404 for an unknown person and 400 naming the field for a bad reason or person id', async () => {
    const unknown = await erase(personId());
    expect({ status: unknown.statusCode, type: unknown.json().type }).toEqual({
      status: 404,
      type: 'urn:ruta:problem:person.not-found',
    });
    const badReason = await erase(personId(), 'because');
    expect(badReason.statusCode).toBe(400);
    expect(badReason.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect(badReason.body).not.toContain('because');
    const missing = await call(`/v1/admin/people/${personId()}:erase`, callers.admin, {});
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const badPerson = await erase('no spaces!');
    expect(badPerson.statusCode).toBe(400);
    expect(badPerson.json().errors.map((e: { field: string }) => e.field)).toEqual(['personId']);
  });

  it('erases from the command line (npm run erase) in the same transaction, recording the operating-system user', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
    const ana = personId();
    const a = await registerWithIdentifiers(ana, 'V28391034');
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], { env: process.env }).then(
        (out) => ({ code: 0, ...out }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const erased = await run(ana, '--reason', 'data-subject-request');
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toEqual({ personId: ana, erased: true, erasedAt: expect.any(String) });
    expect(vault.open(await sealedRow(a.eventId), a.eventId, await keyOf(ana))).toBe('erased');
    // The running gateway's relay publishes what the command queued.
    const [event] = await waitUntil(async () => {
      const found = await erasedEvents(ana);
      return found.length > 0 ? found : undefined;
    }, 'person.erased published');
    expect(event!.data).toMatchObject({ channel: 'cli', actor: expect.stringMatching(/^os-user:/) });
    expect((await run(ana, '--reason', 'data-subject-request')).code).toBe(0);
    expect((await run(personId(), '--reason', 'data-subject-request')).code).toBe(1);
    expect((await run(ana, '--reason', 'because')).code).toBe(2);
  });
});
