import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REFERENCE_DATA, loadReferenceData } from './reference-data';
import { readReferenceDataFile, referenceDataProblems } from './reference-data.check';

/** A deep copy of the seed data to break one thing in. */
const seed = () => JSON.parse(JSON.stringify(DEFAULT_REFERENCE_DATA)) as Record<string, any>;

function fileWith(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ruta-reference-')), 'reference.json');
  writeFileSync(path, content);
  return path;
}

describe('reference data check', () => {
  it('passes the seed data', () => {
    expect(referenceDataProblems(DEFAULT_REFERENCE_DATA)).toEqual([]);
  });

  it.each([
    ['a sector missing', (d: any) => delete d.servicePoints.protection, ['servicePoints.protection is missing']],
    [
      'a regional default missing',
      (d: any) => (d.servicePoints.health.regionalDefault = ''),
      ['servicePoints.health.regionalDefault is missing'],
    ],
    [
      'a station without a service point',
      (d: any) => delete d.servicePoints['social-development'].byStation['los-planes'],
      ['servicePoints.social-development.byStation has no service point for stations[3]'],
    ],
    [
      'a station id breaking the pattern',
      (d: any) => (d.stations[1].id = 'San Vicente'),
      [
        'stations[1].id is not a station id such as lajas-blancas',
        'servicePoints.health.byStation names 1 station(s) not in stations',
        'servicePoints.social-development.byStation names 1 station(s) not in stations',
        'servicePoints.protection.byStation names 1 station(s) not in stations',
      ],
    ],
    [
      'a repeated station',
      (d: any) => d.stations.push({ ...d.stations[0] }),
      ['stations[4].id repeats stations[0].id'],
    ],
    ['no stations', (d: any) => (d.stations = []), expect.arrayContaining(['stations is not a non-empty list'])],
  ])('names %s by its path, never quoting the file', (_, breakIt, expected) => {
    const data = seed();
    breakIt(data);
    expect(referenceDataProblems(data)).toEqual(expected);
  });

  it('tells an unreadable file and one that is not JSON apart', () => {
    expect(readReferenceDataFile('/nonexistent/reference.json')).toEqual({
      problems: ['the file cannot be read (ENOENT)'],
    });
    expect(readReferenceDataFile(fileWith('{ stations'))).toEqual({ problems: ['the file is not JSON'] });
  });

  it('is applied when the data is loaded, so a gap is refused before any event is routed', () => {
    const data = seed();
    delete data.servicePoints.health;
    expect(() => loadReferenceData(fileWith(JSON.stringify(data)))).toThrow(
      'RUTA_REFERENCE_DATA is not usable reference data: servicePoints.health is missing',
    );
    expect(loadReferenceData(fileWith(JSON.stringify(seed())))).toEqual(DEFAULT_REFERENCE_DATA);
  });
});
