// Verifies evidence from Ruta's audit log with nothing but Node.js: an auditor runs it on files
// the audit service handed out, with the log's public key obtained out of band.
//
//   node scripts/audit-verify.mjs checkpoint  <checkpoint.json> --public-key <key.pem>
//   node scripts/audit-verify.mjs inclusion   <proof.json>      --public-key <key.pem>
//   node scripts/audit-verify.mjs consistency <proof.json>      --public-key <key.pem>
//
// checkpoint.json: { "body": "<checkpoint text>", "signature": "<base64 Ed25519>" }
// inclusion:       { "entry": { ...log entry, "bytes": "<base64>" }, "leafIndex": "<decimal>",
//                    "treeSize": "<decimal>", "proof": ["<base64>", ...], "checkpoint": {body, signature} }
// consistency:     { "from": {body, signature}, "to": {body, signature}, "proof": ["<base64>", ...] }
//
// It prints one line per check, "ok ..." or "FAIL ...: why", and exits 0 when every check passes,
// 1 when one fails, 2 when the command or a file is unusable (the message names the file and field).
//
// It is a second implementation on purpose: it imports nothing from the project and no package, so
// a bug in the service's TypeScript cannot hide itself here. Hashing follows RFC 6962 §2.1; proofs
// are checked by splitting the path at the point where the leaf's path leaves the tree's right
// edge (BigInt arithmetic, sizes of any length), not by the RFC 9162 loops the service uses.
/* global Buffer -- Node's global; the script imports only node:crypto, node:fs and node:process. */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import process from 'node:process';

const USAGE =
  'usage: node scripts/audit-verify.mjs <checkpoint|inclusion|consistency> <file.json> --public-key <key.pem>';

/** The evidence or the command cannot be used at all: exit 2 with this message. */
class BadInput extends Error {}

// ---- RFC 6962 hashing ----

const sha256 = (...parts) => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
const hashLeaf = (data) => sha256(Buffer.from([0x00]), data);
const hashChildren = (left, right) => sha256(Buffer.from([0x01]), left, right);

// ---- Merkle proofs ----

const bitLength = (n) => (n === 0n ? 0 : n.toString(2).length);
const popCount = (n) => [...n.toString(2)].filter((bit) => bit === '1').length;
const bit = (n, i) => (n >> BigInt(i)) & 1n;
const trailingZeros = (n) => n.toString(2).length - 1 - n.toString(2).lastIndexOf('1');

/**
 * The path from leaf `index` to the root of a tree of `size` leaves has two parts. Below the level
 * where the leaf's path and the last leaf's path (size - 1) meet, the tree is complete: `inner`
 * siblings, left or right by the index's bits. Above it the path runs along the right edge, where
 * every sibling is a complete subtree on the left: one per set bit of the index above `inner`.
 */
function pathShape(index, size) {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: popCount(index >> BigInt(inner)) };
}

/** The root an inclusion proof leads to from the leaf hash, or null when its length is wrong. */
function inclusionRoot(leaf, index, size, proof) {
  if (index >= size) return null;
  const { inner, border } = pathShape(index, size);
  if (proof.length !== inner + border) return null;
  let hash = leaf;
  proof.forEach((sibling, i) => {
    const siblingOnLeft = i >= inner || bit(index, i) === 1n;
    hash = siblingOnLeft ? hashChildren(sibling, hash) : hashChildren(hash, sibling);
  });
  return hash;
}

/**
 * Whether the proof shows the tree of oldSize leaves with oldRoot is a prefix of the tree of
 * newSize leaves with newRoot. The proof is the path, in the new tree, of the old tree's last
 * complete subtree (its level: the old size's trailing zero bits) — given first, unless it is the
 * whole old tree. Siblings on its left belong to the old tree too, so folding only those rebuilds
 * the old root; folding all of them rebuilds the new one.
 */
