import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ID_PATTERN } from '@ruta/contracts';
import { IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';

const MAX_BIGINT = 9223372036854775807n;

/** A tree size: a positive PostgreSQL bigint in decimal digits (larger ones were never signed). */
function IsTreeSize(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'isTreeSize',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT,
      defaultMessage: () => `${field} must be the size of a signed checkpoint (a positive integer)`,
    },
  });
}

const TREE_SIZE = { type: 'string', pattern: '^[1-9]\\d{0,18}$', example: '20000' } as const;

export class CheckpointPath {
  @ApiProperty({ ...TREE_SIZE, description: 'the tree size a checkpoint was signed at' })
  @IsTreeSize('treeSize')
  treeSize: string;
}

export class InclusionRequest {
  @ApiProperty({ description: 'the id of a logged event', example: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b' })
  @IsString()
  @Length(1, 128, { message: 'eventId must be an event id (1 to 128 characters)' })
  @Matches(ID_PATTERN, { message: 'eventId must be an event id (letters, digits, ".", "_", ":" or "-")' })
  eventId: string;

  @ApiPropertyOptional({ ...TREE_SIZE, description: 'prove against the checkpoint of this size (default: the newest)' })
  @IsOptional()
  @IsTreeSize('treeSize')
  treeSize?: string;
}

export class ConsistencyRequest {
  @ApiProperty({ ...TREE_SIZE, description: 'the older checkpoint', example: '10000' })
  @IsTreeSize('from')
  from: string;

  @ApiProperty({ ...TREE_SIZE, description: 'the newer checkpoint' })
  @IsTreeSize('to')
  to: string;
}
