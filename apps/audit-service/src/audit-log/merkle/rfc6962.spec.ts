import { createHash } from 'node:crypto';
import { EMPTY_ROOT, leafHash, nodeHash } from './rfc6962';

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

describe('RFC 6962 hashing', () => {
  it('given leaf data, when hashed as a leaf, then it is SHA-256 of 0x00 followed by the data', () => {
    const data = Buffer.from('an audit entry');
    expect(leafHash(data)).toEqual(sha256(Buffer.from([0]), data));
  });

  it('given two children, when hashed as a node, then it is SHA-256 of 0x01, left, right', () => {
    const [left, right] = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    expect(nodeHash(left, right)).toEqual(sha256(Buffer.from([1]), left, right));
    expect(nodeHash(right, left)).not.toEqual(nodeHash(left, right));
  });

  it('given the same 64 bytes, when hashed as a leaf and as a node, then the hashes differ (domain separation)', () => {
    const [left, right] = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    expect(leafHash(Buffer.concat([left, right]))).not.toEqual(nodeHash(left, right));
  });

  it('given no leaves, then the root is the well-known SHA-256 of the empty string', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
