import { randomBytes } from 'node:crypto';
import { IdentifierVault } from './identifier-vault';

describe('IdentifierVault', () => {
  const env = { RUTA_IDENTIFIERS_KEY: randomBytes(32).toString('base64'), RUTA_IDENTIFIERS_KEY_ID: 'test-1' };
  const identifiers = { fullName: 'María Pérez', documentType: 'passport', documentNumber: 'X1234567' };

  it('seals identifiers so the stored bytes do not contain them, and opens them again', () => {
    const vault = IdentifierVault.fromEnv(env);
    const sealed = vault.seal(identifiers, 'evt-1');
    expect(sealed.keyId).toBe('test-1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('X1234567');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('Pérez');
    expect(vault.open(sealed, 'evt-1')).toEqual(identifiers);
  });

  it('refuses a sealed record moved to another event or tampered with', () => {
    const vault = IdentifierVault.fromEnv(env);
    const sealed = vault.seal(identifiers, 'evt-1');
    expect(() => vault.open(sealed, 'evt-2')).toThrow();
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext).fill(0, 0, 1) };
    expect(() => vault.open(tampered, 'evt-1')).toThrow();
  });

  it('is disabled without a key and rejects a key of the wrong size', () => {
    expect(IdentifierVault.fromEnv({}).enabled).toBe(false);
    expect(() => IdentifierVault.fromEnv({ RUTA_IDENTIFIERS_KEY: randomBytes(16).toString('base64') })).toThrow(
      'RUTA_IDENTIFIERS_KEY must be 32 bytes',
    );
  });
});
