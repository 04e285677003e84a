import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { canSeeReferral, canSeeSector } from '@ruta/auth';
import { DataSource } from 'typeorm';
import { isoUtc } from '../../queries/page-cursor';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { notesUnavailable, notFound, type CaseworkAnswer } from '../casework-answers';
import { CaseNotes, NotesUnavailableError } from '../notes/case-notes';
import { etagOf, isReferralId, REFERRAL_RECORD_COLUMNS, type ReferralRecord } from '../referral-record';
import { ShowReferralQuery } from './show-referral.query';

/** One entry of a referral's timeline: what happened, who did it, when, and its data (reason, note, ...). */
export interface TimelineEntry {
  version: number;
  type: string;
  actor: string;
  at: string;
  [field: string]: unknown;
}

/**
 * GET /v1/<sector>/referrals/{id}: the referral and its timeline in order, notes opened for the
 * caller (an erased person's read `note: null, noteErased: true`). Another sector, or for a
 * caseworker another service point, is answered as a referral that does not exist.
 */
@QueryHandler(ShowReferralQuery)
export class ShowReferralHandler implements IQueryHandler<ShowReferralQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    private readonly notes: CaseNotes,
  ) {}

  async execute({ principal, referralId }: ShowReferralQuery): Promise<CaseworkAnswer> {
    if (!canSeeSector(principal, this.config.sector) || !isReferralId(referralId)) return notFound();
    const s = this.config.schema;
    const [record]: ReferralRecord[] = await this.dataSource.query(
      `SELECT ${REFERRAL_RECORD_COLUMNS} FROM "${s}".referrals WHERE id = $1`,
      [referralId],
    );
    if (!record || !canSeeReferral(principal, record)) return notFound();
    const events: { version: number; type: string; actor: string; at: string; data: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT version, type, actor, ${isoUtc('at')} AS at, data FROM "${s}".referral_events
          WHERE referral_id = $1 ORDER BY id`,
        [referralId],
      );
    const timeline: TimelineEntry[] = events.map(({ data, version, type, actor, at }) => ({
      ...data,
      version,
      type,
      actor,
      at,
    }));
    try {
      const body = await this.notes.open(this.dataSource.manager, record.personId, { ...record, timeline });
      return { status: 200, body, etag: etagOf(record.version) };
    } catch (error) {
      if (error instanceof NotesUnavailableError) return notesUnavailable();
      throw error;
    }
  }
}
