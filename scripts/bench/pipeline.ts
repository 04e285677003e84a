import type { Kafka } from 'kafkajs';
import path from 'node:path';
import { q } from './database';
import { endProgress, isTty, PhaseError, progress, secs, sleep } from './output';
import { assertServicesAlive } from './services';
import { cfg, namespace, OUT_DIR, ROOT, SECTORS } from './settings';

/** Counts from every service's tables: one round trip. */
export type Snapshot = Record<string, number>;

export async function snapshot(): Promise<Snapshot> {
  const parts = [
    `(SELECT count(*) FROM intake.events) AS intake_events`,
    `(SELECT count(*) FROM intake.outbox) AS intake_outbox`,
    `(SELECT count(*) FROM audit.log) AS audit_rows`,
    `(SELECT count(*) FROM audit.log WHERE topic LIKE '%intake.events.v1') AS audit_intake`,
    `(SELECT count(*) FROM audit.log WHERE topic LIKE '%referrals.events.v1') AS audit_referrals`,
    ...SECTORS.flatMap((s) => [
      `(SELECT count(*) FROM ${s.schema}.inbox) AS ${s.schema}_inbox`,
      `(SELECT count(*) FROM ${s.schema}.referrals) AS ${s.schema}_referrals`,
      `(SELECT count(*) FROM ${s.schema}.outbox) AS ${s.schema}_outbox`,
    ]),
  ];
  const [row] = await q<Record<string, string>>(`SELECT ${parts.join(', ')}`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

let kafkaClient: Kafka;

export function useKafka(kafka: Kafka): void {
  kafkaClient = kafka;
}

/** Referral events the sectors have published: the messages on referrals.events.v1. */
async function referralEventsPublished(): Promise<number> {
  const admin = kafkaClient.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${namespace}referrals.events.v1`);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } catch {
    return 0; // not created yet: nothing published
  } finally {
    await admin.disconnect();
  }
}

/**
 * Polls until every sector's inbox holds `want.events` ids (each committed with its referrals), and
 * the audit log holds every intake event and every referral event the sectors published. Returns
 * client times (ms) when the sectors and the audit log were complete. Fails when nothing moves for
 * BENCH_STALL_SECONDS, saying what is missing.
 */
export interface PipelineDone {
  appliedDoneAt: number;
  auditDoneAt: number;
  published: number;
  snapshot: Snapshot;
}

export async function waitForPipeline(label: string, want: Wanted, startedAt: number): Promise<PipelineDone> {
  let last: string | null = null;
  let lastChange = Date.now();
  let lastPrint = 0;
  let appliedDoneAt: number | null = null;
  let auditDoneAt: number | null = null;
  let published = 0;
  for (;;) {
    assertServicesAlive();
    const s = await snapshot();
    const now = Date.now();
    const key = JSON.stringify(s);
    if (key !== last) {
      last = key;
      lastChange = now;
    }
    if (appliedDoneAt === null && SECTORS.every((x) => s[`${x.schema}_inbox`] >= want.events)) appliedDoneAt = now;
    // Once every sector applied everything and sent its outbox, the referral topic holds all it will.
    if (appliedDoneAt !== null && auditDoneAt === null && SECTORS.every((x) => s[`${x.schema}_outbox`] === 0)) {
      published = await referralEventsPublished();
      if (s.audit_intake >= want.events && s.audit_referrals >= published) auditDoneAt = now;
    }
    if (now - lastPrint >= (isTty ? 1000 : 5000)) {
      lastPrint = now;
      const sectors = SECTORS.map(
        (x) => `${x.short} in ${s[`${x.schema}_inbox`]}/${want.events} ref ${s[`${x.schema}_referrals`]}`,
      ).join(' | ');
      progress(
        `${label} ${secs(now - startedAt)}: intake ${s.intake_events} (outbox ${s.intake_outbox}) | ${sectors} | audit ${s.audit_intake}/${want.events} + ${s.audit_referrals} referral events`,
      );
    }
    if (appliedDoneAt !== null && auditDoneAt !== null) {
      endProgress();
      return { appliedDoneAt, auditDoneAt, published, snapshot: s };
    }
    if (now - lastChange > cfg.stallSeconds * 1000) {
      endProgress();
      const missing = [
        ...SECTORS.flatMap((x) => [
          s[`${x.schema}_inbox`] < want.events
            ? `${x.sector}: inbox ${want.events - s[`${x.schema}_inbox`]} events missing`
            : null,
          s[`${x.schema}_outbox`] > 0 ? `${x.sector}: outbox still holds ${s[`${x.schema}_outbox`]} rows` : null,
        ]),
        s.audit_intake < want.events ? `audit: ${want.events - s.audit_intake} intake events missing` : null,
        s.audit_referrals < published ? `audit: ${published - s.audit_referrals} referral events missing` : null,
        s.intake_outbox > 0 ? `intake outbox still holds ${s.intake_outbox} rows` : null,
      ].filter(Boolean);
      throw new PhaseError(
        `${label}: the pipeline stalled (no change for ${cfg.stallSeconds} s):\n  ${missing.join('\n  ')}\n` +
          `  service logs: ${path.relative(ROOT, OUT_DIR)}/<service>.log`,
      );
    }
    await sleep(500);
  }
}

export interface Wanted {
  events: number;
}

/** Expected intake rows (and inbox ids in every sector) once `accepted` more events went through. */
export function expectedAfter(base: Snapshot, accepted: number): Wanted {
  return { events: base.intake_events + accepted };
}
