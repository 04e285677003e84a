import { IsOptional } from 'class-validator';
import { IntegerSetting, PatternSetting } from './config-rules';

const INT32 = 2 ** 31 - 1;

/** The intake gateway's admission limits and the key sealing direct identifiers. */
export class IntakeConfig {
  @IntegerSetting(1, INT32)
  INTAKE_BODY_LIMIT = 64 * 1024;

  @IntegerSetting(1, INT32)
  INTAKE_BATCH_BODY_LIMIT = 8 * 1024 * 1024;

  @IntegerSetting(1, 100_000)
  INTAKE_BATCH_MAX_EVENTS = 500;

  @IntegerSetting(1, 100_000)
  INTAKE_MAX_IN_FLIGHT = 256;

  // 32 bytes in canonical base64 are 43 characters and one "=": anything else is not an AES-256 key.
  @IsOptional()
  @PatternSetting(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, '32 bytes, base64 encoded (44 characters)')
  RUTA_IDENTIFIERS_KEY?: string;

  @PatternSetting(/^[A-Za-z0-9._-]{1,32}$/, '1-32 letters, digits, ".", "_" or "-"')
  RUTA_IDENTIFIERS_KEY_ID = 'k1';
}
