import { decomposition, splitPoint, toTreeIndex } from './tree-math';

describe('tree arithmetic', () => {
  it.each([
    [0n, 0],
    [7, 7],
    ['12345678901', 12345678901],
    [BigInt(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
  ])('given %p, when read as a tree index, then it is the number %p', (value, expected) => {
    expect(toTreeIndex(value, 'size')).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Infinity, 2 ** 53, -1n, 2n ** 53n, '', '-1', '01', '1e3', ' 1', '9007199254740992'])(
    'given %p, when read as a tree index, then it is refused naming the value',
    (value) => {
      expect(() => toTreeIndex(value, 'leaf index')).toThrow(/^leaf index must be a non-negative integer/);
    },
  );

  it('given a subtree size, then RFC 6962 splits it at the largest power of two strictly below it', () => {
    expect([2, 3, 4, 5, 8, 9, 2 ** 40 + 1].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 2 ** 40]);
  });

  it('given a size, then its decomposition is the levels of its set bits, largest first', () => {
    expect(decomposition(0)).toEqual([]);
    expect(decomposition(13)).toEqual([3, 2, 0]);
    expect(decomposition(2 ** 40 + 2)).toEqual([40, 1]);
  });
});
