import type { Sector } from '@ruta/contracts';
import type { Difference } from '@ruta/referrals';
import type { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../audit.constants';
import type { RebuildProgress, RebuildResult } from './rebuild';

const T = `"${AUDIT_SCHEMA}".rebuild_jobs`;

/** A running job whose heartbeat is older than this is taken for dead (its process stopped). */
export const STALE_AFTER_SECONDS = 60;

export type JobState = 'running' | 'done' | 'failed';

/** A rebuild job as GET /v1/audit/rebuilds/{id} answers it. */
export interface RebuildJob {
  id: string;
  sector: Sector;
  state: JobState;
  phase: string;
  processed: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  /** Differences counted, once the diff ran. */
  differences: number | null;
  byTable: Record<string, number> | null;
  /** The first 1000 differences. */
  report: Difference[] | null;
  /** Why a failed job failed: `interrupted` (its process stopped) or `error`. */
  failure: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const iso = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;

/** The job rows of audit.rebuild_jobs. */
export class RebuildJobsStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Starts a job for the sector unless one is running: false then. A running job whose heartbeat
   * stopped (its process died mid-rebuild) is marked failed first, so it blocks nobody for good.
   */
  async start(id: string, sector: Sector, requestedBy: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ${T} SET state = 'failed', failure = 'interrupted', finished_at = now()
          WHERE sector = $1 AND state = 'running' AND heartbeat_at < now() - make_interval(secs => $2)`,
        [sector, STALE_AFTER_SECONDS],
      );
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${T} (id, sector, state, requested_by) VALUES ($1, $2, 'running', $3)
         ON CONFLICT (sector) WHERE state = 'running' DO NOTHING RETURNING id`,
        [id, sector, requestedBy],
      );
      return inserted.length === 1;
    });
  }

  async progress(id: string, p: RebuildProgress): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET phase = $2, processed = $3, total = $4, events_per_second = $5, eta_seconds = $6,
              heartbeat_at = now()
        WHERE id = $1 AND state = 'running'`,
      [id, p.phase, p.processed, p.total, p.eventsPerSecond, p.etaSeconds],
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${T} SET heartbeat_at = now() WHERE id = $1 AND state = 'running'`, [id]);
  }

  async finish(id: string, result: RebuildResult): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET state = 'done', phase = 'diff', processed = $2, total = $2, events_per_second = $3,
              eta_seconds = 0, differences = $4, by_table = $5::jsonb, report = $6::jsonb, finished_at = now()
        WHERE id = $1`,
      [
        id,
        result.processed,
        result.eventsPerSecond,
        result.differences,
        JSON.stringify(result.byTable),
        JSON.stringify(result.report),
      ],
    );
  }

  async fail(id: string, failure: 'interrupted' | 'error'): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET state = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND state = 'running'`,
      [id, failure],
    );
  }

  async get(id: string): Promise<RebuildJob | undefined> {
    const rows: RebuildJob[] = await this.dataSource.query(
      `SELECT id, sector, state, phase, processed::float8 AS processed, total::float8 AS total,
              events_per_second AS "eventsPerSecond", eta_seconds AS "etaSeconds",
              differences::float8 AS differences, by_table AS "byTable", report, failure,
              ${iso('started_at')} AS "startedAt", ${iso('finished_at')} AS "finishedAt"
         FROM ${T} WHERE id = $1`,
      [id],
    );
    return rows[0];
  }
}
