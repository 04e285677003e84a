import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { leftOutFallsToTime } from '../intake-submissions.v1';
import { DirectIdentifiersV1 } from './direct-identifiers.v1';
import { PersonRegisteredV1 } from './person-registered.v1';

/**
 * person.registered as a border service submits it: the published event plus optional direct
 * identifiers, which the intake gateway splits off before anything is published; registeredAt may
 * be left out (the gateway fills it from the event's `time`, see intake-submissions.v1.ts).
 */
export class PersonRegisteredSubmissionV1 extends PersonRegisteredV1 {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DirectIdentifiersV1)
  identifiers?: DirectIdentifiersV1;
}
leftOutFallsToTime(PersonRegisteredSubmissionV1, 'registeredAt');
