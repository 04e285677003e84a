import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { IsOpaqueId, IsOpenLabel, IsPersonId, IsTimestamp } from '../common';

export const HOUSEHOLD_LINKED = 'household.linked';
export const MAX_HOUSEHOLD_MEMBERS = 30;
/** Suggested values of the open label `relationship` (PRODUCT.md); any other label is stored as given. */
export const RELATIONSHIPS = ['head', 'spouse-partner', 'child', 'parent', 'sibling', 'other'] as const;

/** One person of a household and how they relate to its head. */
export class HouseholdMemberV1 {
  @IsPersonId()
  personId: string;

  /** How the member relates to the head: an open label, RELATIONSHIPS suggested. */
  @IsOpenLabel()
  relationship: string;
}

/** headPersonId must be the personId of one of the members. */
const IsHouseholdMember = () =>
  ValidateBy({
    name: 'isHouseholdMember',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const members = (args?.object as Partial<HouseholdLinkedV1> | undefined)?.members;
        return Array.isArray(members) && members.some((m) => m?.personId === value);
      },
      defaultMessage: () => 'headPersonId must be the personId of one of the members',
    },
  });

/** The people travelling together as one household; the latest link that names a person wins. */
export class HouseholdLinkedV1 {
  @IsOpaqueId()
  householdId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOUSEHOLD_MEMBERS)
  @ArrayUnique((m: HouseholdMemberV1 | undefined) => m?.personId, { message: 'members must name each person once' })
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberV1)
  members: HouseholdMemberV1[];

  @IsPersonId()
  @IsHouseholdMember()
  headPersonId: string;

  @IsTimestamp()
  linkedAt: string;
}
