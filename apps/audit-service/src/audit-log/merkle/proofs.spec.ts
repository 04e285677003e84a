import { randomBytes } from 'node:crypto';
import { MerkleFrontier } from './frontier';
import {
  consistencyProof,
  inclusionProof,
  rootAt,
  verifyConsistency,
  verifyInclusion,
  type NodeReader,
  type NodeRef,
} from './proofs';
import { EMPTY_ROOT, leafHash, nodeHash } from './rfc6962';

/*
 * The reference: RFC 6962 §2.1's recursive definitions, written out plainly over leaves D[lo:hi]
 * of one leaf array, with no stored nodes and no cleverness. The library must agree with it.
 */
const D = Array.from({ length: 4100 }, (_, i) => Buffer.from(`audit entry ${i}`));
const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
const memo = new Map<string, Buffer>();
/** MTH(D[lo:hi]) */
function MTH(lo: number, hi: number): Buffer {
  const key = `${lo}:${hi}`;
  let hash = memo.get(key);
  if (!hash) {
    if (hi - lo === 0) hash = EMPTY_ROOT;
    else if (hi - lo === 1) hash = leafHash(D[lo]);
    else {
      const k = largestPowerOfTwoBelow(hi - lo);
      hash = nodeHash(MTH(lo, lo + k), MTH(lo + k, hi));
    }
    memo.set(key, hash);
  }
  return hash;
}
/** PATH(m, D[lo:hi]), m relative to lo */
function PATH(m: number, lo: number, hi: number): Buffer[] {
  if (hi - lo === 1) return [];
  const k = largestPowerOfTwoBelow(hi - lo);
  return m < k ? [...PATH(m, lo, lo + k), MTH(lo + k, hi)] : [...PATH(m - k, lo + k, hi), MTH(lo, lo + k)];
}
/** SUBPROOF(m, D[lo:hi], b), m relative to lo */
function SUBPROOF(m: number, lo: number, hi: number, b: boolean): Buffer[] {
  if (m === hi - lo) return b ? [] : [MTH(lo, hi)];
  const k = largestPowerOfTwoBelow(hi - lo);
  return m <= k
    ? [...SUBPROOF(m, lo, lo + k, b), MTH(lo + k, hi)]
    : [...SUBPROOF(m - k, lo + k, hi, false), MTH(lo, lo + k)];
}
const PROOF = (m: number, n: number): Buffer[] => SUBPROOF(m, 0, n, true);

/**
 * What the appender stores, as the lead's table will: each leaf hash at level 0 and every node a
 * frontier append completed. The reader refuses any node the log would not have, and counts calls.
 */
function storedLog(size: number) {
  const stored = new Map<string, Buffer>();
  const frontier = MerkleFrontier.empty();
  D.slice(0, size).forEach((data, index) => {
    const hash = leafHash(data);
    stored.set(`0/${index}`, hash);
    frontier.append(hash).forEach((node) => stored.set(`${node.level}/${node.index}`, node.hash));
  });
  const calls: NodeRef[][] = [];
  const read: NodeReader = async (nodes) => {
    calls.push(nodes);
    return nodes.map(({ level, index }) => {
      const hash = stored.get(`${level}/${index}`);
      if (!hash) throw new Error(`node ${level}/${index} was never stored`);
      return hash;
    });
  };
  return { read, calls, frontier };
}

const flipByte = (hash: Buffer, at = 0): Buffer => {
  const copy = Buffer.from(hash);
  copy[at] ^= 0x01;
  return copy;
};
const sizes = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);
const SMALL = 70;

describe('given logs of every size from 1 to 70', () => {
  const log = storedLog(SMALL);

  it('when asked for the root at each size, then it is MTH of that prefix, read in one call', async () => {
    for (const n of sizes(SMALL)) {
      log.calls.length = 0;
      expect(await rootAt(n, log.read)).toEqual(MTH(0, n));
      expect(log.calls).toHaveLength(1);
    }
  });

  it('when asked for every inclusion proof, then each is PATH(m, D[n]), read in at most one call, and verifies', async () => {
    for (const n of sizes(SMALL)) {
      for (let m = 0; m < n; m++) {
        log.calls.length = 0;
        const proof = await inclusionProof(m, n, log.read);
        expect(proof).toEqual(PATH(m, 0, n));
        expect(log.calls.length).toBe(n === 1 ? 0 : 1);
        expect(verifyInclusion(leafHash(D[m]), m, n, proof, MTH(0, n))).toBe(true);
      }
    }
  });

  it('when asked for every consistency proof, then each is PROOF(m, D[n]), read in at most one call, and verifies', async () => {
    for (const n of sizes(SMALL)) {
      for (let m = 1; m <= n; m++) {
        log.calls.length = 0;
        const proof = await consistencyProof(m, n, log.read);
        expect(proof).toEqual(PROOF(m, n));
        expect(log.calls.length).toBe(m === n ? 0 : 1);
        expect(verifyConsistency(m, n, MTH(0, m), MTH(0, n), proof)).toBe(true);
      }
    }
  });
});

