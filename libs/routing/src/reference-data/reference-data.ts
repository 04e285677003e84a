import type { Sector } from '@ruta/contracts';
import { readReferenceDataFile } from './reference-data.check';

/** Stations and each sector's service points: seed data, replaceable with RUTA_REFERENCE_DATA. */
export interface ReferenceData {
  stations: { id: string; name: string; region: string }[];
  servicePoints: Record<Sector, { regionalDefault: string; byStation: Record<string, string> }>;
}

const STATIONS = [
  { id: 'lajas-blancas', name: 'Lajas Blancas reception station', region: 'Darién' },
  { id: 'san-vicente', name: 'San Vicente reception station', region: 'Darién' },
  { id: 'bajo-chiquito', name: 'Bajo Chiquito community', region: 'Darién' },
  { id: 'los-planes', name: 'Los Planes reception station', region: 'Chiriquí' },
];

const pointsAtEveryStation = (prefix: string) => Object.fromEntries(STATIONS.map((s) => [s.id, `${prefix}-${s.id}`]));

export const DEFAULT_REFERENCE_DATA: ReferenceData = {
  stations: STATIONS,
  servicePoints: {
    health: { regionalDefault: 'meteti-hospital', byStation: pointsAtEveryStation('health') },
    'social-development': { regionalDefault: 'mides-darien', byStation: pointsAtEveryStation('mides') },
    protection: { regionalDefault: 'protection-darien', byStation: pointsAtEveryStation('protection') },
  },
};

/** The reference data, checked in full: a gap found here is refused at start, not met on the hot path. */
export function loadReferenceData(path = process.env.RUTA_REFERENCE_DATA): ReferenceData {
  if (!path) return DEFAULT_REFERENCE_DATA;
  const read = readReferenceDataFile(path);
  if ('problems' in read)
    throw new Error(`RUTA_REFERENCE_DATA is not usable reference data: ${read.problems.join('; ')}`);
  return read.data as ReferenceData;
}

/** The sector's point at the person's current station, else the sector's regional default. */
export function servicePointFor(data: ReferenceData, sector: Sector, stationId: string | undefined): string {
  const points = data.servicePoints[sector];
  return (stationId && points.byStation[stationId]) || points.regionalDefault;
}
