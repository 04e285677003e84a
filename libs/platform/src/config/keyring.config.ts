import { IsOptional } from 'class-validator';
import { PatternSetting } from './config-rules';

/**
 * The master key (KEK) of the person keyring: it wraps every person's data key, which seals their
 * direct identifiers (the gateway) and caseworkers' notes (the sectors). Read by every service that
 * seals or opens them; without it the gateway refuses identifiers and the sectors refuse notes.
 */
export class KeyringConfig {
  // 32 bytes in canonical base64 are 43 characters and one "=": anything else is not an AES-256 key.
  @IsOptional()
  @PatternSetting(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, '32 bytes, base64 encoded (44 characters)')
  RUTA_IDENTIFIERS_KEY?: string;

  @PatternSetting(/^[A-Za-z0-9._-]{1,32}$/, '1-32 letters, digits, ".", "_" or "-"')
  RUTA_IDENTIFIERS_KEY_ID = 'k1';
}
