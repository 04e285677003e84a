import { randomUUID } from 'node:crypto';
import type { CloudEvent, Indicator } from '@ruta/contracts';
import { emptyView, evaluateRules, evolvePersonView, servicePointFor, type PersonView } from '@ruta/routing';
import { planReferrals, type OpenReferral } from '../domain/plan-referrals';
import type { SectorConfig } from '../sector.config';

export interface NewReferral {
  id: string;
  personId: string;
  type: string;
  priority: string;
  servicePointId: string;
  stationId: string | null;
  legalBasis: string;
  ruleSetVersion: string;
  decisionInputs: Record<string, unknown>;
  sourceEventId: string;
}

export interface DecisionRecord {
  personId: string;
  referralType: string;
  ruleSetVersion: string;
  outcome: string;
  reason: string | null;
  legalBasis: string;
  inputs: Record<string, unknown>;
  eventId: string;
  referralId: string | null;
}

/** Everything one batch changes in the sector's schema, computed in memory before one write. */
export interface SectorBatchEffects {
  views: Map<string, PersonView>;
  created: NewReferral[];
  raised: { referralId: string; priority: string; personId: string; type: string }[];
  decisions: DecisionRecord[];
}

/**
 * Applies a batch of intake events, in order, to the people's views and open referrals:
 * pure apart from the ids it mints, so the whole batch can be written in a few statements.
 */
export function applySectorBatch(
  config: SectorConfig,
  visible: readonly Indicator[],
  events: CloudEvent[],
  views: Map<string, PersonView>,
  open: Map<string, Map<string, OpenReferral>>,
): SectorBatchEffects {
  const effects: SectorBatchEffects = { views: new Map(), created: [], raised: [], decisions: [] };
  for (const event of events) {
    const personId = event.subject;
    const view = evolvePersonView(views.get(personId) ?? emptyView(personId), event, visible);
    views.set(personId, view);
    effects.views.set(personId, view);
    const openForPerson = open.get(personId) ?? new Map<string, OpenReferral>();
    open.set(personId, openForPerson);
    for (const action of planReferrals(evaluateRules(view, config.ruleSet), openForPerson)) {
      const d = action.decision;
      const record = {
        personId,
        referralType: d.referralType,
        ruleSetVersion: d.ruleSetVersion,
        legalBasis: d.legalBasis,
        inputs: d.inputs,
        eventId: event.id,
      };
      if (action.kind === 'defer') {
        effects.decisions.push({ ...record, outcome: 'deferred', reason: d.reason ?? null, referralId: null });
      } else if (action.kind === 'create') {
        const id = randomUUID();
        openForPerson.set(d.referralType, { id, type: d.referralType, priority: d.priority });
        effects.created.push({
          id,
          personId,
          type: d.referralType,
          priority: d.priority,
          servicePointId: servicePointFor(config.referenceData, config.sector, view.stationId),
          stationId: view.stationId ?? null,
          legalBasis: d.legalBasis,
          ruleSetVersion: d.ruleSetVersion,
          decisionInputs: d.inputs,
          sourceEventId: event.id,
        });
        effects.decisions.push({ ...record, outcome: 'referred', reason: null, referralId: id });
      } else {
        openForPerson.set(d.referralType, { id: action.referralId, type: d.referralType, priority: d.priority });
        effects.raised.push({ referralId: action.referralId, priority: d.priority, personId, type: d.referralType });
        effects.decisions.push({ ...record, outcome: 'priority-raised', reason: null, referralId: action.referralId });
      }
    }
  }
  return effects;
}