describe('given a log of 4100 leaves', () => {
  const log = storedLog(D.length);
  const randomSize = (): number => 1 + Math.floor(Math.random() * D.length);

  it('when asked for proofs at random sizes, then they match the reference and verify', async () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = randomSize();
      const m = Math.floor(Math.random() * n);
      const inclusion = await inclusionProof(m, n, log.read);
      expect(inclusion).toEqual(PATH(m, 0, n));
      expect(verifyInclusion(leafHash(D[m]), m, n, inclusion, MTH(0, n))).toBe(true);
      const consistency = await consistencyProof(m + 1, n, log.read);
      expect(consistency).toEqual(PROOF(m + 1, n));
      expect(verifyConsistency(m + 1, n, MTH(0, m + 1), MTH(0, n), consistency)).toBe(true);
    }
  });

  it('when the root is read at its full size, then it is the root its frontier computed while appending', async () => {
    expect(await rootAt(D.length, log.read)).toEqual(log.frontier.root());
  });
});

describe('given an inclusion proof that verifies, when any part of the evidence changes, then it no longer verifies', () => {
  const log = storedLog(SMALL);

  it.each([
    [0, 1],
    [0, 2],
    [5, 6],
    [6, 7],
    [13, 64],
    [63, 64],
    [64, 65],
    [37, 70],
  ])('leaf %p of %p', async (m, n) => {
    const leaf = leafHash(D[m]);
    const root = MTH(0, n);
    const proof = await inclusionProof(m, n, log.read);
    expect(verifyInclusion(leaf, m, n, proof, root)).toBe(true);

    expect(verifyInclusion(flipByte(leaf), m, n, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, m, n, proof, flipByte(root, 31))).toBe(false);
    proof.forEach((_, i) => {
      const tampered = proof.map((hash, j) => (j === i ? flipByte(hash, 7) : hash));
      expect(verifyInclusion(leaf, m, n, tampered, root)).toBe(false);
    });
    for (const index of [m - 1, m + 1].filter((i) => i >= 0 && i < n)) {
      expect(verifyInclusion(leaf, index, n, proof, root)).toBe(false);
    }
    for (const size of [n - 1, n + 1].filter((s) => s > m && s <= SMALL)) {
      expect(verifyInclusion(leaf, m, size, proof, MTH(0, size))).toBe(false);
    }
    if (proof.length > 0) expect(verifyInclusion(leaf, m, n, proof.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(leaf, m, n, [...proof, randomBytes(32)], root)).toBe(false);
    expect(verifyInclusion(leaf, m, m, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, -1, n, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, m + 0.5, n, proof, root)).toBe(false);
  });

  it('but the tree size alone is bound only by the root, which is why a checkpoint signs size and root together', async () => {
    // given: leaf 0 of 3 has the same shape of path as leaf 0 of 4 (left, then left)
    const proof = await inclusionProof(0, 3, log.read);
    // when the proof is checked against the size-3 root but a claimed size of 4
    // then it passes: the verifier must take the size from the same signed checkpoint as the root
    expect(verifyInclusion(leafHash(D[0]), 0, 4, proof, MTH(0, 3))).toBe(true);
    expect(verifyInclusion(leafHash(D[0]), 0, 4, proof, MTH(0, 4))).toBe(false);
  });
});

describe('given a consistency proof that verifies, when any part of the evidence changes, then it no longer verifies', () => {
  const log = storedLog(SMALL);

  it.each([
    [1, 2],
    [3, 7],
    [4, 7],
    [6, 8],
    [7, 8],
    [32, 70],
    [63, 65],
    [45, 67],
  ])('from %p to %p', async (m, n) => {
    const [oldRoot, newRoot] = [MTH(0, m), MTH(0, n)];
    const proof = await consistencyProof(m, n, log.read);
    expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);

    expect(verifyConsistency(m, n, flipByte(oldRoot), newRoot, proof)).toBe(false);
    expect(verifyConsistency(m, n, oldRoot, flipByte(newRoot), proof)).toBe(false);
    proof.forEach((_, i) => {
      const tampered = proof.map((hash, j) => (j === i ? flipByte(hash, 7) : hash));
      expect(verifyConsistency(m, n, oldRoot, newRoot, tampered)).toBe(false);
    });
    for (const size of [m - 1, m + 1].filter((s) => s >= 1 && s < n)) {
      expect(verifyConsistency(size, n, MTH(0, size), newRoot, proof)).toBe(false);
    }
    for (const size of [n - 1, n + 1].filter((s) => s > m && s <= SMALL)) {
      expect(verifyConsistency(m, size, oldRoot, MTH(0, size), proof)).toBe(false);
    }
    expect(verifyConsistency(m, n, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
    expect(verifyConsistency(m, n, oldRoot, newRoot, [...proof, randomBytes(32)])).toBe(false);
    expect(verifyConsistency(n, m, newRoot, oldRoot, proof)).toBe(false);
  });

  it('given equal sizes, then only an empty proof between equal roots verifies', () => {
    expect(verifyConsistency(5, 5, MTH(0, 5), MTH(0, 5), [])).toBe(true);
    expect(verifyConsistency(5, 5, MTH(0, 5), MTH(0, 4), [])).toBe(false);
    expect(verifyConsistency(5, 5, MTH(0, 5), MTH(0, 5), [MTH(0, 5)])).toBe(false);
  });

  it('given an old size below the new one, then an empty proof never verifies', () => {
    expect(verifyConsistency(3, 5, MTH(0, 3), MTH(0, 5), [])).toBe(false);
    expect(verifyConsistency(4, 5, MTH(0, 4), MTH(0, 5), [])).toBe(false);
  });

  it('given an old size of 0, then nothing verifies: every tree extends the empty one and no proof is defined', () => {
    expect(verifyConsistency(0, 3, EMPTY_ROOT, MTH(0, 3), [])).toBe(false);
  });
});

describe('given arguments out of range, when a proof is asked for, then it is refused before any read', () => {
  const log = storedLog(8);

  it.each([
    [() => inclusionProof(8, 8, log.read), 'leaf 8 is not in a tree of size 8'],
    [() => inclusionProof(0, 0, log.read), 'leaf 0 is not in a tree of size 0'],
    [() => inclusionProof(-1, 8, log.read), 'leaf index must be a non-negative integer'],
    [() => consistencyProof(0, 8, log.read), 'a consistency proof needs an old tree size of at least 1'],
    [() => consistencyProof(5, 4, log.read), 'old tree size 5 is larger than the new tree size 4'],
    [() => rootAt(1.5, log.read), 'tree size must be a non-negative integer'],
  ])('%#', async (ask, message) => {
    log.calls.length = 0;
    await expect(ask()).rejects.toThrow(message);
    expect(log.calls).toEqual([]);
  });

  it('given size 1, then the inclusion proof is empty and the root is the leaf hash', async () => {
    expect(await inclusionProof(0, 1, log.read)).toEqual([]);
    expect(await rootAt(1, log.read)).toEqual(leafHash(D[0]));
    expect(await rootAt(0, log.read)).toEqual(EMPTY_ROOT);
  });

  it('given a reader that answers short or with a bad hash, then the proof fails naming it', async () => {
    await expect(inclusionProof(0, 4, async (nodes) => nodes.slice(1).map(() => Buffer.alloc(32)))).rejects.toThrow(
      'the node reader returned 1 hashes for 2 nodes',
    );
    await expect(inclusionProof(0, 2, async () => [Buffer.alloc(3)])).rejects.toThrow(
      'the node reader returned no 32-byte hash for level 0 index 1',
    );
  });
});

describe('given a log past 2^32 leaves whose leaves are all the same', () => {
  // Every complete subtree of level L then has the same hash, so stored nodes can be computed
  // without 2^40 leaves; the reader still checks each asked node lies complete within the tree.
  const leaf = leafHash(Buffer.from('the same entry'));
  const levelHashes = [leaf];
  for (let level = 1; level <= 53; level++) levelHashes.push(nodeHash(levelHashes[level - 1], levelHashes[level - 1]));
  const readerFor =
    (size: number): NodeReader =>
    async (nodes) =>
      nodes.map(({ level, index }) => {
        if (!Number.isSafeInteger(index) || index < 0 || (index + 1) * 2 ** level > size) {
          throw new Error(`node ${level}/${index} is not a complete subtree of the first ${size} leaves`);
        }
        return levelHashes[level];
      });
  const frontierRoot = (size: number): Buffer => {
    const levels = [...size.toString(2)].map((bit, i, bits) => (bit === '1' ? bits.length - 1 - i : -1));
    return MerkleFrontier.from(
      size,
      levels.filter((level) => level >= 0).map((level) => levelHashes[level]),
    ).root();
  };

  it('when proofs are made and checked at sizes beyond 32-bit arithmetic, then they verify', async () => {
    for (const [m, n] of [
      [2 ** 32, 2 ** 32 + 1],
      [2 ** 33 + 7, 2 ** 40 + 5],
      [2 ** 45 - 1, 2 ** 52 + 3],
    ]) {
      const [oldRoot, newRoot] = [await rootAt(m, readerFor(m)), await rootAt(n, readerFor(n))];
      expect(oldRoot).toEqual(frontierRoot(m));
      expect(newRoot).toEqual(frontierRoot(n));
      const inclusion = await inclusionProof(n - 2, n, readerFor(n));
      expect(verifyInclusion(leaf, n - 2, n, inclusion, newRoot)).toBe(true);
      expect(verifyInclusion(leaf, n - 2, n, inclusion.slice(1), newRoot)).toBe(false);
      const consistency = await consistencyProof(m, n, readerFor(n));
      expect(verifyConsistency(m, n, oldRoot, newRoot, consistency)).toBe(true);
      expect(verifyConsistency(m, n, oldRoot, newRoot, consistency.slice(1))).toBe(false);
    }
  });
});
