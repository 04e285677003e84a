import { Topics } from '@ruta/contracts';
import type { Channel, RoundEvent, Scenario, ScenarioEvent } from '@ruta/testing';
import type { Producer } from 'kafkajs';
import { SUBMISSIONS_GROUP } from '../../apps/intake-gateway/src/intake/consumer/intake-submissions.kafka.consumer';
import type { Client } from 'pg';
import { postJson } from '../http';
import type { SectorEffects } from '../sector-effects';

const BATCH_MAX = 500;
const SINGLE_IN_FLIGHT = 16;

export type Answer = 'accepted' | 'duplicate' | 'rejected';

/** What the gateway answered, per event: the figures, and the events accepted (the sectors wait on those). */
export interface StreamOutcome {
  accepted: ScenarioEvent[];
  answers: Map<string, { type: string; channel: Channel; answer: Answer; fields: string[] }>;
}

/**
 * Streams a scenario round by round through the real gateway: the HTTP batch endpoint, the single
 * event endpoint and intake.submissions.v1, each person on their own channel. A round is sent only
 * once the gateway has judged every event of the one before (answered, or committed past on Kafka),
 * so the gateway accepts a person's (and a household's) events in the order of the rounds.
 */
export class ScenarioStreamer {
  private readonly outcome: StreamOutcome = { accepted: [], answers: new Map() };

  constructor(
    private readonly intakeUrl: string,
    private readonly producer: Producer,
    private readonly namespace: string,
    private readonly db: Client,
    private readonly effects: SectorEffects,
    /** A border agent's Authorization header, signed afresh for each request. */
    private readonly headers: () => Promise<Record<string, string>>,
  ) {}

  async stream(scenario: Scenario): Promise<StreamOutcome> {
    for (const round of scenario.rounds) await this.sendRound(round);
    return this.outcome;
  }

  private async sendRound(round: RoundEvent[]): Promise<void> {
    const on = (c: Channel) => round.filter((r) => r.channel === c).map((r) => r.event);
    await Promise.all([this.sendBatches(on('batch')), this.sendSingles(on('single')), this.sendKafka(on('kafka'))]);
  }

  private record(event: ScenarioEvent, channel: Channel, answer: Answer, fields: string[] = []): void {
    this.outcome.answers.set(event.id, { type: event.type, channel, answer, fields });
    if (answer === 'accepted') this.outcome.accepted.push(event);
  }

  private async sendBatches(events: ScenarioEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH_MAX) {
      const slice = events.slice(i, i + BATCH_MAX);
      const answer = await this.retrying(async () =>
        postJson(`${this.intakeUrl}/v1/intake/events:batch`, { events: slice }, await this.headers()),
      );
      if (answer.status !== 200) throw new Error(`the batch endpoint answered ${answer.status}`);
      const results = answer.body.results as { status: Answer; errors?: { field: string }[] }[];
      results.forEach((r, k) =>
        this.record(
          slice[k]!,
          'batch',
          r.status,
          (r.errors ?? []).map((e) => e.field),
        ),
      );
    }
  }

  private async sendSingles(events: ScenarioEvent[]): Promise<void> {
    const queue = [...events];
    const worker = async () => {
      for (let event = queue.shift(); event; event = queue.shift()) {
        const answer = await this.retrying(async () =>
          postJson(`${this.intakeUrl}/v1/intake/events`, event, await this.headers()),
        );
        const status: Answer = answer.status === 202 ? 'accepted' : answer.status === 200 ? 'duplicate' : 'rejected';
        if (answer.status >= 500) throw new Error(`the single-event endpoint answered ${answer.status}`);
        this.record(
          event,
          'single',
          status,
          (answer.body?.errors ?? []).map((e: { field: string }) => e.field),
        );
      }
    };
    await Promise.all(Array.from({ length: SINGLE_IN_FLIGHT }, worker));
  }

  /** Produces the events, waits until the gateway's group committed past them, then reads which it stored. */
  private async sendKafka(events: ScenarioEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.producer.send({
      topic: this.namespace + Topics.intakeSubmissions,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
    const deadline = Date.now() + 60_000;
    while ((await this.effects.lag(SUBMISSIONS_GROUP, [Topics.intakeSubmissions])) > 0) {
      if (Date.now() > deadline) throw new Error('the gateway did not consume intake.submissions.v1 within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT event_id AS id FROM intake.events WHERE event_id = ANY($1::text[])',
      [events.map((e) => e.id)],
    );
    const stored = new Set(rows.map((r) => r.id));
    for (const e of events) this.record(e, 'kafka', stored.has(e.id) ? 'accepted' : 'rejected');
  }

  /** Retries a 429 (the gateway's admission limit) after a short pause; any other answer is final. */
  private async retrying(send: () => ReturnType<typeof postJson>): ReturnType<typeof postJson> {
    for (let attempt = 1; ; attempt++) {
      const answer = await send();
      if (answer.status !== 429 || attempt >= 20) return answer;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
