import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  contractsByType,
  INTAKE_EVENT_CONTRACTS,
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REQUESTED,
  Topics,
  type CloudEvent,
  type ReferralRequestedV1,
} from '@ruta/contracts';
import {
  claimInbox,
  enqueueOutbox,
  MessagingService,
  parseBatch,
  type BatchOutcome,
  type ConsumedMessage,
  type OutgoingMessage,
} from '@ruta/messaging';
import { indicatorsOf, type PersonView } from '@ruta/routing';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { OpenReferral } from '../domain/plan-referrals';
import { OPEN_STATUSES } from '../domain/referral';
import { SECTOR_CONFIG, type SectorConfig } from '../sector.config';
import { applySectorBatch, type NewReferral, type SectorBatchEffects } from './sector-batch';

const CONTRACTS = contractsByType(INTAKE_EVENT_CONTRACTS);

const referralsCreated = new Counter({
  name: 'ruta_referrals_created_total',
  help: 'Referrals created by routing',
  labelNames: ['sector', 'type'],
});

/** Routes intake events into this sector's referrals: one transaction per Kafka batch. */
@Injectable()
export class SectorIntakeKafkaConsumer implements OnModuleInit {
  private readonly visible;
  private readonly group: string;

  constructor(
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    private readonly messaging: MessagingService,
  ) {
    this.visible = indicatorsOf(config.ruleSet);
    this.group = `${config.sector}-service`;
  }

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: this.group,
      topics: [Topics.intakeEvents],
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const { events: parsed, deadLetters } = parseBatch(messages, CONTRACTS);
    const events = parsed.map((p) => p.event);
    const fresh = await claimInbox(
      manager,
      this.config.schema,
      events.map((e) => e.id),
    );
    // `delete` also drops a second copy of the same event within this batch.
    const toApply = events.filter((e) => fresh.delete(e.id));
    if (toApply.length === 0) return { deadLetters };
    const personIds = [...new Set(toApply.map((e) => e.subject))];
    const views = await this.loadViews(manager, personIds);
    const open = await this.loadOpenReferrals(manager, personIds);
    const effects = applySectorBatch(this.config, this.visible, toApply, views, open);
    const wroteOutbox = await this.write(manager, effects);
    return { deadLetters, wroteOutbox };
  }

  private async loadViews(manager: EntityManager, personIds: string[]): Promise<Map<string, PersonView>> {
    const rows: { person_id: string; view: PersonView }[] = await manager.query(
      `SELECT person_id, view FROM "${this.config.schema}".person_view WHERE person_id = ANY($1::text[]) FOR UPDATE`,
      [personIds],
    );
    return new Map(rows.map((r) => [r.person_id, r.view]));
  }

  private async loadOpenReferrals(manager: EntityManager, personIds: string[]) {
    const rows: (OpenReferral & { person_id: string })[] = await manager.query(
      `SELECT id, person_id, type, priority FROM "${this.config.schema}".referrals
       WHERE person_id = ANY($1::text[]) AND status = ANY($2::text[])`,
      [personIds, OPEN_STATUSES],
    );
    const open = new Map<string, Map<string, OpenReferral>>();
    for (const row of rows) {
      const forPerson = open.get(row.person_id) ?? new Map<string, OpenReferral>();
      forPerson.set(row.type, { id: row.id, type: row.type, priority: row.priority });
      open.set(row.person_id, forPerson);
    }
    return open;
  }

  /** Writes the batch's effects; true when it queued referral events in the outbox. */
  private async write(manager: EntityManager, effects: SectorBatchEffects): Promise<boolean> {
    const s = this.config.schema;
    await manager.query(
      `INSERT INTO "${s}".person_view (person_id, view)
       SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (person_id) DO UPDATE SET view = EXCLUDED.view, updated_at = now()`,
      [[...effects.views.keys()], [...effects.views.values()].map((v) => JSON.stringify(v))],
    );
    if (effects.created.length > 0) {
      await manager.query(
        `INSERT INTO "${s}".referrals (id, person_id, sector, type, priority, status, service_point_id, station_id,
                                       legal_basis, rule_set_version, decision_inputs, source_event_id)
         SELECT r.id, r."personId", $2, r.type, r.priority, 'requested', r."servicePointId", r."stationId",
                r."legalBasis", r."ruleSetVersion", r."decisionInputs", r."sourceEventId"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "personId" text, type text, priority text,
              "servicePointId" text, "stationId" text, "legalBasis" text, "ruleSetVersion" text,
              "decisionInputs" jsonb, "sourceEventId" text)`,
        [JSON.stringify(effects.created), this.config.sector],
      );
    }
    const raised = [];
    for (const r of effects.raised) {
      const [row] = await manager.query(
        `UPDATE "${s}".referrals SET priority = $2, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING id, person_id, type, priority, service_point_id, station_id, legal_basis, rule_set_version`,
        [r.referralId, r.priority],
      );
      raised.push(row);
    }
    if (effects.decisions.length > 0) {
      await manager.query(
        `INSERT INTO "${s}".decisions (person_id, referral_type, rule_set_version, outcome, reason, legal_basis,
                                       inputs, event_id, referral_id)
         SELECT d."personId", d."referralType", d."ruleSetVersion", d.outcome, d.reason, d."legalBasis",
                d.inputs, d."eventId", d."referralId"
         FROM jsonb_to_recordset($1::jsonb) AS d("personId" text, "referralType" text, "ruleSetVersion" text,
              outcome text, reason text, "legalBasis" text, inputs jsonb, "eventId" text, "referralId" uuid)`,
        [JSON.stringify(effects.decisions)],
      );
    }
    await enqueueOutbox(manager, s, [
      ...effects.created.map((r) => this.referralMessage(REFERRAL_REQUESTED, r)),
      ...raised.map((row) =>
        this.referralMessage(REFERRAL_PRIORITY_RAISED, {
          id: row.id,
          personId: row.person_id,
          type: row.type,
          priority: row.priority,
          servicePointId: row.service_point_id,
          stationId: row.station_id,
          legalBasis: row.legal_basis,
          ruleSetVersion: row.rule_set_version,
        }),
      ),
    ]);
    for (const r of effects.created) referralsCreated.inc({ sector: this.config.sector, type: r.type });
    return effects.created.length + raised.length > 0;
  }

  private referralMessage(type: string, r: Omit<NewReferral, 'decisionInputs' | 'sourceEventId'>): OutgoingMessage {
    const data = {
      referralId: r.id,
      personId: r.personId,
      sector: this.config.sector,
      referralType: r.type,
      priority: r.priority,
      legalBasis: r.legalBasis,
      servicePointId: r.servicePointId,
      ...(r.stationId ? { stationId: r.stationId } : {}),
      ruleSetVersion: r.ruleSetVersion,
      requestedAt: new Date().toISOString(),
    } as ReferralRequestedV1;
    const event: CloudEvent<ReferralRequestedV1> = {
      specversion: '1.0',
      id: randomUUID(),
      source: `ruta/${this.group}`,
      type,
      subject: r.personId,
      time: data.requestedAt,
      datacontenttype: 'application/json',
      data,
    };
    return { topic: Topics.referralEvents, key: r.personId, value: event, headers: { ce_id: event.id, ce_type: type } };
  }
}