function isConsistent(oldSize, newSize, oldRoot, newRoot, proof) {
  if (oldSize === 0n || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  const level = trailingZeros(oldSize);
  const oldIsOneSubtree = oldSize === 1n << BigInt(level);
  const [seed, ...path] = oldIsOneSubtree ? [oldRoot, ...proof] : proof;
  if (seed === undefined) return false;
  const shape = pathShape(oldSize - 1n, newSize);
  const inner = shape.inner - level;
  if (path.length !== inner + shape.border) return false;
  const index = (oldSize - 1n) >> BigInt(level);
  let oldHash = seed;
  let newHash = seed;
  path.forEach((sibling, i) => {
    if (i >= inner || bit(index, i) === 1n) {
      oldHash = hashChildren(sibling, oldHash);
      newHash = hashChildren(sibling, newHash);
    } else {
      newHash = hashChildren(newHash, sibling);
    }
  });
  return oldHash.equals(oldRoot) && newHash.equals(newRoot);
}

// ---- Log entries (the service's leaf encoding, version ruta-audit-entry/1) ----

const ENTRY_FIELDS = {
  position: 'decimal',
  eventId: 'string',
  topic: 'string',
  partition: 'integer',
  offset: 'decimal',
  type: 'string',
  subject: 'string',
  actor: 'string or null',
  eventTime: 'string or null',
  appendedAt: 'string',
  bytes: 'base64',
};

/** The entry's leaf data: JSON of the version and fields in order, a newline, the message bytes. */
function entryLeafData(entry) {
  const { position, eventId, topic, partition, offset, type, subject, actor, eventTime, appendedAt, bytes } = entry;
  const header = JSON.stringify([
    'ruta-audit-entry/1',
    position,
    eventId,
    topic,
    partition,
    offset,
    type,
    subject,
    actor,
    eventTime,
    appendedAt,
  ]);
  return Buffer.concat([Buffer.from(header, 'utf8'), Buffer.from([0x0a]), bytes]);
}

// ---- Checkpoints ----

/** The checkpoint's fields, read as strictly as the service writes them. */
function parseCheckpointBody(body, where) {
  const fail = (why) => {
    throw new BadInput(`${where}.body: ${why}`);
  };
  if (!body.endsWith('\n')) fail('must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 4) fail(`must have 4 lines (origin, size, root, time), has ${lines.length}`);
  const [origin, size, root, time] = lines;
  if (!/^[\x21-\x2a\x2c-\x7e]+$/.test(origin)) fail('line 1 (origin) must be printable ASCII without spaces or "+"');
  if (!/^(0|[1-9][0-9]*)$/.test(size)) fail(`line 2 (tree size) must be a decimal number, is ${JSON.stringify(size)}`);
  const rootHash = decodeBase64(root);
  if (rootHash?.length !== 32) fail('line 3 (root hash) must be the base64 of 32 bytes');
  if (!/^time \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time)) {
    fail('line 4 must be "time" and an ISO-8601 UTC time with milliseconds');
  }
  return { origin, treeSize: BigInt(size), rootHash, time: time.slice('time '.length) };
}

/** Reads { body, signature } and checks the signature: the parsed checkpoint and its check line. */
function signedCheckpoint(value, where, publicKey) {
  const body = stringField(value, 'body', where);
  const signature = base64Field(value, 'signature', where);
  const checkpoint = parseCheckpointBody(body, where);
  const signed = verify(null, Buffer.from(body, 'utf8'), publicKey.key, signature);
  const what = `${where} signature (${checkpoint.origin}, size ${checkpoint.treeSize}, root ${checkpoint.rootHash.toString('base64')}, ${checkpoint.time})`;
  const check = signed ? pass(what) : failure(what, `not signed by key ${publicKey.id}`);
  return { checkpoint, check };
}

// ---- The three commands ----

function verifyCheckpointFile(input, publicKey) {
  return [signedCheckpoint(input, 'checkpoint', publicKey).check];
}

function verifyInclusionFile(input, publicKey) {
  const entry = entryField(input);
  const leafIndex = decimalField(input, 'leafIndex');
  const treeSize = decimalField(input, 'treeSize');
  const proof = hashesField(input, 'proof');
  const { checkpoint, check } = signedCheckpoint(objectField(input, 'checkpoint'), 'checkpoint', publicKey);
  const root = inclusionRoot(hashLeaf(entryLeafData(entry)), leafIndex, treeSize, proof);
  const included = `entry ${leafIndex} (event ${entry.eventId}) is in the log of size ${treeSize}`;
  return [
    check,
    checkpoint.treeSize === treeSize
      ? pass(`checkpoint size ${checkpoint.treeSize} is the proof's tree size`)
      : failure(`checkpoint size ${checkpoint.treeSize} is the proof's tree size`, `the proof is for size ${treeSize}`),
    BigInt(entry.position) === leafIndex
      ? pass(`entry position ${entry.position} is the leaf index`)
      : failure(`entry position ${entry.position} is the leaf index`, `the proof is for leaf ${leafIndex}`),
    root === null
      ? failure(included, `a proof for leaf ${leafIndex} of ${treeSize} cannot have ${proof.length} hashes`)
      : root.equals(checkpoint.rootHash)
        ? pass(included)
        : failure(included, "the entry and proof do not lead to the checkpoint's root"),
  ];
}

function verifyConsistencyFile(input, publicKey) {
  const from = signedCheckpoint(objectField(input, 'from'), 'from', publicKey);
  const to = signedCheckpoint(objectField(input, 'to'), 'to', publicKey);
  const proof = hashesField(input, 'proof');
  const [older, newer] = [from.checkpoint, to.checkpoint];
  const prefix = `the log of size ${older.treeSize} is a prefix of the log of size ${newer.treeSize}`;
  return [
    from.check,
    to.check,
    older.origin === newer.origin
      ? pass(`both checkpoints are of the log ${older.origin}`)
      : failure('both checkpoints are of the same log', `"from" is ${older.origin}, "to" is ${newer.origin}`),
    isConsistent(older.treeSize, newer.treeSize, older.rootHash, newer.rootHash, proof)
      ? pass(prefix)
      : failure(prefix, "the proof does not lead from the first checkpoint's root to the second's"),
  ];
}

const COMMANDS = {
  checkpoint: verifyCheckpointFile,
  inclusion: verifyInclusionFile,
  consistency: verifyConsistencyFile,
};

const pass = (what) => ({ ok: true, line: `ok ${what}` });
const failure = (what, why) => ({ ok: false, line: `FAIL ${what}: ${why}` });

// ---- Reading the command line and the files ----

function parseArguments(args) {
  const positional = [];
  let keyFile;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--public-key' && i + 1 < args.length) keyFile = args[++i];
    else if (args[i].startsWith('--public-key=')) keyFile = args[i].slice('--public-key='.length);
    else if (args[i].startsWith('-')) throw new BadInput(`unknown option ${args[i]}\n${USAGE}`);
    else positional.push(args[i]);
  }
  const [command, file] = positional;
  if (positional.length !== 2 || !Object.hasOwn(COMMANDS, command) || !keyFile) throw new BadInput(USAGE);
  return { command, file, keyFile };
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new BadInput(`cannot read ${file}: ${error.code ?? error.message}`);
  }
}

