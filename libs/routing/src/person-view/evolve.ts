import {
  ASYLUM_INTENT_EXPRESSED,
  CONSENT_RECORDED,
  HEALTH_INCIDENT_REPORTED,
  PERSON_DEPARTED,
  PERSON_REGISTERED,
  PERSON_TRANSFERRED,
  VULNERABILITY_SCREENED,
  type CloudEvent,
  type ConsentRecordedV1,
  type HealthIncidentReportedV1,
  type PersonRegisteredV1,
  type PersonTransferredV1,
  type VulnerabilityScreenedV1,
} from '@ruta/contracts';
import type { SectorReads } from '../rules/rule';
import { ageAt, type PersonView, type Stamped } from './person-view';

/** What folding one event changed that routing acts on besides the rules. */
export interface Evolution {
  view: PersonView;
  /** The current station changed (a transfer, or a registration placed after what was known). */
  stationChanged: boolean;
  /** This event is the person's first departure. */
  departedNow: boolean;
}

/** `next` when it is later than `current` (or there is none); a late event leaves a later fact alone. */
const newer = <T>(current: Stamped<T> | undefined, next: Stamped<T>): Stamped<T> =>
  current !== undefined && current.seq > next.seq ? current : next;

/**
 * Folds one intake event, placed at `seq` in the person's sequence, into a sector's view, keeping
 * only what the sector's rules read. The result does not depend on the order events arrive in.
 */
export function evolvePersonView(view: PersonView, event: CloudEvent, seq: number, reads: SectorReads): Evolution {
  const next: PersonView = { ...view, lastSeq: Math.max(view.lastSeq, seq) };
  let stationChanged = false;
  const setStation = (stationId: string) => {
    const station = newer(view.station, { seq, value: stationId });
    next.station = station;
    stationChanged = station.value !== view.station?.value;
  };
  switch (event.type) {
    case PERSON_REGISTERED: {
      const d = event.data as PersonRegisteredV1;
      const age = d.ageYears ?? (d.birthDate ? ageAt(d.birthDate, d.registeredAt) : undefined);
      const basics = {
        sex: d.sex,
        nationality: d.nationality,
        languages: d.languages,
        ...(age === undefined ? {} : { age }),
      };
      next.basics = newer(view.basics, { seq, value: basics });
      if (reads.category) next.category = newer(view.category, { seq, value: d.category });
      setStation(d.stationId);
      break;
    }
    case VULNERABILITY_SCREENED: {
      const d = event.data as VulnerabilityScreenedV1;
      const indicators: Record<string, boolean> = {};
      for (const name of reads.indicators)
        if (typeof d.indicators[name] === 'boolean') indicators[name] = d.indicators[name];
      next.indicators = newer(view.indicators, { seq, value: indicators });
      break;
    }
    case CONSENT_RECORDED: {
      const d = event.data as ConsentRecordedV1;
      const consent = {
        informationSharing: d.informationSharing,
        sectors: d.sectors,
        byGuardian: d.guardianPersonId !== undefined,
      };
      next.consent = newer(view.consent, { seq, value: consent });
      break;
    }
    case HEALTH_INCIDENT_REPORTED: {
      if (!reads.incidents) break;
      const { severity } = event.data as HealthIncidentReportedV1;
      const seen = view.incidents ?? { critical: false, urgent: false };
      next.incidents = {
        critical: seen.critical || severity === 'critical',
        urgent: seen.urgent || severity === 'urgent',
      };
      break;
    }
    case ASYLUM_INTENT_EXPRESSED: {
      if (reads.asylumIntent) next.asylumIntent = true;
      break;
    }
    case PERSON_TRANSFERRED:
      setStation((event.data as PersonTransferredV1).toStationId);
      break;
    case PERSON_DEPARTED:
      next.departed = true;
      return { view: next, stationChanged: false, departedNow: view.departed !== true };
  }
  return { view: next, stationChanged, departedNow: false };
}
