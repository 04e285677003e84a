import { MerkleFrontier, type StoredNode } from './frontier';
import { EMPTY_ROOT, leafHash, nodeHash } from './rfc6962';
import { splitPoint } from './tree-math';

/** RFC 6962 MTH over leaf hashes, recursively, as the RFC defines it. */
const mth = (leaves: Buffer[]): Buffer => {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const leaves = Array.from({ length: 140 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

describe('MerkleFrontier', () => {
  it('given an empty log, then its size is 0, it has no hashes and its root is the empty root', () => {
    const frontier = MerkleFrontier.empty();
    expect(frontier.size).toBe(0);
    expect(frontier.hashes).toEqual([]);
    expect(frontier.root()).toEqual(EMPTY_ROOT);
  });

  it('given leaves appended one by one, then after each append the root is the RFC 6962 MTH of the prefix', () => {
    const frontier = MerkleFrontier.empty();
    leaves.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root()).toEqual(mth(leaves.slice(0, i + 1)));
    });
  });

  it('given appends, then each returns exactly the complete aligned subtrees it completed, with their MTH', () => {
    const frontier = MerkleFrontier.empty();
    const completedBy = leaves.map((leaf) => frontier.append(leaf));
    completedBy.forEach((nodes, i) => {
      const size = i + 1;
      const expected: StoredNode[] = [];
      for (let level = 1; size % 2 ** level === 0; level++) {
        const index = size / 2 ** level - 1;
        expected.push({ level, index, hash: mth(leaves.slice(index * 2 ** level, size)) });
      }
      expect(nodes).toEqual(expected);
    });
    expect(completedBy[7].map(({ level, index }) => ({ level, index }))).toEqual([
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
  });

  it('given a frontier persisted through its hashes, when restored and appended to, then it goes on as if never stopped', () => {
    const original = MerkleFrontier.empty();
    leaves.slice(0, 45).forEach((leaf) => original.append(leaf));
    // when
    const restored = MerkleFrontier.from(45n, original.hashes);
    const completed = leaves.slice(45).flatMap((leaf) => restored.append(leaf));
    // then
    const uninterrupted = MerkleFrontier.empty();
    const expected = leaves.flatMap((leaf) => uninterrupted.append(leaf)).filter((node) => node.index >= 0);
    expect(original.hashes).toHaveLength(4); // 45 = 32 + 8 + 4 + 1
    expect(completed).toEqual(expected.slice(expected.length - completed.length));
    expect(restored.root()).toEqual(mth(leaves));
    expect(restored.hashes).toEqual(uninterrupted.hashes);
  });

  it('given a size and a number of hashes that is not its popcount, when restored, then it is refused', () => {
    const hash = leafHash(Buffer.from('x'));
    expect(() => MerkleFrontier.from(3, [hash])).toThrow('a frontier of size 3 has 2 hashes, got 1');
    expect(() => MerkleFrontier.from(0, [hash])).toThrow('a frontier of size 0 has 0 hashes, got 1');
    expect(() => MerkleFrontier.from(4, [hash, hash])).toThrow('a frontier of size 4 has 1 hashes, got 2');
    expect(() => MerkleFrontier.from(1, [Buffer.alloc(31)])).toThrow('frontier hash 0 is 31 bytes, not 32');
    expect(() => MerkleFrontier.from(-1, [])).toThrow('frontier size must be a non-negative integer');
  });

  it('given a frontier past 2^32 leaves, when a leaf completes high subtrees, then their levels and indexes are exact', () => {
    // given: 2^33 - 1 leaves, all subtrees of levels 0..32 waiting for a sibling
    const size = 2 ** 33 - 1;
    const hashes = Array.from({ length: 33 }, (_, i) => leafHash(Buffer.from(`subtree ${i}`)));
    const frontier = MerkleFrontier.from(BigInt(size), hashes);
    // when
    const completed = frontier.append(leafHash(Buffer.from('the next one')));
    // then
    expect(frontier.size).toBe(2 ** 33);
    expect(completed.map(({ level, index }) => [level, index])).toEqual(
      Array.from({ length: 33 }, (_, i) => [i + 1, 2 ** (32 - i) - 1]),
    );
    expect(frontier.hashes).toEqual([completed[32].hash]);
    expect(frontier.root()).toEqual(completed[32].hash);
  });

  it('given a log of 2^53 - 1 leaves, when one more is appended, then it is refused: sizes stay exact numbers', () => {
    const full = MerkleFrontier.from(
      Number.MAX_SAFE_INTEGER,
      Array.from({ length: 53 }, () => Buffer.alloc(32)),
    );
    expect(() => full.append(Buffer.alloc(32))).toThrow('the log is full');
    expect(full.size).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('given a hash of the wrong size, when appended, then it is refused and the frontier is unchanged', () => {
    const frontier = MerkleFrontier.empty();
    expect(() => frontier.append(Buffer.alloc(20))).toThrow('a leaf hash is 32 bytes, got 20');
    expect(frontier.size).toBe(0);
  });

  it('given the hashes it hands out, when a caller changes them, then the frontier is not affected', () => {
    const frontier = MerkleFrontier.empty();
    frontier.append(leaves[0]);
    frontier.hashes[0].fill(0);
    expect(frontier.root()).toEqual(leaves[0]);
  });
});
