import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { isIsoInstant } from './iso-time';
import { HASH_SIZE } from './rfc6962';
import { toTreeIndex } from './tree-math';

/**
 * A signed checkpoint commits the log to a size and the root at that size, so an auditor who kept
 * one can later ask for inclusion and consistency proofs against it. The body follows C2SP
 * tlog-checkpoint (origin, size, base64 root, then extension lines) with one extension line, the
 * time it was made. The signature is plain Ed25519 over the body's UTF-8 bytes — not a C2SP
 * signed note: there is one key and auditors get its public key out of band.
 */
export interface Checkpoint {
  /** Names the log, so a checkpoint of one log is never taken for another's. */
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  time: Date;
}

/** The origin line unless configured otherwise. */
export const DEFAULT_ORIGIN = 'ruta-audit-log';

/**
 * The checkpoint's body text: `${origin}\n${treeSize}\n${base64(rootHash)}\ntime ${ISO time}\n`.
 * Throws for anything {@link parseCheckpoint} would refuse, so only a readable body is ever signed.
 */
export function formatCheckpoint({ origin, treeSize, rootHash, time }: Checkpoint): string {
  const body = `${origin}\n${treeSize}\n${rootHash.toString('base64')}\ntime ${isoTime(time)}\n`;
  parseCheckpoint(body);
  return body;
}

/**
 * Reads a checkpoint body strictly: exactly the four newline-terminated lines of
 * {@link formatCheckpoint}, each with its one spelling (no leading zeros, canonical base64 of 32
 * bytes, a toISOString time). A body that reads two ways could be signed once and shown twice.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw new Error('checkpoint body must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 4) throw new Error(`checkpoint body must have 4 lines, got ${lines.length}`);
  const [origin, size, root, time] = lines;
  if (!/^[\x21-\x2a\x2c-\x7e]+$/.test(origin)) {
    throw new Error('checkpoint origin (line 1) must be printable ASCII without spaces or "+"');
  }
  if (!/^(0|[1-9][0-9]*)$/.test(size)) {
    throw new Error(`checkpoint tree size (line 2) must be a decimal number without leading zeros, got ${size}`);
  }
  const rootHash = decodeBase64(root);
  if (rootHash?.length !== HASH_SIZE) {
    throw new Error(`checkpoint root hash (line 3) must be the base64 of ${HASH_SIZE} bytes`);
  }
  const instant = time.startsWith('time ') ? time.slice('time '.length) : '';
  if (!isIsoInstant(instant)) {
    throw new Error('checkpoint line 4 must be "time " and an ISO-8601 UTC time with milliseconds');
  }
  return { origin, treeSize: toTreeIndex(size, 'checkpoint tree size'), rootHash, time: new Date(instant) };
}

/** Ed25519 signature of the body's UTF-8 bytes. Throws for a body that does not parse. */
export function signCheckpoint(body: string, privateKey: KeyObject): Buffer {
  parseCheckpoint(body);
  return sign(null, Buffer.from(body, 'utf8'), ed25519(privateKey, 'private'));
}

/** Whether signature is publicKey's Ed25519 signature of exactly this body. */
export function verifyCheckpoint(body: string, signature: Buffer, publicKey: KeyObject): boolean {
  return verify(null, Buffer.from(body, 'utf8'), ed25519(publicKey, 'public'), signature);
}

/**
 * The signing key from configuration: a PEM (`-----BEGIN PRIVATE KEY-----`), or the base64 of its
 * PKCS#8 DER — one line, which fits an environment variable where a PEM's newlines do not. Only
 * unencrypted Ed25519 keys. The error never repeats the value: it is a secret.
 */
export function keyFromConfig(value: string): KeyObject {
  const text = value.trim();
  const der = text.startsWith('-----BEGIN') ? undefined : decodeBase64(text);
  let key: KeyObject;
  try {
    key = der ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) : createPrivateKey(text);
  } catch {
    throw new Error('the checkpoint signing key must be an Ed25519 private key: PEM, or base64 of PKCS#8 DER');
  }
  return ed25519(key, 'private');
}

/** The SPKI PEM of the signing key's public half: what auditors are given to verify checkpoints. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(ed25519(privateKey, 'private')).export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * A short name for a key, to tell which key signed a checkpoint once keys rotate: the first 8 hex
 * digits of SHA-256 of its public key's SPKI DER. A private key is named by its public half.
 */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const spki = ed25519(publicKey, 'public').export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 8);
}

/** The key itself when it is an Ed25519 key of the expected kind, else a clear error. */
function ed25519(key: KeyObject, type: 'private' | 'public'): KeyObject {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `a checkpoint needs an Ed25519 ${type} key, got a ${key.asymmetricKeyType ?? key.type} ${key.type} key`,
    );
  }
  return key;
}

/** Standard padded base64 in its one canonical spelling, else undefined (Buffer.from is lenient). */
function decodeBase64(text: string): Buffer | undefined {
  if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) || text === '') return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

const isoTime = (time: Date): string => {
  if (Number.isNaN(time.getTime())) throw new Error('checkpoint time is not a valid date');
  return time.toISOString();
};
