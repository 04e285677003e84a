import type { Sector } from '@ruta/contracts';
import type { ReferenceData, RuleSet } from '@ruta/routing';

export const SECTOR_CONFIG = Symbol('SECTOR_CONFIG');

export interface SectorConfig {
  sector: Sector;
  /** The schema this sector service owns. */
  schema: string;
  ruleSet: RuleSet;
  referenceData: ReferenceData;
}
