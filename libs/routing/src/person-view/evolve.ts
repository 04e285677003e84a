import {
  CONSENT_RECORDED,
  PERSON_REGISTERED,
  VULNERABILITY_SCREENED,
  type CloudEvent,
  type ConsentRecordedV1,
  type Indicator,
  type PersonRegisteredV1,
  type VulnerabilityScreenedV1,
} from '@ruta/contracts';
import type { PersonView } from './person-view';

/**
 * Folds one accepted intake event into a sector's person view, keeping only `visible` indicators.
 * Returns the view unchanged for event types the sector does not read.
 */
export function evolvePersonView(view: PersonView, event: CloudEvent, visible: readonly Indicator[]): PersonView {
  switch (event.type) {
    case PERSON_REGISTERED: {
      const d = event.data as PersonRegisteredV1;
      return {
        ...view,
        stationId: d.stationId,
        registeredAt: d.registeredAt,
        birthDate: d.birthDate,
        ageYears: d.ageYears,
        sex: d.sex,
        nationality: d.nationality,
        languages: d.languages,
        category: d.category,
        householdId: d.householdId,
      };
    }
    case VULNERABILITY_SCREENED: {
      const d = event.data as VulnerabilityScreenedV1;
      const indicators: PersonView['indicators'] = {};
      for (const name of visible) if (d.indicators[name] !== undefined) indicators[name] = d.indicators[name];
      return { ...view, indicators };
    }
    case CONSENT_RECORDED: {
      const d = event.data as ConsentRecordedV1;
      return {
        ...view,
        consent: { informationSharing: d.informationSharing, sectors: d.sectors, guardianPersonId: d.guardianPersonId },
      };
    }
    default:
      return view;
  }
}
