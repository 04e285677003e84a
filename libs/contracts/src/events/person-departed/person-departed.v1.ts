import { IsPersonId, IsTimestamp } from '../common';

export const PERSON_DEPARTED = 'person.departed';

/** The person left the stations; no new referral is made for them and open ones are cancelled. */
export class PersonDepartedV1 {
  @IsPersonId()
  personId: string;

  @IsTimestamp()
  departedAt: string;
}
