import { IntegerSetting } from './config-rules';

const INT32 = 2 ** 31 - 1;

/** The intake gateway's admission limits (the key sealing direct identifiers is KeyringConfig's). */
export class IntakeConfig {
  @IntegerSetting(1, INT32)
  INTAKE_BODY_LIMIT = 64 * 1024;

  @IntegerSetting(1, INT32)
  INTAKE_BATCH_BODY_LIMIT = 8 * 1024 * 1024;

  @IntegerSetting(1, 100_000)
  INTAKE_BATCH_MAX_EVENTS = 500;

  @IntegerSetting(1, 100_000)
  INTAKE_MAX_IN_FLIGHT = 256;
}
