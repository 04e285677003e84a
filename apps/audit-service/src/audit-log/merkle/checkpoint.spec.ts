import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  DEFAULT_ORIGIN,
  formatCheckpoint,
  keyFromConfig,
  keyId,
  parseCheckpoint,
  publicKeyPem,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from './checkpoint';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const root = createHash('sha256').update('a root').digest();
const checkpoint: Checkpoint = {
  origin: DEFAULT_ORIGIN,
  treeSize: 1077,
  rootHash: root,
  time: new Date('2026-11-29T09:00:01.250Z'),
};
const body = formatCheckpoint(checkpoint);

describe('a checkpoint body', () => {
  it('given a checkpoint, then its body is origin, size, base64 root and a time extension line, each ending in a newline', () => {
    expect(body).toBe(`ruta-audit-log\n1077\n${root.toString('base64')}\ntime 2026-11-29T09:00:01.250Z\n`);
  });

  it('given a formatted body, when parsed, then it gives the checkpoint back', () => {
    expect(parseCheckpoint(body)).toEqual(checkpoint);
    expect(parseCheckpoint(formatCheckpoint({ ...checkpoint, treeSize: 2 ** 40 })).treeSize).toBe(2 ** 40);
  });

  const lines = body.slice(0, -1).split('\n');
  const withLine = (i: number, line: string): string => lines.map((l, j) => (j === i ? line : l)).join('\n') + '\n';
  it.each([
    ['no final newline', body.slice(0, -1), 'checkpoint body must end with a newline'],
    ['a fifth line', `${body}extra\n`, 'checkpoint body must have 4 lines, got 5'],
    ['no time line', lines.slice(0, 3).join('\n') + '\n', 'checkpoint body must have 4 lines, got 3'],
    ['CRLF line ends', body.replaceAll('\n', '\r\n'), 'checkpoint origin (line 1) must be printable ASCII'],
    ['an empty origin', withLine(0, ''), 'checkpoint origin (line 1)'],
    ['a space in the origin', withLine(0, 'ruta audit'), 'checkpoint origin (line 1)'],
    ['a plus in the origin', withLine(0, 'ruta+audit'), 'checkpoint origin (line 1)'],
    ['a leading zero', withLine(1, '01077'), 'checkpoint tree size (line 2) must be a decimal number'],
    ['a negative size', withLine(1, '-1'), 'checkpoint tree size (line 2)'],
    ['a size past 2^53', withLine(1, '9007199254740992'), 'checkpoint tree size must be a non-negative integer'],
    ['a root of 31 bytes', withLine(2, root.subarray(1).toString('base64')), 'checkpoint root hash (line 3)'],
    ['an unpadded root', withLine(2, root.toString('base64').replace(/=+$/, '')), 'checkpoint root hash (line 3)'],
    ['a hex root', withLine(2, root.toString('hex')), 'checkpoint root hash (line 3)'],
    ['a time without milliseconds', withLine(3, 'time 2026-11-29T09:00:01Z'), 'checkpoint line 4 must be "time "'],
    ['a time with an offset', withLine(3, 'time 2026-11-29T09:00:01.250+00:00'), 'checkpoint line 4'],
    ['another extension', withLine(3, 'note 2026-11-29T09:00:01.250Z'), 'checkpoint line 4'],
  ])('given a body with %s, when parsed, then it is refused', (_, malformed, message) => {
    expect(() => parseCheckpoint(malformed)).toThrow(message);
  });

  it('given a checkpoint that would not parse back, when formatted, then it is refused', () => {
    expect(() => formatCheckpoint({ ...checkpoint, origin: 'two words' })).toThrow('checkpoint origin');
    expect(() => formatCheckpoint({ ...checkpoint, rootHash: Buffer.alloc(20) })).toThrow('checkpoint root hash');
    expect(() => formatCheckpoint({ ...checkpoint, time: new Date(Number.NaN) })).toThrow(
      'checkpoint time is not a valid date',
    );
  });
});

describe('a checkpoint signature', () => {
  it('given a body signed with the private key, then the public key verifies it', () => {
    const signature = signCheckpoint(body, privateKey);
    expect(signature).toHaveLength(64);
    expect(verifyCheckpoint(body, signature, publicKey)).toBe(true);
  });

  it('given a tampered body or signature, or another key, then it does not verify', () => {
    const signature = signCheckpoint(body, privateKey);
    const other = generateKeyPairSync('ed25519').publicKey;
    const flipped = Buffer.from(signature);
    flipped[10] ^= 0x01;
    expect(verifyCheckpoint(body.replace('1077', '1078'), signature, publicKey)).toBe(false);
    expect(verifyCheckpoint(body, flipped, publicKey)).toBe(false);
    expect(verifyCheckpoint(body, signature.subarray(1), publicKey)).toBe(false);
    expect(verifyCheckpoint(body, signature, other)).toBe(false);
  });

  it('given a body that does not parse, when signed, then it is refused', () => {
    expect(() => signCheckpoint('anything\n', privateKey)).toThrow('checkpoint body must have 4 lines');
  });

  it('given a key that is not Ed25519 or of the wrong kind, then signing and verifying refuse it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signCheckpoint(body, ec.privateKey)).toThrow('a checkpoint needs an Ed25519 private key, got a ec');
    expect(() => signCheckpoint(body, publicKey)).toThrow('a checkpoint needs an Ed25519 private key');
    expect(() => verifyCheckpoint(body, Buffer.alloc(64), privateKey)).toThrow(
      'a checkpoint needs an Ed25519 public key',
    );
  });
});

describe('the checkpoint signing key', () => {
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const base64Der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

  it('given the base64 of its PKCS#8 DER or its PEM, when read from config, then it is the same key', () => {
    for (const value of [base64Der, pem, `  ${base64Der}\n`]) {
      const key = keyFromConfig(value);
      expect(verifyCheckpoint(body, signCheckpoint(body, key), publicKey)).toBe(true);
    }
  });

  it('given something else, when read from config, then it is refused without repeating the value', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const rsaDer = rsa.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    expect(() => keyFromConfig(rsaDer)).toThrow('a checkpoint needs an Ed25519 private key, got a rsa');
    for (const value of ['', 'not-a-key', base64Der.slice(4), pem.replace('PRIVATE', 'PUBLIC')]) {
      expect(() => keyFromConfig(value)).toThrow(
        /^the checkpoint signing key must be an Ed25519 private key: PEM, or base64 of PKCS#8 DER$/,
      );
    }
  });

  it('given the private key, then its public PEM verifies what it signs and names the same key id', () => {
    const pemOfPublic = publicKeyPem(privateKey);
    expect(pemOfPublic).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(pemOfPublic).toBe(publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect(keyId(publicKey)).toBe(keyId(privateKey));
  });

  it('given a public key, then its id is the first 8 hex digits of SHA-256 of its SPKI DER', () => {
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    expect(keyId(publicKey)).toBe(createHash('sha256').update(spki).digest('hex').slice(0, 8));
    expect(keyId(generateKeyPairSync('ed25519').publicKey)).not.toBe(keyId(publicKey));
  });
});
