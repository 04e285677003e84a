import { randomBytes } from 'node:crypto';
import { open, pack, seal, unpack } from './envelope';

describe('AES-256-GCM envelope', () => {
  const key = randomBytes(32);
  const text = Buffer.from('Maria Lopez brings her card', 'utf8');

  it('opens what it sealed, through its packed form, and hides the text', () => {
    const sealed = seal(key, text, 'ruta note/1 p-1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('Maria');
    expect(open(key, unpack(pack(sealed)), 'ruta note/1 p-1')).toEqual(text);
  });

  it('refuses another key, other associated data, a changed byte or a value too short to be sealed', () => {
    const packed = pack(seal(key, text, 'ruta note/1 p-1'));
    expect(() => open(randomBytes(32), unpack(packed), 'ruta note/1 p-1')).toThrow();
    expect(() => open(key, unpack(packed), 'ruta note/1 p-2')).toThrow();
    const changed = Buffer.from(packed);
    changed[changed.length - 1]! ^= 1;
    expect(() => open(key, unpack(changed), 'ruta note/1 p-1')).toThrow();
    expect(() => unpack(Buffer.alloc(10))).toThrow('sealed value too short');
  });

  it('seals the same text differently each time (a fresh nonce)', () => {
    expect(pack(seal(key, text, 'a')).equals(pack(seal(key, text, 'a')))).toBe(false);
  });
});
