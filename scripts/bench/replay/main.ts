// `npm run bench:replay` (scripts/bench-replay.sh): how fast a rebuild replays the audit log
// (README "Rebuilding projections"; target 20,000 log entries per second on the 2-core machine).
// In a database of its own on the DATABASE_URL server it writes a log of REPLAY_EVENTS intake
// events of the bench's event mix (the generated Darién scenario) with what the sectors' routing
// published after each round of them and casework on a third of the referrals (log-generator.ts),
// straight into audit.log. Then, for each sector of REPLAY_SECTORS (default: health):
//   1. a rebuild into a kept scratch schema, whose rows become the "live" sector schema;
//   2. a second rebuild, timed, which must find no difference (the replay agrees with itself at size);
// and prints the figures. Exit 1 when a rebuild found differences. Drops the database at the end,
// unless REPLAY_KEEP_DB=1 (then `DATABASE_URL=<its url> npm run audit -- rebuild <sector>` works on it).
import 'reflect-metadata';
import os from 'node:os';
import { SECTORS, type Sector } from '@ruta/contracts';
import { migrateSchema, serviceDataSourceOptions } from '@ruta/persistence';
import { PROJECTION_TABLES, SECTOR_MIGRATIONS, type Sql } from '@ruta/referrals';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AUDIT_MIGRATIONS } from '../../../apps/audit-service/src/app.module';
import { rebuildSector, type RebuildResult } from '../../../apps/audit-service/src/audit-log/rebuild/rebuild';
import { createTestDatabase } from '../../../libs/testing/src/test-database';
import { eventMix } from '../../../libs/testing/src/scenario';
import { generateLog, type LogRow } from './log-generator';
import { sectorSchema } from '@ruta/referrals';

const TARGET = 20_000;
const events = Number(process.env.REPLAY_EVENTS ?? 300_000);
const sectors = (process.env.REPLAY_SECTORS ?? 'health').split(',') as Sector[];
const keep = process.env.REPLAY_KEEP_DB === '1';
const n = (value: number) => Math.round(value).toLocaleString('en');
const out = (line: string) => process.stdout.write(`${line}\n`);

async function migrate(url: string, schema: string, migrations: DataSource['migrations'] | Function[]) {
  const dataSource = new DataSource(
    serviceDataSourceOptions({
      url,
      schema,
      applicationName: 'ruta-bench-replay',
      migrations: migrations as Function[],
    }),
  );
  await dataSource.initialize();
  try {
    await migrateSchema(dataSource, schema);
  } finally {
    await dataSource.destroy();
  }
}

/** Appends the rows at the next positions, a chunk per statement. */
async function append(sql: Sql, rows: Iterable<LogRow>): Promise<number> {
  let position = 0;
  let chunk: LogRow[] = [];
  const send = async () => {
    if (chunk.length === 0) return;
    const col = <K extends keyof LogRow>(k: K) => chunk.map((r) => r[k]);
    await sql(
      `INSERT INTO audit.log (position, event_id, topic, partition, kafka_offset, type, subject, actor, event_time,
                              appended_at, bytes, referral_id, service_point_id, sector)
       SELECT $1::bigint + o - 1, e, tp, 0, $1::bigint + o - 1, ty, s, a, t, now(), convert_to(j, 'UTF8'), r, sp, sc
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[],
                     $9::text[], $10::text[], $11::text[]) WITH ORDINALITY AS u(e, tp, ty, s, a, t, j, r, sp, sc, o)`,
      [
        position,
        col('eventId'),
        col('topic'),
        col('type'),
        col('subject'),
        col('actor'),
        col('eventTime'),
        col('json'),
        col('referralId'),
        col('servicePointId'),
        col('sector'),
      ],
    );
    position += chunk.length;
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= 5000) await send();
  }
  await send();
  return position;
}

function figures(label: string, r: RebuildResult): void {
  out(
    `  ${label}: ${n(r.processed)} log entries (${n(r.applied)} of ${r.sector}'s) replayed in ${r.replaySeconds.toFixed(1)} s ` +
      `= ${n(r.eventsPerSecond)} entries/s (${n(r.applied / r.replaySeconds)} of the sector's events/s), ` +
      `scratch written in ${r.writeSeconds.toFixed(1)} s, diffed in ${r.diffSeconds.toFixed(1)} s, ${n(r.differences)} differences`,
  );
}

async function main(): Promise<number> {
  const database = await createTestDatabase('bench_replay');
  const client = new Client({ connectionString: database.url, application_name: 'ruta-bench-replay' });
  let failed = false;
  try {
    await client.connect();
    const sql: Sql = async (text, params) => (await client.query(text, params)).rows;
    out(`Ruta replay benchmark ${new Date().toISOString()}: ${os.cpus().length} cores, target ${n(TARGET)} entries/s`);
    await migrate(database.url, 'audit', AUDIT_MIGRATIONS);
    for (const sector of SECTORS) await migrate(database.url, sectorSchema(sector), SECTOR_MIGRATIONS);

    let t = Date.now();
    const mix = eventMix({ runId: `replay-${Date.now().toString(36)}`, events });
    const size = await append(sql, generateLog(mix.events));
    const [{ mb }] = (await sql<{ mb: string }>(
      `SELECT round(pg_total_relation_size('audit.log') / 1048576.0) AS mb`,
    )) as [{ mb: string }];
    out(
      `log: ${n(size)} entries (${n(mix.events.length)} intake events of ${n(mix.scenario.people.length)} people, ` +
        `the rest the sectors' referral events), ${mb} MB, generated and written in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    for (const sector of sectors) {
      const live = sectorSchema(sector);
      t = Date.now();
      const first = await rebuildSector(sql, { sector, keep: true });
      figures('first rebuild (live schema empty)', first);
      for (const { table } of PROJECTION_TABLES) {
        await sql(`INSERT INTO "${live}"."${table}" SELECT * FROM "${first.scratchSchema}"."${table}"`);
      }
      await sql(`DROP SCHEMA "${first.scratchSchema}" CASCADE`);
      await sql(`ANALYZE`);
      const second = await rebuildSector(sql, { sector });
      figures('second rebuild (live = the first)', second);
      const verdict = second.eventsPerSecond >= TARGET ? 'meets' : 'MISSES';
      out(
        `${sector}: replay ${n(second.eventsPerSecond)} log entries/s ${verdict} the target of ${n(TARGET)}; ` +
          `${second.differences === 0 ? 'no difference' : `${n(second.differences)} DIFFERENCES`}; ` +
          `whole rebuild ${(second.replaySeconds + second.writeSeconds + second.diffSeconds).toFixed(1)} s`,
      );
      if (second.differences !== 0) {
        failed = true;
        out(JSON.stringify(second.report.slice(0, 10), null, 2));
      }
    }
  } finally {
    await client.end().catch(() => undefined);
    if (keep) out(`REPLAY_KEEP_DB=1: kept the database ${database.url}`);
    else await database.drop();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench:replay failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
