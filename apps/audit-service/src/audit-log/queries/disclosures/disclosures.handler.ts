import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DECISION_CONSENT_OVERRIDDEN,
  REFERRAL_REFERRED_ONWARD,
  REFERRAL_REQUESTED,
  type LegalBasis,
  type Sector,
} from '@ruta/contracts';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../../audit.constants';
import { ListDisclosuresQuery, type Disclosure, type DisclosurePage } from './disclosures.query';

interface DisclosureRow {
  position: string;
  event_id: string;
  type: string;
  at: string;
  bytes: Buffer;
}

const DISCLOSING_TYPES = [REFERRAL_REQUESTED, DECISION_CONSENT_OVERRIDDEN, REFERRAL_REFERRED_ONWARD];

/** What a disclosing event says, read from the data its contract checked. */
function disclosureOf(row: DisclosureRow): Disclosure {
  const { data } = JSON.parse(row.bytes.toString('utf8')) as { data: Record<string, string> };
  const common = { referralId: data.referralId!, disclosedAt: row.at, eventId: row.event_id, position: row.position };
  if (row.type === REFERRAL_REFERRED_ONWARD) {
    return {
      kind: 'onward-referral',
      sector: data.toSector as Sector,
      fromSector: data.sector as Sector,
      referralType: data.onwardReferralType!,
      legalBasis: data.onwardLegalBasis as LegalBasis,
      ...common,
    };
  }
  return {
    kind: row.type === DECISION_CONSENT_OVERRIDDEN ? 'consent-override' : 'referral',
    sector: data.sector as Sector,
    referralType: data.referralType!,
    legalBasis: data.legalBasis as LegalBasis,
    ...common,
  };
}

/**
 * The person's disclosures in log order: every referral.requested (a sector routed their case to
 * itself), decision.consent-overridden (a supervisor did so without consent, on another basis)
 * and referral.referred-onward (a sector sent it to another).
 */
@QueryHandler(ListDisclosuresQuery)
export class ListDisclosuresHandler implements IQueryHandler<ListDisclosuresQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ personId, limit, after }: ListDisclosuresQuery): Promise<DisclosurePage> {
    const rows: DisclosureRow[] = await this.dataSource.query(
      `SELECT position::text AS position, event_id, type, bytes,
              to_char(COALESCE(event_time, appended_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
         FROM ${AUDIT_SCHEMA}.log
        WHERE subject = $1 AND type = ANY($2::text[]) AND position > $3::bigint
        ORDER BY log.position LIMIT $4`,
      [personId, DISCLOSING_TYPES, after ?? '-1', limit + 1],
    );
    const items = rows.slice(0, limit).map(disclosureOf);
    return rows.length > limit ? { items, nextCursor: items[items.length - 1]!.position } : { items };
  }
}
