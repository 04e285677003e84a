import type { Sector } from '@ruta/contracts';
import { WhatIfReplay, type WhatIfReport } from '@ruta/referrals/what-if';
import type { ReferenceData, RuleSetVersion } from '@ruta/routing';
import type { Sql } from '../log/log-verifier';
import { historyExtent, intakeHistory } from './intake-history';

export interface WhatIfRun {
  baseline: RuleSetVersion;
  candidate: RuleSetVersion;
  sectors: readonly Sector[];
  referenceData: ReferenceData;
  /** Examples kept per rule. */
  examples: number;
  /** Refuse (HistoryTooLong) a log holding more intake events than this. */
  maxEvents?: number;
  /** Hears the events replayed so far, of how many (a terminal's progress line). */
  onProgress?: (done: number, total: number) => void;
}

/** The log holds more intake events than the caller's bound allows replaying. */
export class HistoryTooLong extends Error {
  constructor(readonly events: number) {
    super('the audit log holds more intake events than this replay may go through');
  }
}

/**
 * The replay's report, the last position replayed (the same `through` replays the same history)
 * and the log rows that did not read as intake events (none in a sound log).
 */
export type AuditWhatIfReport = WhatIfReport & { through: string | null; unreadable: number };

/**
 * Replays the audit log's intake events through the baseline and the candidate rule-set versions
 * (the sectors' own decider, in memory) and reports the routing decisions that would change, per
 * rule. Reads the log page by page; writes nothing.
 */
export async function runWhatIf(sql: Sql, run: WhatIfRun): Promise<AuditWhatIfReport> {
  const { events: total, through } = await historyExtent(sql);
  if (run.maxEvents !== undefined && total > run.maxEvents) throw new HistoryTooLong(total);
  const replay = new WhatIfReplay(run);
  let done = 0;
  let unreadable = 0;
  if (through !== null) {
    for await (const page of intakeHistory(sql, through)) {
      replay.apply(page.events);
      done += page.events.length + page.unreadable;
      unreadable += page.unreadable;
      run.onProgress?.(done, total);
    }
  }
  return { ...replay.report(), through, unreadable };
}
