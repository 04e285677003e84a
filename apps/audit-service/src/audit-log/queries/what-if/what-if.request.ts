import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECTORS, type Sector } from '@ruta/contracts';
import { LIVE_RULE_SETS, RULE_SET_VERSIONS } from '@ruta/routing';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const VERSIONS = [...RULE_SET_VERSIONS.keys()];
const IN_THE_REPO = `a rule-set version in the repo (${VERSIONS.join(', ')})`;

/** The most example ids an answer carries per rule (the command line takes more). */
export const WHAT_IF_MAX_EXAMPLES = 50;

/** A what-if over HTTP names versions in the repo only, never a file: no request chooses code to load. */
export class WhatIfRequest {
  @ApiProperty({ description: 'the candidate rule-set version', enum: VERSIONS, example: 'default-v2-draft' })
  @IsIn(VERSIONS, { message: `ruleSet must be ${IN_THE_REPO}` })
  ruleSet: string;

  @ApiPropertyOptional({
    description: 'what the candidate is compared with; default: the version the sectors route with',
    enum: VERSIONS,
    default: LIVE_RULE_SETS.version,
  })
  @IsOptional()
  @IsIn(VERSIONS, { message: `baseline must be ${IN_THE_REPO}` })
  baseline?: string;

  @ApiPropertyOptional({ description: 'replay one sector only; default: all', enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` })
  sector?: Sector;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: WHAT_IF_MAX_EXAMPLES, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(WHAT_IF_MAX_EXAMPLES)
  examples: number = 5;
}
