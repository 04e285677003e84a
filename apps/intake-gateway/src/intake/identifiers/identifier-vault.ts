import { createHmac, hkdfSync } from 'node:crypto';
import { open, seal, type DataKey, type PersonKey } from '@ruta/keyring';

/** An envelope of encrypted direct identifiers (AES-256-GCM), as stored by the gateway. */
export interface SealedIdentifiers {
  /** `person:<key id>`: sealed with that person's data key; anything else names the master key (rows from before). */
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** The key_id prefix of identifiers sealed with a person's data key (":" is never in a master key id). */
export const PERSON_KEY_PREFIX = 'person:';

const fingerprintKey = (key: Buffer) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ruta direct identifiers fingerprint', 32));

/**
 * Encrypts direct identifiers (name, document number) before they reach the database, each person's
 * with their own data key from the keyring, so destroying that key erases them (crypto-shredding).
 * Rows sealed before per-person keys name the master key (RUTA_IDENTIFIERS_KEY, id
 * RUTA_IDENTIFIERS_KEY_ID) and stay readable with it. Without a master key the gateway refuses
 * identifiers rather than store them in clear.
 */
export class IdentifierVault {
  /** How rows from before per-person keys were fingerprinted: a key derived from the master key. */
  private readonly legacyMacKey: Buffer | undefined;

  private constructor(
    private readonly masterKey: Buffer | undefined,
    readonly masterKeyId: string,
  ) {
    this.legacyMacKey = masterKey && fingerprintKey(masterKey);
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
    return this.masterKey !== undefined;
  }

  /** Sealed with the person's data key; the event id is bound in, so a sealed record cannot be moved to another event. */
  seal(identifiers: object, eventId: string, personKey: DataKey): SealedIdentifiers {
    const sealed = seal(personKey.key, Buffer.from(JSON.stringify(identifiers), 'utf8'), eventId);
    return { keyId: `${PERSON_KEY_PREFIX}${personKey.keyId}`, ...sealed };
  }

  /**
   * A keyed fingerprint of the identifiers as given with one event, under a key derived from the
   * person's data key: the same identifiers under the same event id give the same bytes, so a
   * resubmission with another name is told from a duplicate without decrypting; the event id is
   * bound in, so it links no two events; and once the person's key is erased no guess can be checked against it.
   */
  fingerprint(identifiers: object, eventId: string, personKey: DataKey): Buffer {
    return mac(fingerprintKey(personKey.key), identifiers, eventId);
  }

  /** The fingerprint as rows stored before per-person keys hold it (master key): still compared, so their resubmissions stay duplicates. */
  legacyFingerprint(identifiers: object, eventId: string): Buffer {
    if (!this.legacyMacKey) throw new Error('no identifiers key configured');
    return mac(this.legacyMacKey, identifiers, eventId);
  }

  /**
   * The identifiers, with the person's key as the keyring answers it (undefined: the person has
   * none). 'erased' when the row was sealed with a person key that was destroyed: nothing opens it.
   */
  open(sealed: SealedIdentifiers, eventId: string, personKey: PersonKey | undefined): unknown {
    if (sealed.keyId.startsWith(PERSON_KEY_PREFIX)) {
      if (personKey === 'erased') return 'erased';
      if (!personKey || sealed.keyId !== `${PERSON_KEY_PREFIX}${personKey.keyId}`) {
        throw new Error('sealed with a person key the keyring does not hold');
      }
      return JSON.parse(open(personKey.key, sealed, eventId).toString('utf8'));
    }
    if (!this.masterKey) throw new Error('no identifiers key configured');
    if (sealed.keyId !== this.masterKeyId) throw new Error(`sealed with key ${sealed.keyId}, not ${this.masterKeyId}`);
    return JSON.parse(open(this.masterKey, sealed, eventId).toString('utf8'));
  }
}

function mac(key: Buffer, identifiers: object, eventId: string): Buffer {
  const canonical = JSON.stringify(Object.entries(identifiers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHmac('sha256', key).update(eventId).update('\0').update(canonical).digest();
}