function readJsonObject(file) {
  const text = readText(file);
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadInput(`${file} is not JSON: ${error.message}`);
  }
  if (!isObject(value)) throw new BadInput(`${file} must hold a JSON object`);
  return value;
}

function readPublicKey(file) {
  const pem = readText(file);
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new BadInput(`${file} must be a PEM public key (SPKI)`);
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new BadInput(`${file} is not a readable PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new BadInput(`${file} must be an Ed25519 public key, is ${key.asymmetricKeyType}`);
  }
  const id = sha256(key.export({ format: 'der', type: 'spki' }))
    .toString('hex')
    .slice(0, 8);
  return { key, id };
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

function objectField(input, name) {
  if (!isObject(input[name])) throw new BadInput(`${name} must be an object`);
  return input[name];
}

function stringField(input, name, where) {
  if (typeof input[name] !== 'string') throw new BadInput(`${where}.${name} must be a string`);
  return input[name];
}

function decimalField(input, name) {
  const value = input[name];
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value))
    throw new BadInput(`${name} must be a decimal string`);
  return BigInt(value);
}

function base64Field(input, name, where) {
  const bytes = typeof input[name] === 'string' ? decodeBase64(input[name]) : undefined;
  if (bytes === undefined) throw new BadInput(`${where}.${name} must be base64`);
  return bytes;
}

function hashesField(input, name) {
  if (!Array.isArray(input[name])) throw new BadInput(`${name} must be an array of base64 hashes`);
  return input[name].map((hash, i) => {
    const bytes = typeof hash === 'string' ? decodeBase64(hash) : undefined;
    if (bytes?.length !== 32) throw new BadInput(`${name}[${i}] must be the base64 of a 32-byte hash`);
    return bytes;
  });
}

/** The log entry, with exactly its fields: anything extra would be unproven text beside proven text. */
function entryField(input) {
  const entry = objectField(input, 'entry');
  const unknown = Object.keys(entry).find((name) => !Object.hasOwn(ENTRY_FIELDS, name));
  if (unknown !== undefined) throw new BadInput(`entry.${unknown} is not a field of a log entry`);
  for (const [name, kind] of Object.entries(ENTRY_FIELDS)) {
    const value = entry[name];
    const fits = {
      string: typeof value === 'string',
      'string or null': typeof value === 'string' || value === null,
      decimal: typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value),
      integer: Number.isSafeInteger(value) && value >= 0,
      base64: typeof value === 'string' && decodeBase64(value) !== undefined,
    }[kind];
    if (!fits) throw new BadInput(`entry.${name} must be ${kind === 'integer' ? 'a non-negative integer' : kind}`);
  }
  return { ...entry, bytes: decodeBase64(entry.bytes) };
}

/** Standard padded base64, in its one spelling only (Node's decoder would skip stray characters). */
function decodeBase64(text) {
  if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function main(args) {
  const { command, file, keyFile } = parseArguments(args);
  const publicKey = readPublicKey(keyFile);
  const input = readJsonObject(file);
  let checks;
  try {
    checks = COMMANDS[command](input, publicKey);
  } catch (error) {
    if (error instanceof BadInput) error.message = `${file}: ${error.message}`;
    throw error;
  }
  for (const { line } of checks) console.log(line);
  return checks.every(({ ok }) => ok) ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`audit-verify: ${error instanceof BadInput ? '' : 'unexpected error: '}${error.message}`);
  process.exitCode = 2;
}
