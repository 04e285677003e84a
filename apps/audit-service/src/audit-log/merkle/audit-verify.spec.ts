import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  consistencyProof,
  DEFAULT_ORIGIN,
  entryLeafHash,
  formatCheckpoint,
  inclusionProof,
  keyId,
  leafHash,
  MerkleFrontier,
  nodeHash,
  publicKeyPem,
  rootAt,
  signCheckpoint,
  type LogEntry,
  type NodeReader,
} from './index';

/*
 * scripts/audit-verify.mjs is the auditor's own implementation. These specs hand it evidence made
 * by the service's library, as files, and run it as an auditor would: a separate node process.
 */
const SCRIPT = resolve(__dirname, '../../../../../scripts/audit-verify.mjs');
const dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { privateKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const KEY = join(dir, 'log.pem');
const OTHER_KEY = join(dir, 'other.pem');
writeFileSync(KEY, publicKeyPem(privateKey));
writeFileSync(OTHER_KEY, publicKeyPem(other.privateKey));

const entryAt = (position: number): LogEntry => ({
  position: String(position),
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  topic: 'referrals.events.v1',
  partition: position % 3,
  offset: String(1000 + position),
  type: 'referral.referred-onward',
  subject: `P-${position}`,
  actor: position % 2 ? 'sv-rosa' : null,
  eventTime: position % 5 ? '2026-11-29T09:00:00.000Z' : null,
  appendedAt: new Date(Date.UTC(2026, 10, 29, 9, 0, position)).toISOString(),
  bytes: Buffer.from(`{"id":${position},"note":"ñandú"}`),
});

/** A log of 50 entries stored as the appender stores it: leaf hashes and completed nodes. */
const SIZE = 50;
const stored = new Map<string, Buffer>();
const frontier = MerkleFrontier.empty();
for (let position = 0; position < SIZE; position++) {
  const hash = entryLeafHash(entryAt(position));
  stored.set(`0/${position}`, hash);
  frontier.append(hash).forEach((node) => stored.set(`${node.level}/${node.index}`, node.hash));
}
const read: NodeReader = async (nodes) =>
  nodes.map(({ level, index }) => stored.get(`${level}/${index}`) ?? Buffer.alloc(0));

async function signedAt(size: number, read: NodeReader, key: KeyObject = privateKey, origin = DEFAULT_ORIGIN) {
  const body = formatCheckpoint({
    origin,
    treeSize: size,
    rootHash: await rootAt(size, read),
    time: new Date('2026-11-29T10:00:00.000Z'),
  });
  return { body, signature: signCheckpoint(body, key).toString('base64') };
}

async function inclusionEvidence(position: number, size = SIZE) {
  return {
    entry: { ...entryAt(position), bytes: entryAt(position).bytes.toString('base64') },
    leafIndex: String(position),
    treeSize: String(size),
    proof: (await inclusionProof(position, size, read)).map((hash) => hash.toString('base64')),
    checkpoint: await signedAt(size, read),
  };
}

let files = 0;
function run(command: string, evidence: unknown, key = KEY) {
  const file = join(dir, `evidence-${++files}.json`);
  writeFileSync(file, typeof evidence === 'string' ? evidence : JSON.stringify(evidence));
  return runArgs([command, file, '--public-key', key]);
}
function runArgs(args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status, lines: stdout.trim().split('\n').filter(Boolean), stderr: stderr.trim() };
}
const flip = (base64: string): string => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
};

