import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

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
  /** A key of its own for fingerprints, derived from the encryption key (HKDF). */
  private readonly macKey: Buffer | undefined;

  private constructor(
    private readonly key: Buffer | undefined,
    readonly keyId: string,
  ) {
    this.macKey =
      key && Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ruta direct identifiers fingerprint', 32));
  }

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

  /**
   * A keyed fingerprint of the identifiers as given with one event: the same identifiers under the
   * same event id give the same bytes, so a resubmission with another name is told from a
   * duplicate without decrypting; the event id is bound in, so it links no two events.
   */
  fingerprint(identifiers: object, eventId: string): Buffer {
    if (!this.macKey) throw new Error('no identifiers key configured');
    const canonical = JSON.stringify(Object.entries(identifiers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return createHmac('sha256', this.macKey).update(eventId).update('\0').update(canonical).digest();
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
