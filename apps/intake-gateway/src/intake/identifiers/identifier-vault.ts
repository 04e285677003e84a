import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An envelope of encrypted direct identifiers (AES-256-GCM), as stored by the gateway. */
export interface SealedIdentifiers {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * Encrypts direct identifiers (name, document number) before they reach the database. The key
 * comes from RUTA_IDENTIFIERS_KEY (32 bytes, base64) and is named by RUTA_IDENTIFIERS_KEY_ID so
 * keys can rotate; without a key the gateway refuses identifiers rather than store them in clear.
 */
export class IdentifierVault {
  private constructor(
    private readonly key: Buffer | undefined,
    readonly keyId: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): IdentifierVault {
    const raw = env.RUTA_IDENTIFIERS_KEY;
    const keyId = env.RUTA_IDENTIFIERS_KEY_ID || 'k1';
    if (!raw) return new IdentifierVault(undefined, keyId);
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new Error('RUTA_IDENTIFIERS_KEY must be 32 bytes, base64 encoded');
    return new IdentifierVault(key, keyId);
  }

  get enabled(): boolean {
    return this.key !== undefined;
  }

  /** The event id is bound in as associated data: a sealed record cannot be moved to another event. */
  seal(identifiers: object, eventId: string): SealedIdentifiers {
    if (!this.key) throw new Error('no identifiers key configured');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(eventId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identifiers), 'utf8'), cipher.final()]);
    return { keyId: this.keyId, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  open(sealed: SealedIdentifiers, eventId: string): unknown {
    if (!this.key) throw new Error('no identifiers key configured');
    if (sealed.keyId !== this.keyId) throw new Error(`sealed with key ${sealed.keyId}, not ${this.keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.iv);
    decipher.setAAD(Buffer.from(eventId, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return JSON.parse(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8'));
  }
}
