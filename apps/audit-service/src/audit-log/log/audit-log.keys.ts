import { createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { readConfig } from '@ruta/platform';
import { keyFromConfig, keyId, publicKeyPem } from '../merkle';
import { AuditLogConfig } from './audit-log.config';

/** The checkpoint signing key of RUTA_AUDIT_SIGNING_KEY, its public half and its id; all null when unset. */
@Injectable()
export class AuditLogKeys {
  readonly privateKey: KeyObject | null;
  readonly publicKey: KeyObject | null;
  readonly keyId: string | null;
  /** The public key as PEM (SPKI), what auditors verify checkpoints with; null when no key is configured. */
  readonly publicKeyPem: string | null;

  constructor() {
    const configured = readConfig(AuditLogConfig).RUTA_AUDIT_SIGNING_KEY;
    this.privateKey = configured ? keyFromConfig(configured) : null;
    this.publicKey = this.privateKey ? createPublicKey(this.privateKey) : null;
    this.keyId = this.publicKey ? keyId(this.publicKey) : null;
    this.publicKeyPem = this.privateKey ? publicKeyPem(this.privateKey) : null;
  }
}
