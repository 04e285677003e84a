import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { enqueueOutbox, MessagingService } from '@ruta/messaging';
import { Counter } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import {
  decide,
  evolve,
  inScope,
  placeOfServicePoint,
  type Actor,
  type Clock,
  type LifecycleCommand,
  type LifecycleState,
} from '../../domain/lifecycle';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { lockPeople } from '../../persistence/person-locks';
import { actorOf } from '../actor-of';
import {
  notesUnavailable,
  notFound,
  refused,
  staleVersion,
  unknownServicePoint,
  type CaseworkAnswer,
} from '../casework-answers';
import { CaseNotes, NotesUnavailableError } from '../notes/case-notes';
import { SECTOR_CLOCK } from '../../sector-clock';
import { IdempotencyStore } from '../idempotency';
import { etagOf, isReferralId, recordAfter, stateOf, type ReferralRecord } from '../referral-record';
import { ActOnReferralCommand, type ActOnReferralResult, type CaseworkInput } from './act-on-referral.command';
import { ActOnReferralStore } from './act-on-referral.store';
import { caseworkMessages, type Applied } from './casework-messages';

// Commands and answers by status class only: nothing of the request in the labels.
const commands = new Counter({
  name: 'ruta_casework_commands_total',
  help: 'Casework commands on referrals, by command and answer status',
  labelNames: ['sector', 'command', 'status'],
});

/**
 * One casework command in one transaction: the caller's Idempotency-Key claimed (or its answer
 * replayed), the person's lock row taken as routing takes it, the referral locked, scope and
 * If-Match checked, the decider run with the injected clock, and the row, the timeline, the
 * outbox messages and the kept answer written together. A refusal (4xx) is an answer too, kept
 * for retries; an error (5xx) rolls everything back, so a retry runs the command again.
 */
@CommandHandler(ActOnReferralCommand)
export class ActOnReferralHandler implements ICommandHandler<ActOnReferralCommand> {
  private readonly store: ActOnReferralStore;
  private readonly idempotency: IdempotencyStore;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingService,
    private readonly notes: CaseNotes,
  ) {
    this.store = new ActOnReferralStore(config.schema);
    this.idempotency = new IdempotencyStore(config.schema);
  }

  async execute(command: ActOnReferralCommand): Promise<ActOnReferralResult> {
    const result = await this.answer(command);
    if (result.changed) this.messaging.relay.wake();
    commands.inc({ sector: this.config.sector, command: command.kind, status: String(result.status) });
    return result;
  }

  /**
   * The answer with its notes opened for the caller: written and kept (an Idempotency-Key's answer
   * too) they are sealed; an erased person's read as erased.
   */
  private async answer(command: ActOnReferralCommand): Promise<ActOnReferralResult> {
    const caller = command.principal.subject;
    try {
      const result: ActOnReferralResult = await this.dataSource.transaction((manager) =>
        this.idempotency.answerOnce(manager, caller, command.idempotency, () => this.run(manager, command)),
      );
      const personId = result.body.personId;
      if (typeof personId !== 'string') return result;
      return { ...result, body: await this.notes.open(this.dataSource.manager, personId, result.body) };
    } catch (error) {
      if (error instanceof NotesUnavailableError) return notesUnavailable();
      throw error;
    }
  }

  private async run(manager: EntityManager, command: ActOnReferralCommand): Promise<ActOnReferralResult> {
    const actor = actorOf(command.principal);
    if (actor.sector !== this.config.sector || !isReferralId(command.referralId)) return notFound();
    const personId = await this.store.personOf(manager, command.referralId);
    if (personId === undefined) return notFound();
    await lockPeople(manager, this.config.schema, [personId]);
    const record = await this.store.loadForUpdate(manager, command.referralId);
    if (!record) return notFound();
    const state = stateOf(record);
    // Scope before the version: another point's caseworker learns nothing, not even a version.
    if (!inScope(actor, state.sector, state.servicePointId)) return notFound();
    if (!command.ifMatch.includes(state.version)) return staleVersion();

    const lifecycle = this.commandOf(state, command, actor);
    if ('status' in lifecycle) return lifecycle;
    const decided = decide(state, lifecycle, this.clock);
    if (!decided.ok) return refused(decided);
    if (decided.events.length === 0) return shown(record);

    // Notes are sealed for the person before they reach the state, the row, the timeline or a kept answer.
    const events = await this.notes.seal(manager, personId, decided.events);
    let current = state;
    const applied: Applied[] = events.map((event) => {
      const before = current;
      current = evolve(current, event);
      return { event, before, after: current };
    });
    await this.store.write(manager, current, applied);
    await enqueueOutbox(
      manager,
      this.config.schema,
      caseworkMessages(this.config.sector, record.ruleSetVersion, applied),
    );
    return { ...shown(recordAfter(record, current)), changed: true };
  }

  /** The lifecycle command of the request; a transfer's point resolved from reference data first. */
  private commandOf(
    state: LifecycleState,
    command: ActOnReferralCommand,
    actor: Actor,
  ): LifecycleCommand | CaseworkAnswer {
    const input: CaseworkInput = command.input;
    switch (command.kind) {
      case 'accept':
      case 'start':
      case 'resume':
        return { kind: command.kind, actor };
      case 'reject':
      case 'cancel':
      case 'hold':
      case 'fail':
        return { kind: command.kind, actor, reason: input.reason, note: input.note };
      case 'complete':
        return { kind: 'complete', actor, outcome: input.outcome, note: input.note };
      case 'assign':
      case 'reassign':
        return { kind: command.kind, actor, assignee: input.assignee ?? '' };
      case 'refer-onward':
        return {
          kind: 'refer-onward',
          actor,
          toSector: input.toSector ?? '',
          referralType: input.referralType,
          legalBasis: input.legalBasis,
          reason: input.reason,
          note: input.note,
        };
      case 'transfer': {
        // Who may transfer, and from which status, is answered before whether the point exists.
        const here = { servicePointId: state.servicePointId, sector: state.sector, stationId: state.stationId };
        const probe = decide(state, { kind: 'transfer', actor, to: here }, this.clock);
        if (!probe.ok) return refused(probe);
        const to = placeOfServicePoint(this.config.referenceData, input.servicePointId ?? '');
        return to ? { kind: 'transfer', actor, to } : unknownServicePoint();
      }
    }
  }
}

function shown(record: ReferralRecord): CaseworkAnswer {
  return { status: 200, body: { ...record }, etag: etagOf(record.version) };
}
