import { IsBoolean } from 'class-validator';
import { IsPersonId, IsTimestamp } from '../common';

export const ASYLUM_INTENT_EXPRESSED = 'asylum.intent-expressed';

/** The person said they intend to seek asylum; sensitive: only protection may see it. */
export class AsylumIntentExpressedV1 {
  @IsPersonId()
  personId: string;

  @IsTimestamp()
  expressedAt: string;

  @IsBoolean()
  fearOfReturn: boolean;
}
