import { readFileSync } from 'node:fs';
import { SECTORS, STATION_ID_PATTERN } from '@ruta/contracts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isName = (value: unknown) => typeof value === 'string' && value.trim().length > 0 && value.length <= 200;

/**
 * What is wrong with reference data, by path: stations with well-formed ids, and for every sector
 * a regional default and a service point at every station. Values from the file are never quoted.
 */
export function referenceDataProblems(data: unknown): string[] {
  if (!isObject(data)) return ['the file does not hold a JSON object'];
  const problems: string[] = [];
  const stations = Array.isArray(data.stations) ? data.stations : [];
  if (stations.length === 0) problems.push('stations is not a non-empty list');
  const ids = new Map<string, number>();
  stations.forEach((station: unknown, i) => {
    if (!isObject(station) || typeof station.id !== 'string' || !STATION_ID_PATTERN.test(station.id)) {
      problems.push(`stations[${i}].id is not a station id such as lajas-blancas`);
    } else if (ids.has(station.id)) {
      problems.push(`stations[${i}].id repeats stations[${ids.get(station.id)}].id`);
    } else ids.set(station.id, i);
    if (isObject(station) && (!isName(station.name) || !isName(station.region))) {
      problems.push(`stations[${i}] needs a name and a region`);
    }
  });
  const points = isObject(data.servicePoints) ? data.servicePoints : {};
  for (const sector of SECTORS) {
    const at = `servicePoints.${sector}`;
    const sectorPoints = points[sector];
    if (!isObject(sectorPoints)) {
      problems.push(`${at} is missing`);
      continue;
    }
    if (!isName(sectorPoints.regionalDefault)) problems.push(`${at}.regionalDefault is missing`);
    const byStation = isObject(sectorPoints.byStation) ? sectorPoints.byStation : {};
    for (const [id, i] of ids) {
      if (!isName(byStation[id])) problems.push(`${at}.byStation has no service point for stations[${i}]`);
    }
    const unknown = Object.keys(byStation).filter((id) => !ids.has(id)).length;
    if (unknown > 0) problems.push(`${at}.byStation names ${unknown} station(s) not in stations`);
  }
  return problems;
}

/** Reads and checks a reference data file: the data (fit for ReferenceData), or what is wrong with it. */
export function readReferenceDataFile(path: string): { data: unknown } | { problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problems: [code ? `the file cannot be read (${code})` : 'the file is not JSON'] };
  }
  const problems = referenceDataProblems(data);
  return problems.length > 0 ? { problems } : { data };
}
