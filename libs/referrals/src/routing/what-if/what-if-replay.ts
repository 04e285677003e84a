import type { CloudEvent, Sector } from '@ruta/contracts';
import type { ReferenceData, RuleSetVersion } from '@ruta/routing';
import { compareDecisions, type ChangeKind, type ComparedField, type DecisionChange } from './compare-decisions';
import { ReplayedSector } from './replayed-sector';

/** An example of a changed decision: ids and closed codes only. */
export interface WhatIfExample {
  personId: string;
  eventId: string;
  referralType: string;
  change: ChangeKind;
  /** The fields that differ, for `differs`. */
  fields?: ComparedField[];
}

/** The changed decisions of one rule (a referral type of a sector). */
export interface RuleChanges {
  sector: Sector;
  rule: string;
  /** Decisions (person, causing event) that would change. */
  changed: number;
  onlyBaseline: number;
  onlyCandidate: number;
  /** Decisions both sides made that differ, by field (one decision may differ in several). */
  differs: Record<ComparedField, number>;
  /** The first changes in the history's order, up to the number asked for. */
  examples: WhatIfExample[];
}

export interface WhatIfReport {
  baseline: string;
  candidate: string;
  sectors: Sector[];
  /** Intake events replayed, and the people they concern. */
  events: number;
  people: number;
  decisions: { baseline: number; candidate: number };
  /** Decisions that would change, over every rule. */
  changed: number;
  /** The rules with changes, by sector then rule. */
  rules: RuleChanges[];
}

export interface WhatIfOptions {
  baseline: RuleSetVersion;
  candidate: RuleSetVersion;
  sectors: readonly Sector[];
  referenceData: ReferenceData;
  /** Examples kept per rule. */
  examples: number;
}

/**
 * Events the decider routes at once. Its work per event grows with the household memberships a
 * batch holds, and the live consumers' batches are small: so are the replay's (the outcome does
 * not depend on the batches, only the time does).
 */
const REPLAY_BATCH = 200;

/**
 * Replays intake events through two rule-set versions with the sectors' own decider and collects
 * the decisions that differ, per rule. Feed it the history in batches, in log order (`apply`),
 * then read the `report`. Each batch is compared as soon as both sides have routed it, so memory
 * holds the sectors' views, not the decisions.
 */
export class WhatIfReplay {
  private readonly sides: { sector: Sector; baseline: ReplayedSector; candidate: ReplayedSector }[];
  private readonly rules = new Map<string, RuleChanges>();
  private readonly people = new Set<string>();
  private events = 0;
  private readonly decisions = { baseline: 0, candidate: 0 };

  constructor(private readonly options: WhatIfOptions) {
    this.sides = options.sectors.map((sector) => ({
      sector,
      baseline: new ReplayedSector(options.baseline.sectors[sector], options.referenceData),
      candidate: new ReplayedSector(options.candidate.sectors[sector], options.referenceData),
    }));
  }

  /** Routes the next events of the history on both sides, a batch at a time, and records what differs. */
  apply(events: readonly CloudEvent[]): void {
    for (let from = 0; from < events.length; from += REPLAY_BATCH) {
      this.route(events.slice(from, from + REPLAY_BATCH));
    }
  }

  private route(events: readonly CloudEvent[]): void {
    const order = new Map<string, number>();
    for (const event of events) {
      order.set(event.id, this.events++);
      this.people.add(event.subject);
    }
    for (const { sector, baseline, candidate } of this.sides) {
      const before = { decisions: baseline.route(events), ruleSet: baseline.ruleSet };
      const after = { decisions: candidate.route(events), ruleSet: candidate.ruleSet };
      this.decisions.baseline += before.decisions.length;
      this.decisions.candidate += after.decisions.length;
      for (const change of compareDecisions(before, after, order)) this.record(sector, change);
    }
  }

  report(): WhatIfReport {
    const rules = [...this.rules.values()].sort(
      (a, b) =>
        this.options.sectors.indexOf(a.sector) - this.options.sectors.indexOf(b.sector) || a.rule.localeCompare(b.rule),
    );
    return {
      baseline: this.options.baseline.version,
      candidate: this.options.candidate.version,
      sectors: [...this.options.sectors],
      events: this.events,
      people: this.people.size,
      decisions: { ...this.decisions },
      changed: rules.reduce((sum, r) => sum + r.changed, 0),
      rules,
    };
  }

  private record(sector: Sector, change: DecisionChange): void {
    const key = `${sector}/${change.referralType}`;
    const rule = this.rules.get(key) ?? {
      sector,
      rule: change.referralType,
      changed: 0,
      onlyBaseline: 0,
      onlyCandidate: 0,
      differs: { outcome: 0, priority: 0, legalBasis: 0 },
      examples: [],
    };
    this.rules.set(key, rule);
    rule.changed++;
    if (change.change === 'only-baseline') rule.onlyBaseline++;
    else if (change.change === 'only-candidate') rule.onlyCandidate++;
    for (const field of change.fields) rule.differs[field]++;
    if (rule.examples.length < this.options.examples) {
      const { personId, eventId, referralType } = change;
      rule.examples.push({
        personId,
        eventId,
        referralType,
        change: change.change,
        ...(change.change === 'differs' ? { fields: change.fields } : {}),
      });
    }
  }
}
