import { IsOptional } from 'class-validator';
import { CheckedSetting } from '@ruta/platform';
import { readReferenceDataFile } from '@ruta/routing';

/** The first thing wrong with the reference data file, or true. */
function isUsableReferenceData(path: unknown): true | string {
  const read = readReferenceDataFile(String(path));
  return 'problems' in read ? read.problems[0] : true;
}

/** A sector service's stations and service points (built-in seed data when unset). */
export class ReferenceDataConfig {
  @IsOptional()
  @CheckedSetting(
    'isUsableReferenceData',
    isUsableReferenceData,
    'a readable JSON file with valid station ids and, for every sector, a regional default and a service point at every station',
  )
  RUTA_REFERENCE_DATA?: string;
}
