import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './rfc6962';
import { decomposition, half, isOdd, splitPoint, toTreeIndex } from './tree-math';

/** A complete aligned subtree: leaves [index * 2^level, (index + 1) * 2^level). Level 0 is a leaf. */
export interface NodeRef {
  level: number;
  index: number;
}

/**
 * Reads the stored hashes of complete aligned subtrees (level 0: the leaf hashes), in the order
 * asked. Proofs ask for everything they need in one call, so storage answers with one query.
 */
export type NodeReader = (nodes: NodeRef[]) => Promise<Buffer[]>;

/** Leaves [start, end) of the log, a subrange whose MTH appears in a proof. */
interface Range {
  start: number;
  end: number;
}

/**
 * The audit path of RFC 6962 §2.1.1 (PATH(m, D[n])) for the leaf at leafIndex in the tree of
 * treeSize leaves, from the leaf's sibling up to the root's child. Throws when leafIndex >= treeSize.
 */
export async function inclusionProof(leafIndex: number, treeSize: number, read: NodeReader): Promise<Buffer[]> {
  const m = toTreeIndex(leafIndex, 'leaf index');
  const n = toTreeIndex(treeSize, 'tree size');
  if (m >= n) throw new Error(`leaf ${m} is not in a tree of size ${n}`);
  return rangeHashes(inclusionRanges(m, n), read);
}

/**
 * The consistency proof of RFC 6962 §2.1.2 (PROOF(m, D[n])) that the tree of oldSize leaves is a
 * prefix of the tree of newSize leaves. Empty when the sizes are equal. Throws when oldSize is 0
 * (every tree extends the empty one, there is nothing to prove) or oldSize > newSize.
 */
export async function consistencyProof(oldSize: number, newSize: number, read: NodeReader): Promise<Buffer[]> {
  const m = toTreeIndex(oldSize, 'old tree size');
  const n = toTreeIndex(newSize, 'new tree size');
  if (m === 0) throw new Error('a consistency proof needs an old tree size of at least 1');
  if (m > n) throw new Error(`old tree size ${m} is larger than the new tree size ${n}`);
  return rangeHashes(consistencyRanges(m, n), read);
}

/** MTH of the first `size` leaves: the root the log had at that size, from its stored subtrees. */
export async function rootAt(size: number, read: NodeReader): Promise<Buffer> {
  const n = toTreeIndex(size, 'tree size');
  if (n === 0) return EMPTY_ROOT;
  const [root] = await rangeHashes([{ start: 0, end: n }], read);
  return root;
}

/**
 * The subranges PATH(m, D[0:n]) hashes, leaf first. Walking down from the root, each split at k
 * (the largest power of two below the subtree's size) keeps the half holding m and emits the other.
 */
function inclusionRanges(m: number, n: number): Range[] {
  const path: Range[] = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const middle = start + splitPoint(end - start);
    if (m < middle) {
      path.push({ start: middle, end });
      end = middle;
    } else {
      path.push({ start, end: middle });
      start = middle;
    }
  }
  return path.reverse();
}

/**
 * The subranges SUBPROOF(m, D[0:n], true) hashes, deepest first. Walking down, the old tree's last
 * leaf decides the half to keep (m <= k: left); once the walk has gone right, the subtree where the
 * old tree ends is not one the verifier already knows as its old root, so the proof names it too.
 */
function consistencyRanges(m: number, n: number): Range[] {
  const proof: Range[] = [];
  let start = 0;
  let end = n;
  let knownToVerifier = true;
  while (end !== m) {
    const middle = start + splitPoint(end - start);
    if (m <= middle) {
      proof.push({ start: middle, end });
      end = middle;
    } else {
      proof.push({ start, end: middle });
      start = middle;
      knownToVerifier = false;
    }
  }
  if (!knownToVerifier) proof.push({ start, end });
  return proof.reverse();
}

/**
 * MTH of each range, from one read of the complete aligned subtrees that make them up. Every range
 * a proof names starts at a multiple of a power of two at least as large as itself, so it splits
 * into the subtrees of its size's binary decomposition, which RFC 6962's MTH folds from the right.
 */
async function rangeHashes(ranges: Range[], read: NodeReader): Promise<Buffer[]> {
  const pieces = ranges.map(({ start, end }) => {
    let offset = start;
    return decomposition(end - start).map((level) => {
      const node = { level, index: offset / 2 ** level };
      offset += 2 ** level;
      return node;
    });
  });
  const wanted = pieces.flat();
  const hashes = wanted.length === 0 ? [] : await read(wanted);
  if (hashes.length !== wanted.length) {
    throw new Error(`the node reader returned ${hashes.length} hashes for ${wanted.length} nodes`);
  }
  hashes.forEach((hash, i) => {
    if (hash?.length !== HASH_SIZE) {
      throw new Error(
        `the node reader returned no ${HASH_SIZE}-byte hash for level ${wanted[i].level} index ${wanted[i].index}`,
      );
    }
  });
  let next = 0;
  return pieces.map((nodes) =>
    hashes.slice(next, (next += nodes.length)).reduceRight((right, left) => nodeHash(left, right)),
  );
}

/**
 * RFC 9162 §2.1.3.2: whether proof shows leafHash at leafIndex in the tree of treeSize leaves with
 * this root. Out-of-range or non-integer arguments make it false rather than throw: a verifier
 * answers about the evidence it was handed.
 */
export function verifyInclusion(
  leafHash: Buffer,
  leafIndex: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isIndex(leafIndex) || !isIndex(treeSize) || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: whether proof shows the tree of oldSize leaves with oldRoot is a prefix of the
 * tree of newSize leaves with newRoot. Equal sizes need an empty proof and equal roots; an old size
 * of 0 or one larger than the new size is false.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  newRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isIndex(oldSize) || !isIndex(newSize) || oldSize === 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0) return false;
  // When the old tree is a complete subtree, the proof leaves out its root: the verifier has it.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

const isIndex = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

const isPowerOfTwo = (n: number): boolean => decomposition(n).length === 1;
