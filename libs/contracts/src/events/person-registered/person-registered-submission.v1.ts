import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { DirectIdentifiersV1 } from './direct-identifiers.v1';
import { PersonRegisteredV1 } from './person-registered.v1';

/**
 * person.registered as a border service submits it: the published event plus optional direct
 * identifiers, which the intake gateway splits off before anything is published.
 */
export class PersonRegisteredSubmissionV1 extends PersonRegisteredV1 {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DirectIdentifiersV1)
  identifiers?: DirectIdentifiersV1;
}
