import { ApiProperty } from '@nestjs/swagger';
import { SECTORS, type Sector } from '@ruta/contracts';
import { IsIn, IsUUID } from 'class-validator';

export class StartRebuildRequest {
  @ApiProperty({
    enum: SECTORS,
    description: 'the sector whose projections are rebuilt from the log',
    example: 'health',
  })
  @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` })
  sector: Sector;
}

export class RebuildJobPath {
  @ApiProperty({ format: 'uuid', description: 'the id POST /v1/audit/rebuilds answered' })
  @IsUUID('all', { message: 'id must be a rebuild job id (a uuid)' })
  id: string;
}
