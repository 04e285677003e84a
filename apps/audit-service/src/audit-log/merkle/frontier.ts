import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './rfc6962';
import { decomposition, half, isOdd, toTreeIndex } from './tree-math';

/**
 * A complete aligned subtree of the log: it covers leaves [index * 2^level, (index + 1) * 2^level).
 * Once complete it never changes, so the appender stores it once and proofs read it back.
 */
export interface StoredNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The compact range [0, size) of the log: the roots of the complete subtrees of size's binary
 * decomposition, largest (leftmost) first — at most 53 hashes. It is all the appender needs to
 * keep between appends to compute the next root and the nodes each append completes, so the log
 * never re-reads old leaves to grow.
 */
export class MerkleFrontier {
  private constructor(
    private currentSize: number,
    private readonly roots: Buffer[],
  ) {}

  /** The frontier of the empty log. */
  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /**
   * The frontier persisted after `size` leaves, e.g. from {@link hashes}. Throws when the number of
   * hashes is not the number of set bits of size, or a hash is not 32 bytes: a frontier that does
   * not match its size would silently produce wrong roots from then on.
   */
  static from(size: bigint | number, hashes: readonly Buffer[]): MerkleFrontier {
    const leaves = toTreeIndex(size, 'frontier size');
    const expected = decomposition(leaves).length;
    if (hashes.length !== expected) {
      throw new Error(`a frontier of size ${leaves} has ${expected} hashes, got ${hashes.length}`);
    }
    hashes.forEach((hash, i) => {
      if (hash.length !== HASH_SIZE) throw new Error(`frontier hash ${i} is ${hash.length} bytes, not ${HASH_SIZE}`);
    });
    return new MerkleFrontier(
      leaves,
      hashes.map((hash) => Buffer.from(hash)),
    );
  }

  /** How many leaves the log holds. */
  get size(): number {
    return this.currentSize;
  }

  /** Copies of the subtree roots, largest first: what to persist to resume with {@link from}. */
  get hashes(): Buffer[] {
    return this.roots.map((hash) => Buffer.from(hash));
  }

  /**
   * Adds the next leaf (its {@link leafHash}) and returns the complete subtrees of level >= 1 it
   * completed, lowest first. Each trailing one bit of the old size is a subtree of that level
   * waiting for a right sibling of the same size; the new leaf carries up through all of them.
   */
  append(leafHash: Buffer): StoredNode[] {
    if (leafHash.length !== HASH_SIZE) throw new Error(`a leaf hash is ${HASH_SIZE} bytes, got ${leafHash.length}`);
    const newSize = this.currentSize + 1;
    if (!Number.isSafeInteger(newSize)) throw new Error('the log is full: its size would pass 2^53 - 1');
    const completed: StoredNode[] = [];
    let carry: Buffer = Buffer.from(leafHash);
    for (let level = 1, rest = this.currentSize; isOdd(rest); level++, rest = half(rest)) {
      carry = nodeHash(this.roots.pop() as Buffer, carry);
      completed.push({ level, index: newSize / 2 ** level - 1, hash: carry });
    }
    this.roots.push(carry);
    this.currentSize = newSize;
    return completed;
  }

  /** RFC 6962 MTH of all leaves so far: the subtree roots folded from the right. */
  root(): Buffer {
    if (this.roots.length === 0) return EMPTY_ROOT;
    return this.roots.reduceRight((right, left) => nodeHash(left, right));
  }
}
