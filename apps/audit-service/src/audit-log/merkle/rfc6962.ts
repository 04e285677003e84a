import { createHash } from 'node:crypto';

/**
 * The two hashes of an RFC 6962 §2.1 Merkle tree over SHA-256. The one-byte prefixes keep a leaf
 * from ever hashing like an interior node, so no one can pass off two hashes as a leaf's data
 * (second-preimage resistance across levels).
 */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH of a one-leaf tree: SHA-256(0x00 || data). */
export function leafHash(data: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** The hash of an interior node over its two children: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) — the root of the empty tree is the hash of the empty string, with no prefix. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();