describe('audit-verify.mjs checkpoint', () => {
  it('given a checkpoint signed by the log key, then it passes, naming origin, size, root and time', async () => {
    const checkpoint = await signedAt(SIZE, read);
    const root = frontier.root().toString('base64');
    expect(run('checkpoint', checkpoint)).toEqual({
      status: 0,
      lines: [`ok checkpoint signature (ruta-audit-log, size 50, root ${root}, 2026-11-29T10:00:00.000Z)`],
      stderr: '',
    });
  });

  it('given another key, or a body changed after signing, then the signature check fails', async () => {
    const checkpoint = await signedAt(SIZE, read);
    const forOtherKey = run('checkpoint', checkpoint, OTHER_KEY);
    expect(forOtherKey.status).toBe(1);
    expect(forOtherKey.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^FAIL checkpoint signature \\(.*\\): not signed by key ${keyId(other.publicKey)}$`),
      ),
    ]);
    const edited = run('checkpoint', { ...checkpoint, body: checkpoint.body.replace('\n50\n', '\n51\n') });
    expect(edited.status).toBe(1);
    expect(edited.lines[0]).toMatch(/^FAIL checkpoint signature \(ruta-audit-log, size 51, /);
  });
});

describe('audit-verify.mjs inclusion', () => {
  it.each([0, 17, 31, 32, 49])(
    'given the proof of entry %p in the signed log, then every check passes',
    async (position) => {
      const result = run('inclusion', await inclusionEvidence(position));
      expect(result.lines).toEqual([
        expect.stringMatching(/^ok checkpoint signature \(ruta-audit-log, size 50, /),
        "ok checkpoint size 50 is the proof's tree size",
        `ok entry position ${position} is the leaf index`,
        `ok entry ${position} (event ${entryAt(position).eventId}) is in the log of size 50`,
      ]);
      expect(result.status).toBe(0);
    },
  );

  it('given an entry whose message bytes were altered, then inclusion fails', async () => {
    const evidence = await inclusionEvidence(17);
    const result = run('inclusion', { ...evidence, entry: { ...evidence.entry, bytes: flip(evidence.entry.bytes) } });
    expect(result.status).toBe(1);
    expect(result.lines[3]).toBe(
      "FAIL entry 17 (event 00000000-0000-4000-8000-000000000017) is in the log of size 50: the entry and proof do not lead to the checkpoint's root",
    );
  });

  it.each<[keyof LogEntry, string | number | null]>([
    ['actor', 'someone-else'],
    ['eventTime', null],
    ['partition', 9],
    ['appendedAt', '2026-11-29T09:00:18.000Z'],
  ])('given an entry whose %s was altered to %p, then inclusion fails', async (field, value) => {
    const evidence = await inclusionEvidence(17);
    const result = run('inclusion', { ...evidence, entry: { ...evidence.entry, [field]: value } });
    expect(result.status).toBe(1);
    expect(result.lines[3]).toMatch(/^FAIL entry 17 /);
  });

  it('given a proof with one node altered, then inclusion fails', async () => {
    const evidence = await inclusionEvidence(17);
    const proof = evidence.proof.map((hash, i) => (i === 2 ? flip(hash) : hash));
    const result = run('inclusion', { ...evidence, proof });
    expect(result.status).toBe(1);
    expect(result.lines.slice(0, 3).every((line) => line.startsWith('ok '))).toBe(true);
    expect(result.lines[3]).toMatch(/^FAIL entry 17 .*: the entry and proof do not lead to the checkpoint's root$/);
  });

  it('given a proof one hash short, then inclusion fails naming the length', async () => {
    const evidence = await inclusionEvidence(17);
    const result = run('inclusion', { ...evidence, proof: evidence.proof.slice(1) });
    expect(result.status).toBe(1);
    expect(result.lines[3]).toMatch(/: a proof for leaf 17 of 50 cannot have 5 hashes$/);
  });

  it('given a checkpoint signed by another key, then the signature check fails', async () => {
    const result = run('inclusion', await inclusionEvidence(17), OTHER_KEY);
    expect(result.status).toBe(1);
    expect(result.lines[0]).toMatch(/^FAIL checkpoint signature .*: not signed by key [0-9a-f]{8}$/);
  });

  it('given a genuine checkpoint of another size, then the size check fails', async () => {
    const evidence = await inclusionEvidence(17);
    const result = run('inclusion', { ...evidence, checkpoint: await signedAt(SIZE - 1, read) });
    expect(result.status).toBe(1);
    expect(result.lines[1]).toBe("FAIL checkpoint size 49 is the proof's tree size: the proof is for size 50");
    expect(result.lines[3]).toMatch(/^FAIL entry 17 /);
  });

  it('given an entry shown at another position than it was logged, then the position check fails', async () => {
    const evidence = await inclusionEvidence(17);
    const moved = { ...evidence, entry: { ...evidence.entry, position: '18' } };
    const result = run('inclusion', moved);
    expect(result.status).toBe(1);
    expect(result.lines[2]).toBe('FAIL entry position 18 is the leaf index: the proof is for leaf 17');
  });
});

describe('audit-verify.mjs consistency', () => {
  const evidence = async (from: number, to: number) => ({
    from: await signedAt(from, read),
    to: await signedAt(to, read),
    proof: (await consistencyProof(from, to, read)).map((hash) => hash.toString('base64')),
  });

  it.each([
    [1, 50],
    [20, 50],
    [32, 50],
    [49, 50],
    [50, 50],
  ])('given checkpoints at %p and %p and the proof between them, then every check passes', async (from, to) => {
    const result = run('consistency', await evidence(from, to));
    expect(result.lines).toEqual([
      expect.stringMatching(new RegExp(`^ok from signature \\(ruta-audit-log, size ${from}, `)),
      expect.stringMatching(new RegExp(`^ok to signature \\(ruta-audit-log, size ${to}, `)),
      'ok both checkpoints are of the log ruta-audit-log',
      `ok the log of size ${from} is a prefix of the log of size ${to}`,
    ]);
    expect(result.status).toBe(0);
  });

  it('given a proof with one node altered, or one more, then consistency fails', async () => {
    const genuine = await evidence(20, 50);
    for (const proof of [
      genuine.proof.map((hash, i) => (i === 1 ? flip(hash) : hash)),
      [...genuine.proof, genuine.proof[0]],
    ]) {
      const result = run('consistency', { ...genuine, proof });
      expect(result.status).toBe(1);
      expect(result.lines[3]).toBe(
        "FAIL the log of size 20 is a prefix of the log of size 50: the proof does not lead from the first checkpoint's root to the second's",
      );
    }
  });

  it('given a "from" checkpoint whose signed root is not the history the log now shows, then consistency fails', async () => {
    // given: the log once signed size 20 with another root (here, the root it had at 19)
    const genuine = await evidence(20, 50);
    const body = formatCheckpoint({
      origin: DEFAULT_ORIGIN,
      treeSize: 20,
      rootHash: await rootAt(19, read),
      time: new Date('2026-11-29T10:00:00.000Z'),
    });
    const forked = { body, signature: signCheckpoint(body, privateKey).toString('base64') };
    // when
    const result = run('consistency', { ...genuine, from: forked });
    // then
    expect(result.status).toBe(1);
    expect(result.lines[0]).toMatch(/^ok from signature /);
    expect(result.lines[3]).toMatch(/^FAIL the log of size 20 is a prefix of the log of size 50: /);
  });

  it('given the checkpoints in the wrong order, then consistency fails', async () => {
    const genuine = await evidence(20, 50);
    const result = run('consistency', { ...genuine, from: genuine.to, to: genuine.from });
    expect(result.status).toBe(1);
    expect(result.lines[3]).toMatch(/^FAIL the log of size 50 is a prefix of the log of size 20: /);
  });

  it('given a "to" checkpoint of another log, or signed by another key, then those checks fail', async () => {
    const genuine = await evidence(20, 50);
    const otherLog = run('consistency', { ...genuine, to: await signedAt(50, read, privateKey, 'another-log') });
    expect(otherLog.status).toBe(1);
    expect(otherLog.lines[2]).toBe(
      'FAIL both checkpoints are of the same log: "from" is ruta-audit-log, "to" is another-log',
    );
    const otherKey = run('consistency', { ...genuine, to: await signedAt(50, read, other.privateKey) });
    expect(otherKey.status).toBe(1);
    expect(otherKey.lines[1]).toMatch(/^FAIL to signature .*: not signed by key /);
  });
});

describe('given a log past 2^32 leaves', () => {
  // Every leaf but one is the same, so any subtree's hash takes a few dozen hashes to compute:
  // enough to check the script's BigInt arithmetic where 32-bit operators would go wrong.
  const position = 2 ** 33 + 5;
  const size = 2 ** 40 + 3;
  const levels = [leafHash(Buffer.from('filler'))];
  for (let level = 1; level <= 41; level++) levels.push(nodeHash(levels[level - 1], levels[level - 1]));
  const hashOf = (level: number, index: number): Buffer => {
    const first = index * 2 ** level;
    if (position < first || position >= first + 2 ** level) return levels[level];
    if (level === 0) return entryLeafHash(entryAt(position));
    return nodeHash(hashOf(level - 1, 2 * index), hashOf(level - 1, 2 * index + 1));
  };
  const bigRead: NodeReader = async (nodes) => nodes.map(({ level, index }) => hashOf(level, index));

  it('when the script checks an inclusion and a consistency proof there, then they pass', async () => {
    const inclusion = run('inclusion', {
      entry: { ...entryAt(position), bytes: entryAt(position).bytes.toString('base64') },
      leafIndex: String(position),
      treeSize: String(size),
      proof: (await inclusionProof(position, size, bigRead)).map((hash) => hash.toString('base64')),
      checkpoint: await signedAt(size, bigRead),
    });
    expect(inclusion.lines.at(-1)).toBe(
      `ok entry ${position} (event ${entryAt(position).eventId}) is in the log of size ${size}`,
    );
    expect(inclusion.status).toBe(0);
    const consistency = run('consistency', {
      from: await signedAt(position + 1, bigRead),
      to: await signedAt(size, bigRead),
      proof: (await consistencyProof(position + 1, size, bigRead)).map((hash) => hash.toString('base64')),
    });
    expect(consistency.lines.at(-1)).toBe(`ok the log of size ${position + 1} is a prefix of the log of size ${size}`);
    expect(consistency.status).toBe(0);
  });
});

describe('audit-verify.mjs given unusable input', () => {
  const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

  it.each([
    [[], 'usage: node scripts/audit-verify.mjs <checkpoint|inclusion|consistency> <file.json> --public-key <key.pem>'],
    [['inclusion', 'x.json'], 'usage: node scripts/audit-verify.mjs'],
    [['prove', 'x.json', '--public-key', KEY], 'usage: node scripts/audit-verify.mjs'],
    [['inclusion', 'x.json', '--verbose', '--public-key', KEY], 'unknown option --verbose'],
    [['inclusion', join(dir, 'missing.json'), '--public-key', KEY], `cannot read ${join(dir, 'missing.json')}: ENOENT`],
    [['inclusion', KEY, '--public-key', join(dir, 'missing.pem')], `cannot read ${join(dir, 'missing.pem')}: ENOENT`],
  ])('when run with %p, then it exits 2 saying what is wrong', (args, message) => {
    const result = runArgs(args);
    expect(result.status).toBe(2);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toContain(message);
    noStackTrace(result.stderr);
  });

  it('given a key file that is not an Ed25519 public key, then it exits 2 naming the file', () => {
    const privatePem = join(dir, 'private.pem');
    writeFileSync(privatePem, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const ecPem = join(dir, 'ec.pem');
    writeFileSync(
      ecPem,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }),
    );
    expect(runArgs(['checkpoint', KEY, '--public-key', privatePem]).stderr).toBe(
      `audit-verify: ${privatePem} must be a PEM public key (SPKI)`,
    );
    expect(runArgs(['checkpoint', KEY, '--public-key', ecPem])).toEqual({
      status: 2,
      lines: [],
      stderr: `audit-verify: ${ecPem} must be an Ed25519 public key, is ec`,
    });
  });

  it.each<[string, (evidence: Record<string, unknown>) => unknown, string]>([
    ['not JSON', () => '{"entry": ', 'is not JSON: '],
    ['an array', () => [], 'must hold a JSON object'],
    ['no entry', ({ entry: _, ...rest }) => rest, 'entry must be an object'],
    ['a numeric leaf index', (e) => ({ ...e, leafIndex: 17 }), 'leafIndex must be a decimal string'],
    [
      'a proof hash of 31 bytes',
      (e) => ({ ...e, proof: ['AAAA', ...(e.proof as string[])] }),
      'proof[0] must be the base64 of a 32-byte hash',
    ],
    ['a proof that is not a list', (e) => ({ ...e, proof: 'AAAA' }), 'proof must be an array of base64 hashes'],
    [
      'an extra entry field',
      (e) => ({ ...e, entry: { ...(e.entry as object), note: 'trust me' } }),
      'entry.note is not a field of a log entry',
    ],
    [
      'an entry partition as text',
      (e) => ({ ...e, entry: { ...(e.entry as object), partition: '2' } }),
      'entry.partition must be a non-negative integer',
    ],
    [
      'entry bytes in hex',
      (e) => ({ ...e, entry: { ...(e.entry as object), bytes: 'zz' } }),
      'entry.bytes must be base64',
    ],
    [
      'an unsigned checkpoint',
      (e) => ({ ...e, checkpoint: { body: (e.checkpoint as { body: string }).body } }),
      'checkpoint.signature must be base64',
    ],
    [
      'a checkpoint body of 3 lines',
      (e) => ({ ...e, checkpoint: { body: 'a\n1\nb\n', signature: '' } }),
      'checkpoint.body: must have 4 lines',
    ],
  ])('given evidence with %s, then it exits 2 naming the file and field', async (_, change, message) => {
    const result = run('inclusion', change(await inclusionEvidence(17)));
    expect(result.status).toBe(2);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toMatch(new RegExp(`^audit-verify: .*evidence-\\d+\\.json`));
    expect(result.stderr).toContain(message);
    noStackTrace(result.stderr);
  });
});
