import { CheckedSetting, IntegerSetting, PatternSetting } from '@ruta/platform';
import { IsOptional } from 'class-validator';
import { keyFromConfig } from '../merkle';

const signingKey = (value: unknown): true | string => {
  try {
    keyFromConfig(String(value));
    return true;
  } catch {
    return 'it is not an Ed25519 private key';
  }
};

/** How the audit log signs its checkpoints (README: the auditor's guide). */
export class AuditLogConfig {
  /**
   * The Ed25519 private key that signs checkpoints (PKCS#8, PEM or base64 DER). Unset: the log and
   * its Merkle tree are kept, but no checkpoint is signed, and the service says so at boot.
   */
  @IsOptional()
  @CheckedSetting('isEd25519Key', signingKey, 'an Ed25519 private key, PKCS#8 PEM or base64 DER')
  RUTA_AUDIT_SIGNING_KEY?: string;

  /** Names this log in every checkpoint, so a checkpoint of one deployment is never taken for another's. */
  @PatternSetting(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'lowercase letters, digits, dots and dashes, up to 63')
  RUTA_AUDIT_LOG_ORIGIN = 'ruta-audit-log';

  /** A checkpoint at least every this many entries... */
  @IntegerSetting(1, 10_000_000)
  RUTA_AUDIT_CHECKPOINT_ENTRIES = 10_000;

  /** ...and at least every this many seconds while entries arrive. */
  @IntegerSetting(1, 86_400)
  RUTA_AUDIT_CHECKPOINT_SECONDS = 60;

  /**
   * The most intake events POST /v1/audit/what-if replays: it answers synchronously, so a longer
   * history is refused (422) and replayed with `npm run audit -- what-if` instead.
   */
  @IntegerSetting(1, 10_000_000)
  RUTA_AUDIT_WHAT_IF_MAX_EVENTS = 100_000;
}
