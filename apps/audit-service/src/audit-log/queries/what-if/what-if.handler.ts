import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { readConfig } from '@ruta/platform';
import { loadReferenceData, RULE_SET_VERSIONS, type ReferenceData } from '@ruta/routing';
import { DataSource } from 'typeorm';
import { AuditLogConfig } from '../../log/audit-log.config';
import { HistoryTooLong, runWhatIf } from '../../what-if/run-what-if';
import { WhatIfQuery } from './what-if.query';
import { sqlOf } from '@ruta/persistence';

/**
 * Replays the log's intake events through two rule-set versions of the repo, synchronously, up to
 * RUTA_AUDIT_WHAT_IF_MAX_EVENTS events. Only versions in the repo: nothing from a request chooses
 * code to load. The reference data is the sectors' (RUTA_REFERENCE_DATA), read once at start.
 */
@QueryHandler(WhatIfQuery)
export class WhatIfHandler implements IQueryHandler<WhatIfQuery> {
  private readonly referenceData: ReferenceData = loadReferenceData();
  private readonly maxEvents = readConfig(AuditLogConfig).RUTA_AUDIT_WHAT_IF_MAX_EVENTS;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(query: WhatIfQuery) {
    const versionOf = (name: string) => {
      const version = RULE_SET_VERSIONS.get(name);
      // The request was validated against the same registry.
      if (!version) throw new Error('what-if: a rule-set version not in the repo reached the handler');
      return version;
    };
    try {
      return await runWhatIf(sqlOf(this.dataSource), {
        baseline: versionOf(query.baseline),
        candidate: versionOf(query.candidate),
        sectors: query.sectors,
        examples: query.examples,
        referenceData: this.referenceData,
        maxEvents: this.maxEvents,
      });
    } catch (error) {
      if (error instanceof HistoryTooLong) return 'history-too-long' as const;
      throw error;
    }
  }
}
