import { SECTORS } from '@ruta/contracts';
import type { ReferenceData } from '@ruta/routing';
import type { Destination } from './lifecycle-commands';

/** A service point's sector and station from reference data: a transfer's destination, or undefined. */
export function placeOfServicePoint(data: ReferenceData, servicePointId: string): Destination | undefined {
  for (const sector of SECTORS) {
    const points = data.servicePoints[sector];
    const station = Object.entries(points.byStation).find(([, point]) => point === servicePointId)?.[0];
    if (station) return { servicePointId, sector, stationId: station };
    if (points.regionalDefault === servicePointId) return { servicePointId, sector, stationId: null };
  }
  return undefined;
}
