import type { Priority } from '@ruta/contracts';
import type { RuleSet } from '@ruta/routing';
import type { DecisionRecord } from '../route-intake-events/sector-effects';

/** What a replayed decision is compared on; the inputs and the version are expected to differ. */
export const COMPARED_FIELDS = ['outcome', 'priority', 'legalBasis'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/**
 * How the candidate's decisions on one (person, rule, causing event) differ from the baseline's:
 * made by the baseline only, by the candidate only, or by both with another outcome, priority or
 * legal basis.
 */
export type ChangeKind = 'only-baseline' | 'only-candidate' | 'differs';

/** One changed decision: ids and closed codes only, never a value the rule read. */
export interface DecisionChange {
  personId: string;
  referralType: string;
  eventId: string;
  change: ChangeKind;
  /** The fields that differ (`differs` only). */
  fields: ComparedField[];
}

/** The decisions of one side on one batch, and the rule set that made them. */
export interface ReplayedDecisions {
  decisions: readonly DecisionRecord[];
  ruleSet: RuleSet;
}

type Compared = Record<ComparedField, string>;

/**
 * A decision as compared: its outcome with its reason (`deferred/consent-required`), the priority
 * of the rule that made it (a referral's priority: the replay raises none, a rule's priority is
 * fixed) and its legal basis.
 */
function comparedOf(decision: DecisionRecord, ruleSet: RuleSet): Compared {
  const priority: Priority | 'none' = ruleSet.rules.find((r) => r.type === decision.referralType)?.priority ?? 'none';
  return {
    outcome: decision.reason ? `${decision.outcome}/${decision.reason}` : decision.outcome,
    priority,
    legalBasis: decision.legalBasis,
  };
}

const keyOf = (d: DecisionRecord) => `${d.personId}\u0000${d.referralType}\u0000${d.eventId}`;

function byKey(side: ReplayedDecisions, into: Map<string, { of: DecisionRecord; sides: Compared[][] }>, at: 0 | 1) {
  for (const decision of side.decisions) {
    const key = keyOf(decision);
    const entry = into.get(key) ?? { of: decision, sides: [[], []] };
    entry.sides[at]!.push(comparedOf(decision, side.ruleSet));
    into.set(key, entry);
  }
}

/** The fields in which two lists of decisions on one key differ; a list longer than the other differs in outcome. */
function differingFields(baseline: Compared[], candidate: Compared[]): ComparedField[] {
  const fields = new Set<ComparedField>();
  if (baseline.length !== candidate.length) fields.add('outcome');
  baseline.forEach((b, i) => {
    const c = candidate[i];
    if (c) for (const field of COMPARED_FIELDS) if (b[field] !== c[field]) fields.add(field);
  });
  return COMPARED_FIELDS.filter((f) => fields.has(f));
}

/**
 * Compares what two rule sets decided on the same batch of one sector, per (person, rule, causing
 * event), in the order of `eventOrder` (the events' places in the history).
 */
export function compareDecisions(
  baseline: ReplayedDecisions,
  candidate: ReplayedDecisions,
  eventOrder: ReadonlyMap<string, number>,
): DecisionChange[] {
  const keys = new Map<string, { of: DecisionRecord; sides: Compared[][] }>();
  byKey(baseline, keys, 0);
  byKey(candidate, keys, 1);
  const changes: DecisionChange[] = [];
  for (const { of, sides } of keys.values()) {
    const [before, after] = sides as [Compared[], Compared[]];
    const about = { personId: of.personId, referralType: of.referralType, eventId: of.eventId };
    if (after.length === 0) changes.push({ ...about, change: 'only-baseline', fields: [] });
    else if (before.length === 0) changes.push({ ...about, change: 'only-candidate', fields: [] });
    else {
      const fields = differingFields(before, after);
      if (fields.length > 0) changes.push({ ...about, change: 'differs', fields });
    }
  }
  const place = (c: DecisionChange) => eventOrder.get(c.eventId) ?? Number.MAX_SAFE_INTEGER;
  return changes.sort((a, b) => place(a) - place(b));
}
