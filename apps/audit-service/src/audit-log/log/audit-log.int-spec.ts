import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEAD_LETTERS_REDRIVEN, OPERATIONS_SUBJECT, Topics } from '@ruta/contracts';
import { callers, consentRecorded, personId, personRegistered, sequenced, waitUntil } from '@ruta/testing';
import { AuditTestBed } from '../../../test/audit-test-bed';
import { AuditLogKafkaConsumer } from '../consumer/audit-log.kafka.consumer';
import { entryLeafHash, parseCheckpoint, verifyCheckpoint } from '../merkle';
import { AuditLogWriter } from './audit-log.writer';
import { entryOfRow, LOG_ROW_COLUMNS } from './log-appender';
import { arrivalOf } from './log-entry.mapping';
import { verifyLog } from './log-verifier';

const VERIFIER = path.resolve(__dirname, '../../../../../scripts/audit-verify.mjs');

/** Runs the independent verifier on `input`; answers its exit code and output. */
function independentlyVerify(kind: 'inclusion' | 'consistency', input: unknown, publicKeyPem: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ruta-audit-proof-'));
  writeFileSync(path.join(dir, 'proof.json'), JSON.stringify(input));
  writeFileSync(path.join(dir, 'key.pem'), publicKeyPem);
  try {
    const out = execFileSync(
      process.execPath,
      [VERIFIER, kind, path.join(dir, 'proof.json'), '--public-key', path.join(dir, 'key.pem')],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { code: 0, out };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, out: failed.stdout };
  }
}

/**
 * The audit log against the real broker and PostgreSQL: events published on the audited topics
 * land once per event id at gapless positions with their wire bytes; checkpoints every 8 entries
 * are signed; verify recomputes everything and names the first position an edit in PostgreSQL
 * breaks; proofs from the API pass the independent verifier script.
 */
