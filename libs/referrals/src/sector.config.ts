import type { Sector } from '@ruta/contracts';
import type { ReferenceData, RuleSet } from '@ruta/routing';

export const SECTOR_CONFIG = Symbol('SECTOR_CONFIG');

/** The schema a sector service owns: its name with `_` for `-` (`social-development` -> `social_development`). */
export const sectorSchema = (sector: Sector): string => sector.replace(/-/g, '_');

export interface SectorConfig {
  sector: Sector;
  /** The schema this sector service owns. */
  schema: string;
  ruleSet: RuleSet;
  referenceData: ReferenceData;
}
