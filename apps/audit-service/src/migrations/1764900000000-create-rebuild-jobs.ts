import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rebuild jobs (issue 11): an auditor's rebuild of a sector's projections from the log, kept after it
 * ends so its report can be read later. One running job per sector (a partial unique index); a
 * running job's heartbeat tells a live one from one whose process died (see RebuildJobsStore).
 */
export class CreateRebuildJobs1764900000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit.rebuild_jobs (
        id                uuid        PRIMARY KEY,
        sector            text        NOT NULL,
        state             text        NOT NULL CHECK (state IN ('running', 'done', 'failed')),
        phase             text        NOT NULL DEFAULT 'replay',
        processed         bigint      NOT NULL DEFAULT 0,
        total             bigint      NOT NULL DEFAULT 0,
        events_per_second integer     NOT NULL DEFAULT 0,
        eta_seconds       integer,
        differences       bigint,
        by_table          jsonb,
        report            jsonb,
        failure           text,
        requested_by      text        NOT NULL,
        started_at        timestamptz NOT NULL DEFAULT now(),
        heartbeat_at      timestamptz NOT NULL DEFAULT now(),
        finished_at       timestamptz
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX rebuild_jobs_one_running ON audit.rebuild_jobs (sector) WHERE state = 'running'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit.rebuild_jobs');
  }
}
