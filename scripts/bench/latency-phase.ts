import { previousEventIds, type ScenarioEvent } from '../../libs/testing/src/scenario';
import { cpuReport, cpuSample } from './cpu';
import { q } from './database';
import { eventMix } from './event-mix';
import { intakeUrl, postJson, refusals, countRefusal, type Answer } from './intake-client';
import { endProgress, fmt, indent, isTty, out, PhaseError, percentile, progress, secs, sleep, table } from './output';
import { expectedAfter, snapshot, waitForPipeline } from './pipeline';
import type { BenchResult } from './result';
import { cfg, idTag, SECTORS } from './settings';

export async function latencyPhase(result: BenchResult): Promise<void> {
  const mix = eventMix('BL', cfg.rate * cfg.latencySeconds);
  const schedule = mix.events;
  const total = schedule.length;
  out(
    `\n== 2. Latency: ${cfg.rate} events/s for about ${cfg.latencySeconds} s (${fmt(total)} events of ${fmt(mix.scenario.people.length)} people, the same mix) via POST /v1/intake/events`,
  );
  // Open loop: event i is sent at start + i/rate whatever the answers, in the scenario's order (a
  // person's next event comes a round later, some hundreds of events after their previous one).
  const previous = previousEventIds(schedule);
  const base = await snapshot();
  const interval = 1000 / cfg.rate;
  const statuses: Record<string, number> = {};
  const httpMs: number[] = [];
  const sendLag: number[] = [];
  const answered = new Set<string>();
  const unaccepted: ScenarioEvent[] = [];
  const refused: ScenarioEvent[] = [];
  let orderRisk = 0;
  const inflight: Promise<void>[] = [];
  const cpuAtStart = cpuSample();
  const started = performance.now();
  const startedWall = Date.now();
  const ticker = setInterval(
    () => {
      progress(
        `latency ${secs(Date.now() - startedWall)}: sent ${fmt(sendLag.length)}/${fmt(total)}, answered ${fmt(httpMs.length)}`,
      );
    },
    isTty ? 1000 : 5000,
  );
  const refuse = (e: ScenarioEvent, res: Answer) => {
    refused.push(e);
    countRefusal(e.type, res.json?.errors);
  };
  try {
    for (let i = 0; i < schedule.length; i++) {
      const planned = started + i * interval;
      const wait = planned - performance.now();
      if (wait > 1) await sleep(wait);
      const e = schedule[i]!;
      const sentAt = performance.now();
      sendLag.push(sentAt - planned);
      const before = previous.get(e.id);
      if (before && !answered.has(before)) orderRisk++;
      inflight.push(
        postJson(`${intakeUrl()}/events`, JSON.stringify(e), 'application/cloudevents+json', 30_000)
          .then((res) => {
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            httpMs.push(performance.now() - sentAt);
            answered.add(e.id);
            if (res.status === 400) refuse(e, res);
            else if (res.status !== 202) unaccepted.push(e);
          })
          .catch((error: Error) => {
            statuses[error.name] = (statuses[error.name] ?? 0) + 1;
            unaccepted.push(e);
          }),
      );
    }
    await Promise.all(inflight);
  } finally {
    clearInterval(ticker);
    endProgress();
  }
  const offeredMs = performance.now() - started;
  const accepted = statuses[202] ?? 0;
  result.latencyCpu = cpuReport('latency (open loop)', cpuAtStart);
  out(
    `   offered ${fmt(total)} events in ${secs(offeredMs)} (${fmt(total / (offeredMs / 1000), 1)} ev/s); answers: ${Object.entries(
      statuses,
    )
      .map(([k, v]) => `${k}: ${fmt(v)}`)
      .join(', ')}`,
  );
  out(
    `   send lag behind schedule: p99 ${fmt(percentile(sendLag, 0.99), 1)} ms, max ${fmt(Math.max(...sendLag), 1)} ms; ` +
      `HTTP answer p50 ${fmt(percentile(httpMs, 0.5), 1)} ms, p99 ${fmt(percentile(httpMs, 0.99), 1)} ms`,
  );
  if (orderRisk > 0)
    out(`   note: ${orderRisk} events were sent before the previous event of the same person was answered`);
  if (refused.length > 0) out(`   REFUSED by intake (400, a miss: the mix is valid): ${refusals()}`);
  result.latencyRefused = total - accepted - refused.length;
  result.intakeRefused = (result.intake?.rejected ?? 0) + refused.length;
  let resent = 0;
  if (unaccepted.length > 0) {
    // Refused (429) or failed events are sent again, closed loop and in schedule order, so every
    // person's events all arrive; referrals they trigger are left out of the latency figures.
    out(`   ${fmt(unaccepted.length)} events not accepted in the open loop; sending them again (not measured)`);
    const order = new Map(schedule.map((e, i) => [e.id, i]));
    unaccepted.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    for (const e of unaccepted) {
      for (let attempt = 1; ; attempt++) {
        const res: Answer | { status: string; retryAfter?: undefined } = await postJson(
          `${intakeUrl()}/events`,
          JSON.stringify(e),
          'application/cloudevents+json',
        ).catch((error: Error) => ({ status: error.name }));
        if (res.status === 202 || res.status === 200) {
          resent += 1;
          break;
        }
        if (res.status === 400) {
          refuse(e, res as Answer);
          break;
        }
        if (attempt >= 20) throw new PhaseError(`latency phase: ${e.id} still not accepted: ${res.status}`);
        await sleep(res.status === 429 ? Math.max(100, Number(res.retryAfter ?? 1) * 1000) : 500);
      }
    }
  }

  await waitForPipeline('latency drain', expectedAfter(base, accepted + resent), startedWall);
  const prefix = `BL-${idTag}-%`;
  const notMeasured = unaccepted.map((e) => e.id);
  const rows = await q<{ sector: string; ms: string }>(
    `SELECT sector, extract(epoch FROM r.created_at - e.accepted_at) * 1000 AS ms
       FROM (${SECTORS.map((s) => `SELECT '${s.short}' AS sector, person_id, created_at, source_event_id FROM ${s.schema}.referrals`).join(' UNION ALL ')}) r
       JOIN intake.events e ON e.event_id = r.source_event_id
      WHERE r.person_id LIKE $1 AND NOT r.source_event_id = ANY($2::text[])`,
    [prefix, notMeasured],
  );
  const applied = await q<{ ms: string }>(
    `SELECT extract(epoch FROM i.processed_at - e.accepted_at) * 1000 AS ms
       FROM (${SECTORS.map((s) => `SELECT event_id, processed_at FROM ${s.schema}.inbox`).join(' UNION ALL ')}) i
       JOIN intake.events e ON e.event_id = i.event_id
      WHERE e.subject LIKE $1 AND NOT e.event_id = ANY($2::text[])`,
    [prefix, notMeasured],
  );
  const all = rows.map((r) => Number(r.ms));
  const stat = (xs: number[]) => ({
    count: xs.length,
    p50: percentile(xs, 0.5),
    p95: percentile(xs, 0.95),
    p99: percentile(xs, 0.99),
    max: xs.length ? Math.max(...xs) : NaN,
  });
  result.latency = stat(all);
  result.applied = stat(applied.map((r) => Number(r.ms)));
  const line = (label: string, st: ReturnType<typeof stat>) => [
    label,
    ...Object.values(st).map((v, i) => (i === 0 ? fmt(v) : fmt(v, 1))),
  ];
  const lines = [line('referrals, all sectors', result.latency)];
  for (const s of SECTORS) {
    lines.push(line(`referrals, ${s.sector}`, stat(rows.filter((r) => r.sector === s.short).map((r) => Number(r.ms)))));
  }
  lines.push(line('every event applied, x3 sectors', result.applied));
  out('   latency, ms = referrals.created_at (or inbox.processed_at) - intake.events.accepted_at');
  out(
    '   all are PostgreSQL now() of their transactions (the gateway insert, the sector batch) on the same server clock',
  );
  out(indent(table(lines, ['what', 'count', 'p50', 'p95', 'p99', 'max'])));
  if (result.latencyRefused > 0) {
    out(
      `   ${fmt(result.latencyRefused)} of ${fmt(total)} offered events were refused or failed (${Object.entries(
        statuses,
      )
        .filter(([k]) => k !== '202' && k !== '400')
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}): the rate was not sustained`,
    );
  }
}
