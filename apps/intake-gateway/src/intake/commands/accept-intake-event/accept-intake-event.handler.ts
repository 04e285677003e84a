import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOUDEVENTS_CONTENT_TYPE, Topics, validateCloudEvent, type CloudEvent } from '@ruta/contracts';
import { enqueueOutbox, MessagingService } from '@ruta/messaging';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { INTAKE_CONTRACTS, INTAKE_SCHEMA } from '../../intake.constants';
import { AcceptIntakeEventCommand, type AcceptIntakeEventResult } from './accept-intake-event.command';

const outcomes = new Counter({
  name: 'ruta_intake_events_total',
  help: 'Intake events by outcome',
  labelNames: ['outcome'],
});

/**
 * Validates the event, stores it once per id and queues it for `intake.events.v1` in the same
 * transaction, so an accepted event is never lost and never published without being stored.
 */
@CommandHandler(AcceptIntakeEventCommand)
export class AcceptIntakeEventHandler implements ICommandHandler<AcceptIntakeEventCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  async execute({ event: raw }: AcceptIntakeEventCommand): Promise<AcceptIntakeEventResult> {
    const validation = validateCloudEvent(raw, INTAKE_CONTRACTS);
    if (!validation.ok) {
      outcomes.inc({ outcome: 'rejected' });
      return { ok: false, code: 'INTAKE.INVALID_EVENT', errors: validation.errors };
    }
    const event = validation.event;
    const result = await this.dataSource.transaction((manager) => this.store(manager, event));
    outcomes.inc({ outcome: result.ok ? result.status : 'conflict' });
    if (result.ok && result.status === 'accepted') this.messaging.relay?.wake();
    return result;
  }

  private async store(manager: EntityManager, event: CloudEvent): Promise<AcceptIntakeEventResult> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO intake.events (event_id, type, subject, source, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
      [event.id, event.type, event.subject, event.source, JSON.stringify(event)],
    );
    if (inserted.length === 0) {
      const [stored]: { same: boolean }[] = await manager.query(
        'SELECT payload = $2::jsonb AS same FROM intake.events WHERE event_id = $1',
        [event.id, JSON.stringify(event)],
      );
      return stored?.same
        ? { ok: true, status: 'duplicate', id: event.id }
        : { ok: false, code: 'INTAKE.ID_CONFLICT', id: event.id };
    }
    await enqueueOutbox(manager, INTAKE_SCHEMA, [
      {
        topic: Topics.intakeEvents,
        key: event.subject,
        value: event,
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: event.id, ce_type: event.type },
      },
    ]);
    return { ok: true, status: 'accepted', id: event.id };
  }
}
