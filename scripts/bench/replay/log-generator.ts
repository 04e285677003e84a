import { randomUUID } from 'node:crypto';
import {
  formatSequence,
  REFERRAL_ACCEPTED,
  REFERRAL_COMPLETED,
  REFERRAL_STARTED,
  SECTORS,
  Topics,
  type CloudEvent,
  type Sector,
} from '@ruta/contracts';
import { LoggedReferralIds, SectorReplay, type RebuiltReferral } from '@ruta/referrals';
import { DATA_TIME_FIELD, type ScenarioEvent } from '../../../libs/testing/src/scenario';
import { defaultPolicy } from '../../../apps/audit-service/src/audit-log/rebuild/rebuild';

/** One audit.log row as the generator writes it. */
export interface LogRow {
  eventId: string;
  topic: string;
  type: string;
  subject: string;
  actor: string;
  eventTime: string;
  json: string;
  referralId: string | null;
  servicePointId: string | null;
  sector: string | null;
}

/** Intake events routed between two rounds of referral events: a sector's consumer batch. */
const ROUND = 500;

const rowOf = (topic: string, event: CloudEvent): LogRow => {
  const data = event.data as Record<string, string | undefined>;
  return {
    eventId: event.id,
    topic,
    type: event.type,
    subject: event.subject,
    actor: data.actor ?? event.source,
    eventTime: event.time!,
    json: JSON.stringify(event),
    referralId: data.referralId ?? null,
    servicePointId: data.servicePointId ?? null,
    sector: data.sector ?? null,
  };
};

/** The event as intake.events.v1 carries it: time and data time filled, the gateway's sequence. */
function published(event: ScenarioEvent, sequence: number, acceptedAt: string): CloudEvent {
  const time = event.time ?? acceptedAt;
  const field = DATA_TIME_FIELD[event.type];
  const data = event.data as Record<string, unknown>;
  return {
    ...event,
    time,
    sequence: formatSequence(sequence),
    data: data[field] === undefined ? { ...data, [field]: time } : data,
  } as CloudEvent;
}

/**
 * A log as the running system would keep it, made without the services: the intake events of the
 * mix, and after each round of them what every sector's routing published (each sector routed by
 * its own decider, through a SectorReplay with fresh ids), plus casework on a third of the new
 * referrals (accepted, started; every second of those completed), published as casework does and
 * fed back so routing sees it. The rebuild must then find the ids in the log and agree with itself.
 */
export function* generateLog(events: ScenarioEvent[]): Generator<LogRow> {
  const routers = new Map<Sector, SectorReplay>(
    SECTORS.map((s) => [s, new SectorReplay(defaultPolicy(s), new LoggedReferralIds([]))]),
  );
  const seen = new Map<Sector, { timeline: number }>(SECTORS.map((s) => [s, { timeline: 0 }]));
  const start = Date.now() - 5 * 86_400_000;
  let made = 0;
  for (let from = 0; from < events.length; from += ROUND) {
    const at = new Date(start + from * 100).toISOString();
    const round = events.slice(from, from + ROUND).map((e, i) => published(e, from + i + 1, at));
    for (const event of round) yield rowOf(Topics.intakeEvents, event);
    for (const [sector, router] of routers) {
      router.apply(round);
      router.finish();
      const casework: CloudEvent[] = [];
      const mark = seen.get(sector)!;
      for (const row of router.timeline.slice(mark.timeline)) {
        const referral = router.referrals.get(row.referralId)!;
        yield rowOf(Topics.referralEvents, routingEvent(sector, row.type, referral, at));
        if (row.type === 'referral.requested' && referral.status === 'requested' && made++ % 3 === 0) {
          casework.push(...caseworkOn(sector, referral, made % 2 === 0, at));
        }
      }
      router.apply(casework);
      mark.timeline = router.timeline.length;
      for (const event of casework) yield rowOf(Topics.referralEvents, event);
    }
  }
}

const factsOf = (sector: Sector, r: RebuiltReferral) => ({
  referralId: r.id,
  personId: r.personId,
  sector,
  referralType: r.type,
  priority: r.priority,
  legalBasis: r.legalBasis,
  servicePointId: r.servicePointId,
  ...(r.stationId ? { stationId: r.stationId } : {}),
  ruleSetVersion: r.ruleSetVersion,
});

const envelope = (sector: Sector, type: string, personId: string, time: string, data: object): CloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  source: `ruta/${sector}-service`,
  type,
  subject: personId,
  time,
  datacontenttype: 'application/json',
  data,
});

/** Routing's published event of one of its changes (the rebuild recognises these as routing's own). */
function routingEvent(sector: Sector, type: string, r: RebuiltReferral, at: string): CloudEvent {
  const extra =
    type === 'referral.cancelled'
      ? { reason: r.cancellationReason, cancelledAt: at }
      : type === 'referral.reassigned'
        ? { fromServicePointId: r.servicePointId, reason: 'person-transferred', reassignedAt: at }
        : { requestedAt: at };
  return envelope(sector, type, r.personId, at, { ...factsOf(sector, r), ...extra });
}

function caseworkOn(sector: Sector, r: RebuiltReferral, complete: boolean, at: string): CloudEvent[] {
  const actor = `bench-caseworker-${sector}`;
  const by = { ...factsOf(sector, r), actor };
  const events = [
    envelope(sector, REFERRAL_ACCEPTED, r.personId, at, { ...by, assignee: actor, acceptedAt: at }),
    envelope(sector, REFERRAL_STARTED, r.personId, at, { ...by, startedAt: at }),
  ];
  if (complete) {
    events.push(
      envelope(sector, REFERRAL_COMPLETED, r.personId, at, { ...by, outcome: 'service-provided', completedAt: at }),
    );
  }
  return events;
}