describe('audit log', () => {
  let bed: AuditTestBed;
  const sql = () => (text: string, params?: unknown[]) => bed.dataSource.query(text, params);
  const verify = () => verifyLog(sql(), bed.publicKey);

  beforeAll(async () => {
    bed = await AuditTestBed.start('audit-log', { checkpointEntries: 8 });
  });

  afterAll(async () => {
    await bed?.close();
  });

  const people = Array.from({ length: 5 }, () => personId());
  const events = people.flatMap((p) => [
    sequenced(personRegistered(p), 1),
    sequenced(consentRecorded(p, ['health']), 2),
  ]);

  it('appends each event once, at gapless positions, with the bytes that were on the wire', async () => {
    // One event sent with its own spacing and key order: the log keeps those bytes, not a re-serialisation.
    const [first, ...rest] = events;
    const odd = Buffer.from(`{ "data": ${JSON.stringify(first!.data)}, ${JSON.stringify(first).slice(1)}`);
    await bed.producer.send({
      topic: `${bed.environment.namespace}${Topics.intakeEvents}`,
      messages: [{ key: first!.subject, value: odd }],
    });
    await bed.publish(rest);
    // The relay republishing after a crash: the same events at new Kafka offsets.
    await bed.publish(rest.slice(0, 4));
    await waitUntil(async () => ((await bed.logSize()) >= events.length ? true : undefined), 'every event logged');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows: { position: string; event_id: string; bytes: Buffer; topic: string; kafka_offset: string }[] =
      await bed.dataSource.query(
        `SELECT position::text, event_id, bytes, topic, kafka_offset::text FROM audit.log ORDER BY log.position`,
      );
    expect(rows.map((r) => r.position)).toEqual(events.map((_, i) => String(i)));
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.id)));
    expect(rows.every((r) => r.topic === Topics.intakeEvents)).toBe(true);
    const byId = new Map(rows.map((r) => [r.event_id, r.bytes]));
    expect(byId.get(first!.id)!.equals(odd)).toBe(true);
    for (const e of rest) expect(byId.get(e.id)!.toString('utf8')).toBe(JSON.stringify(e));
  });

  it("logs an operator's redrive from ops.events.v1, with the operator as its actor", async () => {
    const redrive = {
      specversion: '1.0',
      id: randomUUID(),
      source: 'ruta/redrive-http',
      type: DEAD_LETTERS_REDRIVEN,
      subject: OPERATIONS_SUBJECT,
      time: '2026-11-29T14:00:00.000Z',
      datacontenttype: 'application/json',
      data: {
        topic: Topics.intakeEvents,
        actor: 'test-admin',
        channel: 'http',
        examined: 2,
        moved: 2,
        missing: 0,
        repeated: 0,
        refused: 0,
        redrivenAt: '2026-11-29T14:00:00.000Z',
      },
    };
    await bed.publish([redrive], Topics.operations);
    const row = await waitUntil(async () => {
      const [found] = await bed.dataSource.query(
        `SELECT topic, type, subject, actor FROM audit.log WHERE event_id = $1`,
        [redrive.id],
      );
      return found;
    }, 'the redrive logged');
    expect(row).toEqual({
      topic: Topics.operations,
      type: DEAD_LETTERS_REDRIVEN,
      subject: OPERATIONS_SUBJECT,
      actor: 'test-admin',
    });
  });

  it('adds nothing when a batch is delivered again, and a rolled-back append leaves no gap', async () => {
    const consumer = bed.app.get(AuditLogKafkaConsumer);
    const before = await bed.logSize();
    const again = events.slice(0, 3).map((e, i) => ({
      topic: Topics.intakeEvents,
      partition: 0,
      offset: String(900 + i),
      key: e.subject,
      value: JSON.stringify(e),
      bytes: Buffer.from(JSON.stringify(e)),
      headers: {},
    }));
    await bed.dataSource.transaction((manager) => consumer.handle(again, manager));
    expect(await bed.logSize()).toBe(before);

    // A consumer killed mid-batch: its transaction rolls back, and the positions it took are taken again.
    const fresh = sequenced(personRegistered(personId()), 1);
    const arrival = arrivalOf(
      { ...again[0]!, value: JSON.stringify(fresh), bytes: Buffer.from(JSON.stringify(fresh)) },
      fresh,
    );
    const writer = bed.app.get(AuditLogWriter);
    await expect(
      bed.dataSource.transaction(async (manager) => {
        await writer.append(manager, [arrival]);
        throw new Error('killed mid-batch');
      }),
    ).rejects.toThrow('killed mid-batch');
    const appended = await bed.dataSource.transaction((manager) => writer.append(manager, [arrival]));
    expect({ from: appended.from, count: appended.count }).toEqual({ from: BigInt(before), count: 1 });
  });

  it('keeps positions gapless when appends race', async () => {
    const writer = bed.app.get(AuditLogWriter);
    const before = await bed.logSize();
    const batch = (n: number) =>
      Array.from({ length: n }, () => {
        const e = sequenced(personRegistered(personId()), 1);
        return arrivalOf(
          {
            topic: Topics.intakeEvents,
            partition: 1,
            offset: '0',
            key: e.subject,
            value: '',
            bytes: Buffer.from(JSON.stringify(e)),
            headers: {},
          },
          e,
        );
      });
    await Promise.all([1, 2, 3].map((n) => bed.dataSource.transaction((manager) => writer.append(manager, batch(n)))));
    const [{ n, max }] = await bed.dataSource.query(
      `SELECT count(*)::int AS n, max(position)::int AS max FROM audit.log`,
    );
    expect({ n, max }).toEqual({ n: before + 6, max: before + 5 });
  });

  it('signs a checkpoint at each multiple of 8 entries and on demand, each verifying with the public key', async () => {
    const writer = bed.app.get(AuditLogWriter);
    // One more entry, so the tree has grown past whatever the appends so far signed.
    const extra = sequenced(personRegistered(personId()), 1);
    const before = await bed.logSize();
    await bed.publish([extra]);
    await waitUntil(async () => ((await bed.logSize()) > before ? true : undefined), 'the extra entry logged');
    expect(await writer.checkpoint()).toBe(true);
    expect(await writer.checkpoint()).toBe(false);
    const size = await bed.logSize();
    const rows: { tree_size: string; body: string; signature: Buffer }[] = await bed.dataSource.query(
      `SELECT tree_size::text, body, signature FROM audit.checkpoints ORDER BY checkpoints.tree_size`,
    );
    const sizes = rows.map((r) => Number(r.tree_size));
    // Every append that reached a multiple of 8 signed once, at its own end; the last is the one asked for.
    expect(sizes[sizes.length - 1]).toBe(size);
    // Each earlier one closed an append that reached a new multiple of 8.
    const eighths = sizes.slice(0, -1).map((s) => Math.floor(s / 8));
    expect(eighths.length).toBeGreaterThan(0);
    expect(eighths.every((e, i) => e > (eighths[i - 1] ?? 0))).toBe(true);
    for (const r of rows) {
      expect(verifyCheckpoint(r.body, r.signature, bed.publicKey)).toBe(true);
      expect(parseCheckpoint(r.body)).toMatchObject({ origin: 'ruta-audit-log', treeSize: Number(r.tree_size) });
    }
  });

  describe('verify, after edits made straight in PostgreSQL', () => {
    beforeAll(async () => {
      await bed.dataSource.query(`CREATE TABLE audit.log_saved AS SELECT * FROM audit.log`);
    });

    afterEach(async () => {
      await bed.dataSource.query(`DELETE FROM audit.log; INSERT INTO audit.log SELECT * FROM audit.log_saved`);
      expect((await verify()).ok).toBe(true);
    });

    it('passes the untouched log, every leaf and signed root recomputed', async () => {
      const size = await bed.logSize();
      const [{ n }] = await bed.dataSource.query(`SELECT count(*)::int AS n FROM audit.checkpoints`);
      expect(await verify()).toEqual({ ok: true, entries: size, checkpoints: n });
    });

    it('names an edited entry', async () => {
      await bed.dataSource.query(
        // One byte more: a space after the JSON, which no reader of the event would notice.
        `UPDATE audit.log SET bytes = bytes || '\\x20'::bytea WHERE position = 6`,
      );
      expect((await verify()).firstBad).toMatchObject({ position: '6', fault: 'altered' });
    });

    it('names a deleted entry', async () => {
      await bed.dataSource.query(`DELETE FROM audit.log WHERE position = 11`);
      expect((await verify()).firstBad).toMatchObject({ position: '11', fault: 'missing' });
    });

    it('names the first of two entries swapped', async () => {
      await bed.dataSource.query(`
        UPDATE audit.log SET position = 1000000 WHERE position = 9;
        UPDATE audit.log SET position = 9 WHERE position = 3;
        UPDATE audit.log SET position = 3 WHERE position = 1000000`);
      expect((await verify()).firstBad).toMatchObject({ position: '3', fault: 'altered' });
    });

    it('names a dropped tail that a checkpoint had covered', async () => {
      const size = await bed.logSize();
      await bed.dataSource.query(`DELETE FROM audit.log WHERE position >= $1`, [size - 2]);
      expect((await verify()).firstBad).toMatchObject({ position: String(size - 2), fault: 'missing' });
    });

    it('catches an edit whose leaf hash was rewritten too: the signed root no longer matches', async () => {
      const [row] = await bed.dataSource.query(`SELECT ${LOG_ROW_COLUMNS} FROM audit.log WHERE position = 10`);
      const entry = { ...entryOfRow(row), actor: 'someone-else' };
      await bed.dataSource.query(`UPDATE audit.log SET actor = $2, leaf_hash = $3 WHERE position = $1`, [
        10,
        entry.actor,
        entryLeafHash(entry),
      ]);
      // Entry 10 is named by the range it spoils: from the last checkpoint before it to the first after.
      const [{ from }] = await bed.dataSource.query(
        `SELECT COALESCE(max(tree_size), 0)::text AS from FROM audit.checkpoints WHERE tree_size <= 10`,
      );
      expect((await verify()).firstBad).toMatchObject({ position: from, fault: 'root-mismatch' });
    });
  });

  describe('proofs over HTTP, checked by the independent verifier', () => {
    let publicKeyPem: string;

    beforeAll(async () => {
      const { status, body } = await bed.get('/v1/audit/public-key');
      expect(status).toBe(200);
      publicKeyPem = body.publicKey;
    });

    it('proves an event is in the newest checkpoint', async () => {
      const { status, body } = await bed.get(`/v1/audit/proofs/inclusion?eventId=${events[3]!.id}`, callers.auditor);
      expect(status).toBe(200);
      expect(body.entry.eventId).toBe(events[3]!.id);
      expect(independentlyVerify('inclusion', body, publicKeyPem).code).toBe(0);
      // The same proof with the entry's bytes changed fails.
      const forged = { ...body, entry: { ...body.entry, bytes: Buffer.from('{}').toString('base64') } };
      expect(independentlyVerify('inclusion', forged, publicKeyPem).code).toBe(1);
    });

    it('proves an older checkpoint is a prefix of the newest', async () => {
      const latest = (await bed.get('/v1/audit/checkpoints/latest', callers.auditor)).body;
      const [{ first }] = await bed.dataSource.query(`SELECT min(tree_size)::text AS first FROM audit.checkpoints`);
      expect(Number(first)).toBeLessThan(Number(latest.treeSize));
      const { status, body } = await bed.get(
        `/v1/audit/proofs/consistency?from=${first}&to=${latest.treeSize}`,
        callers.auditor,
      );
      expect(status).toBe(200);
      expect(independentlyVerify('consistency', body, publicKeyPem).code).toBe(0);
    });

    it('answers 404 for an event it does not hold and a size never signed, 400 naming a bad field', async () => {
      expect((await bed.get('/v1/audit/proofs/inclusion?eventId=no-such-event', callers.auditor)).status).toBe(404);
      expect((await bed.get('/v1/audit/checkpoints/7', callers.auditor)).status).toBe(404);
      const bad = await bed.get('/v1/audit/proofs/consistency?from=0&to=8', callers.auditor);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
    });

    it('serves proofs and verify to auditors only', async () => {
      expect((await bed.get('/v1/audit/checkpoints/latest')).status).toBe(401);
      expect((await bed.get('/v1/audit/checkpoints/latest', callers.admin)).status).toBe(403);
      expect((await bed.post('/v1/audit/verify', callers.coordinator)).status).toBe(403);
      const verified = await bed.post('/v1/audit/verify', callers.auditor);
      expect(verified).toMatchObject({ status: 200, body: { ok: true } });
    });
  });
});
