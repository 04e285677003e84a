import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { DataKey } from '@ruta/keyring';
import { IdentifierVault } from './identifier-vault';

describe('IdentifierVault', () => {
  const masterKey = randomBytes(32);
  const env = { RUTA_IDENTIFIERS_KEY: masterKey.toString('base64'), RUTA_IDENTIFIERS_KEY_ID: 'test-1' };
  const identifiers = { fullName: 'María Pérez', documentType: 'passport', documentNumber: 'X1234567' };
  const personKey = (): DataKey => ({ keyId: randomUUID(), key: randomBytes(32) });

  it("seals identifiers with the person's data key so the stored bytes do not contain them, and opens them again", () => {
    const vault = IdentifierVault.fromEnv(env);
    const key = personKey();
    const sealed = vault.seal(identifiers, 'evt-1', key);
    expect(sealed.keyId).toBe(`person:${key.keyId}`);
    expect(sealed.ciphertext.toString('utf8')).not.toContain('X1234567');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('Pérez');
    expect(vault.open(sealed, 'evt-1', key)).toEqual(identifiers);
  });

  it("refuses a sealed record moved to another event, tampered with, or opened with another person's key", () => {
    const vault = IdentifierVault.fromEnv(env);
    const key = personKey();
    const sealed = vault.seal(identifiers, 'evt-1', key);
    expect(() => vault.open(sealed, 'evt-2', key)).toThrow();
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext).fill(0, 0, 1) };
    expect(() => vault.open(tampered, 'evt-1', key)).toThrow();
    expect(() => vault.open(sealed, 'evt-1', { ...personKey(), keyId: key.keyId })).toThrow();
  });

  it('answers erased for a record whose person key was destroyed', () => {
    const vault = IdentifierVault.fromEnv(env);
    expect(vault.open(vault.seal(identifiers, 'evt-1', personKey()), 'evt-1', 'erased')).toBe('erased');
  });

  it('still opens a record sealed with the master key before per-person keys', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
    cipher.setAAD(Buffer.from('evt-old', 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identifiers), 'utf8'), cipher.final()]);
    const sealed = { keyId: 'test-1', iv, tag: cipher.getAuthTag(), ciphertext };
    expect(IdentifierVault.fromEnv(env).open(sealed, 'evt-old', undefined)).toEqual(identifiers);
  });

  it("fingerprints the same identifiers alike under one person's key and differently under another's", () => {
    const vault = IdentifierVault.fromEnv(env);
    const key = personKey();
    const reordered = { documentNumber: 'X1234567', documentType: 'passport', fullName: 'María Pérez' };
    expect(vault.fingerprint(identifiers, 'evt-1', key)).toEqual(vault.fingerprint(reordered, 'evt-1', key));
    expect(vault.fingerprint(identifiers, 'evt-1', key)).not.toEqual(
      vault.fingerprint(identifiers, 'evt-1', personKey()),
    );
    expect(vault.fingerprint(identifiers, 'evt-1', key)).not.toEqual(vault.legacyFingerprint(identifiers, 'evt-1'));
  });

  it('is disabled without a key and rejects a key of the wrong size', () => {
    expect(IdentifierVault.fromEnv({}).enabled).toBe(false);
    expect(() => IdentifierVault.fromEnv({ RUTA_IDENTIFIERS_KEY: randomBytes(16).toString('base64') })).toThrow(
      'RUTA_IDENTIFIERS_KEY must be 32 bytes',
    );
  });
});
