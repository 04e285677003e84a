import { dealToLanes } from '../../libs/testing/src/scenario';
import { cpuReport, cpuSample, profile } from './cpu';
import { q } from './database';
import { eventMix, mixTable } from './event-mix';
import { postBatch, refusals, stats } from './intake-client';
import { endProgress, fmt, indent, isTty, out, PhaseError, progress, secs } from './output';
import { expectedAfter, snapshot, waitForPipeline } from './pipeline';
import type { BenchResult } from './result';
import { cfg, SECTORS } from './settings';
import { verify } from './verify';

/** A small mix through the whole pipeline before anything is measured. */
export async function warmUp(): Promise<void> {
  const mix = eventMix('BW', 100);
  const base = await snapshot();
  const res = await postBatch(mix.events, JSON.stringify({ events: mix.events }));
  refusals(); // counted in the phases only
  await waitForPipeline('warm-up', expectedAfter(base, res.accepted), Date.now());
}

export async function throughputPhase(result: BenchResult): Promise<void> {
  const mix = eventMix('BT', cfg.events);
  const total = mix.events.length;
  out(
    `\n== 1. Throughput: ${fmt(total)} events of ${fmt(mix.scenario.people.length)} people via POST /v1/intake/events:batch`,
  );
  out(`   batches of ${cfg.batchSize}, ${cfg.concurrency} in flight; a household's events go in order in one lane`);
  out(`   the mix: the generated Darién scenario (seed ${mix.scenario.seed}), all eight intake event types`);
  out(indent(mixTable(mix.events)));
  // Households (and people alone) are dealt round-robin to `concurrency` lanes; each lane posts its
  // batches one after the other, so a household whose events straddle two batches keeps their order.
  let bytes = 0;
  const laneBatches = dealToLanes(mix, cfg.concurrency).map((events) => {
    const batches: { events: typeof events; body: string }[] = [];
    for (let i = 0; i < events.length; i += cfg.batchSize) {
      const slice = events.slice(i, i + cfg.batchSize);
      const body = JSON.stringify({ events: slice });
      bytes += Buffer.byteLength(body);
      batches.push({ events: slice, body });
    }
    return batches;
  });
  const sample = mix.events.slice(0, 300);
  result.avgEventBytes = Math.round(
    sample.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / sample.length,
  );
  out(
    `   ${fmt(laneBatches.flat().length)} requests, ${fmt(bytes / 1e6, 1)} MB of JSON; average event ${result.avgEventBytes} bytes`,
  );

  const base = await snapshot();
  const [{ db_start: dbStart }] = await q<{ db_start: Date }>('SELECT clock_timestamp() AS db_start');
  await profile('start');
  const cpuAtStart = cpuSample();

  const counts = { accepted: 0, duplicate: 0, rejected: 0, retriedDuplicates: 0 };
  let sent = 0;
  const started = Date.now();
  let lastResponse = started;
  const ticker = setInterval(
    () => {
      const el = (Date.now() - started) / 1000;
      progress(
        `intake ${secs(Date.now() - started)}: ${fmt(sent)}/${fmt(total)} events answered (${fmt(sent / el)} ev/s)`,
      );
    },
    isTty ? 1000 : 5000,
  );
  try {
    await Promise.all(
      laneBatches.map(async (batches) => {
        for (const b of batches) {
          const r = await postBatch(b.events, b.body);
          counts.accepted += r.accepted;
          counts.rejected += r.rejected;
          if (r.retried) counts.retriedDuplicates += r.duplicate;
          else counts.duplicate += r.duplicate;
          sent += b.events.length;
          lastResponse = Date.now();
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    endProgress();
  }
  const intakeMs = lastResponse - started;
  const stored = counts.accepted + counts.retriedDuplicates;
  result.intake = { ...counts, total, ms: intakeMs, rate: counts.accepted / (intakeMs / 1000) };
  out(
    `   intake: ${fmt(counts.accepted)} accepted, ${fmt(counts.duplicate)} duplicate, ${fmt(counts.rejected)} rejected` +
      (counts.retriedDuplicates
        ? `, ${fmt(counts.retriedDuplicates)} accepted before a retry (answered duplicate)`
        : '') +
      ` in ${secs(intakeMs)} => ${fmt(result.intake.rate)} events/s accepted`,
  );
  if (stats.throttled || stats.retries)
    out(
      `   429 answers: ${stats.throttled}, retried requests: ${stats.retries} ${stats.errors.slice(0, 3).join('; ')}`,
    );
  // The mix is valid by PRODUCT.md: a refusal is a missed target, reported, and left out of the counts.
  if (counts.rejected > 0) out(`   REFUSED by intake (a miss: the mix is valid): ${refusals()}`);
  if (counts.duplicate > 0) throw new PhaseError(`intake answered duplicate for ${counts.duplicate} fresh events`);
  const want = expectedAfter(base, stored);

  result.intakeCpu = cpuReport('intake', cpuAtStart);
  const done = await waitForPipeline('end-to-end', want, started);
  result.e2eCpu = cpuReport('the whole end-to-end run', cpuAtStart);
  await profile('stop');
  const union = (column: string, table: string) =>
    SECTORS.map((s) => `SELECT max(${column}) AS m FROM ${s.schema}.${table}`).join(' UNION ALL ');
  const [t] = await q<Record<string, string>>(
    `SELECT extract(epoch FROM (SELECT max(m) FROM (${union('processed_at', 'inbox')}) x) - $1::timestamptz) * 1000 AS last_applied_ms,
            extract(epoch FROM (SELECT max(m) FROM (${union('created_at', 'referrals')}) x) - $1::timestamptz) * 1000 AS last_referral_ms,
            extract(epoch FROM (SELECT max(appended_at) FROM audit.log) - $1::timestamptz) * 1000 AS last_audit_ms`,
    [dbStart],
  );
  const e2eDbMs = Number(t!.last_applied_ms);
  const e2ePollMs = done.appliedDoneAt - started;
  result.e2e = {
    ms: e2eDbMs,
    rate: stored / (e2eDbMs / 1000),
    lastReferralMs: Number(t!.last_referral_ms),
    pollMs: e2ePollMs,
    pollRate: stored / (e2ePollMs / 1000),
    auditMs: Number(t!.last_audit_ms),
    auditPollMs: done.auditDoneAt - started,
  };
  out(
    `   end-to-end: every sector applied every event ${secs(e2eDbMs)} after the first send => ${fmt(result.e2e.rate)} events/s` +
      `\n      (max(inbox.processed_at) over the three sectors minus the PostgreSQL clock read just before the first send;` +
      `\n       processed_at is now() of the sector's batch transaction, which also writes that batch's referrals)` +
      `\n      last referral created ${secs(result.e2e.lastReferralMs)} after the first send` +
      `\n      poll saw every sector complete after ${secs(e2ePollMs)} => ${fmt(result.e2e.pollRate)} events/s (polled every 0.5 s)` +
      `\n      audit log complete: last row received ${secs(result.e2e.auditMs)} after the first send (poll: ${secs(result.e2e.auditPollMs)})`,
  );
  result.verify = await verify(want, base, done.published);
}
