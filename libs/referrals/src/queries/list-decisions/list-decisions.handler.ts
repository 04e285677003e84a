import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { isoUtc } from '../page-cursor';
import { DECISION_CURSOR } from './decision-cursor';
import { ListDecisionsQuery, type Decision, type DecisionPage } from './list-decisions.query';

/** A person's decisions in this sector, oldest first, keyset-paginated on id (index decisions_person). */
@QueryHandler(ListDecisionsQuery)
export class ListDecisionsHandler implements IQueryHandler<ListDecisionsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
  ) {}

  async execute({ personId, limit, after }: ListDecisionsQuery): Promise<DecisionPage> {
    // The request was validated: a cursor here is one a previous page returned; ids start at 1.
    const cursor = after ? DECISION_CURSOR.decode(after) : undefined;
    // `position` is the id as text: an alias named id would make ORDER BY sort the text.
    const rows: (Decision & { position: string })[] = await this.dataSource.query(
      `SELECT id::text AS position, id::text AS "decisionId", referral_type AS rule, rule_set_version AS "ruleSetVersion", outcome, reason,
              legal_basis AS "legalBasis", inputs, event_id AS "eventId", referral_id AS "referralId",
              ${isoUtc('decided_at')} AS "decidedAt"
       FROM "${this.config.schema}".decisions
       WHERE person_id = $1 AND id > $2::bigint
       ORDER BY id
       LIMIT $3`,
      [personId, cursor?.id ?? '0', limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map(({ position: _position, ...decision }) => decision);
    return rows.length > limit && last
      ? { items, nextCursor: DECISION_CURSOR.encode({ id: last.position }) }
      : { items };
  }
}
