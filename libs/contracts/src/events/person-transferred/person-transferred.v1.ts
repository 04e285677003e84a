import { DiffersFrom, IsPersonId, IsStationId, IsTimestamp } from '../common';

export const PERSON_TRANSFERRED = 'person.transferred';

/** The person moved from one station to another; open referrals not yet in progress follow them. */
export class PersonTransferredV1 {
  @IsPersonId()
  personId: string;

  @IsStationId()
  fromStationId: string;

  @IsStationId()
  @DiffersFrom('fromStationId')
  toStationId: string;

  @IsTimestamp()
  transferredAt: string;
}
