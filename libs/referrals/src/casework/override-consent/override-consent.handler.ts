import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { enqueueOutbox } from '@ruta/messaging';
import type { PersonView } from '@ruta/routing';
import { DataSource, type EntityManager } from 'typeorm';
import { fixedClock, type Clock } from '../../domain/lifecycle/clock';
import { decideConsentOverride, type ConsentOverridden } from '../../domain/lifecycle/consent-override';
import { LIFECYCLE_CODES as C, refuse } from '../../domain/lifecycle/lifecycle-result';
import { referralMessages } from '../../routing/route-intake-events/referral-messages';
import type { NewReferral } from '../../routing/route-intake-events/sector-effects';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import { deferralOf } from './deferral-of';
import { overriddenMessage } from './override-consent.message';
import { notesUnavailable, notFound } from '../casework-answers';
import { CaseNotes, NotesUnavailableError } from '../notes/case-notes';
import { IdempotencyStore, type IdempotentAnswer } from '../idempotency';
import {
  OverrideConsentCommand,
  type OverrideConsentAnswer,
  type OverrideConsentResult,
} from './override-consent.command';
import { httpAnswerOf } from './override-consent.problems';
import { OverrideConsentStore, type DecisionRow } from './override-consent.store';

/**
 * A supervisor turns a deferral into a referral, in one transaction under the person's lock: the
 * referral, the override decision, the view's outcome (so routing makes no second one), the
 * timeline and the outbox messages decision.consent-overridden and referral.requested.
 */
@CommandHandler(OverrideConsentCommand)
export class OverrideConsentHandler implements ICommandHandler<OverrideConsentCommand> {
  private readonly store: OverrideConsentStore;
  private readonly idempotency: IdempotencyStore;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
    private readonly notes: CaseNotes,
  ) {
    this.store = new OverrideConsentStore(config.schema);
    this.idempotency = new IdempotencyStore(config.schema);
  }

  async execute(command: OverrideConsentCommand): Promise<IdempotentAnswer> {
    // Another sector's supervisor learns nothing, not even whether the decision exists.
    if (command.actor.sector !== this.config.sector) return notFound();
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction((manager) =>
        this.idempotency.answerOnce(manager, command.actor.subject, command.idempotency, async () =>
          httpAnswerOf(await this.override(manager, command, now)),
        ),
      );
    } catch (error) {
      if (error instanceof NotesUnavailableError) return notesUnavailable();
      throw error;
    }
  }

  private async override(
    manager: EntityManager,
    command: OverrideConsentCommand,
    now: Date,
  ): Promise<OverrideConsentResult> {
    const decision = await this.store.decision(manager, command.decisionId);
    if (!decision) return refuse(C.OUT_OF_SCOPE, 'decision not found');
    await this.store.lockPerson(manager, decision.personId);
    const [latest, view, openReferral] = [
      await this.store.latestDecision(manager, decision.personId, decision.referralType),
      await this.store.view(manager, decision.personId),
      await this.store.hasOpenReferral(manager, decision.personId, decision.referralType),
    ];
    const deferral = deferralOf(
      { decision, latest, view, openReferral },
      this.config.sector,
      this.config.referenceData,
    );
    const decided = decideConsentOverride(
      deferral,
      { kind: 'override-consent', actor: command.actor, ...command.body },
      fixedClock(now),
    );
    if (!decided.ok) return decided;
    const [event] = decided.events;
    if (!event) return this.unchanged(manager, latest!);
    const rule = this.config.ruleSet.rules.find((r) => r.type === decision.referralType);
    if (!rule) return refuse(C.NOT_DEFERRED, 'the rule of this decision is not in the rule set any more');

    const eventId = randomUUID();
    const stationId = view?.station?.value ?? null;
    const referral: NewReferral = {
      id: randomUUID(),
      personId: decision.personId,
      type: decision.referralType,
      priority: rule.priority,
      status: 'requested',
      servicePointId: deferral.servicePointId,
      stationId,
      legalBasis: event.legalBasis,
      ruleSetVersion: this.config.ruleSet.version,
      decisionInputs: {},
      sourceEventId: eventId,
    };
    const views = new Map<string, PersonView>();
    if (view) views.set(view.personId, { ...view, outcomes: { ...view.outcomes, [referral.type]: 'referred' } });
    const changes = [{ kind: 'requested' as const, referral }];
    const effects = { views, memberships: new Map(), changes, decisions: [] };
    await this.store.write(manager, this.config.sector, effects, { timeline: false });
    const overrideDecisionId = await this.store.recordOverride(manager, {
      personId: referral.personId,
      referralType: referral.type,
      ruleSetVersion: referral.ruleSetVersion,
      legalBasis: event.legalBasis,
      reason: event.reason.code,
      overriddenDecisionId: decision.id,
      eventId,
      referralId: referral.id,
      actor: event.actor,
      at: event.at,
    });
    // The supervisor's note goes to the timeline sealed with the person's data key.
    const override = {
      decisionId: decision.id,
      reason: await this.notes.seal(manager, referral.personId, event.reason),
    };
    await this.store.recordRequested(manager, referral, override, event.actor, event.at);
    await enqueueOutbox(manager, this.config.schema, [
      overriddenMessage(eventId, event, referral.id),
      ...referralMessages(this.config.sector, changes, now),
    ]);
    return { ok: true, created: true, answer: answerOf(event, overrideDecisionId, referral) };
  }

  /** Overridden before: the same answer from what was recorded, nothing written. */
  private async unchanged(manager: EntityManager, override: DecisionRow): Promise<OverrideConsentResult> {
    const referral = await this.store.referralFacts(manager, override.referralId!);
    return {
      ok: true,
      created: false,
      answer: {
        decisionId: String(override.inputs.overriddenDecisionId),
        overrideDecisionId: override.id,
        referralId: override.referralId!,
        referralType: override.referralType,
        priority: referral!.priority,
        servicePointId: referral!.servicePointId,
        legalBasis: override.legalBasis as OverrideConsentAnswer['legalBasis'],
        reason: override.reason!,
        overriddenAt: override.decidedAt,
      },
    };
  }
}

function answerOf(event: ConsentOverridden, overrideDecisionId: string, referral: NewReferral): OverrideConsentAnswer {
  return {
    decisionId: event.decisionId,
    overrideDecisionId,
    referralId: referral.id,
    referralType: referral.type,
    priority: referral.priority,
    servicePointId: referral.servicePointId,
    legalBasis: event.legalBasis,
    reason: event.reason.code,
    overriddenAt: event.at,
  };
}
