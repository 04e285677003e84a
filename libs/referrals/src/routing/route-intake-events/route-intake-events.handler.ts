import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HOUSEHOLD_LINKED, type CloudEvent, type HouseholdLinkedV1 } from '@ruta/contracts';
import { claimInbox, enqueueOutbox } from '@ruta/messaging';
import { readsOf } from '@ruta/routing';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { referralMessages } from './referral-messages';
import { RouteIntakeEventsStore } from './route-intake-events.store';
import { decideSectorBatch, type SectorPolicy } from './sector-decider';

const referralChanges = new Counter({
  name: 'ruta_referral_changes_total',
  help: 'Referral changes made by routing (requested, priority-raised, reassigned, cancelled)',
  labelNames: ['sector', 'change'],
});

/** Routes one batch of intake events into this sector's referrals, inside the batch's transaction. */
@Injectable()
export class RouteIntakeEventsHandler {
  private readonly policy: SectorPolicy;
  private readonly store: RouteIntakeEventsStore;

  constructor(@Inject(SECTOR_CONFIG) private readonly config: SectorConfig) {
    const reads = readsOf(config.ruleSet);
    this.policy = { ruleSet: config.ruleSet, reads, referenceData: config.referenceData };
    this.store = new RouteIntakeEventsStore(config.schema, reads.household);
  }

  /** Applies the events not seen before; true when it queued referral events in the outbox. */
  async execute(events: readonly CloudEvent[], manager: EntityManager, now = new Date()): Promise<boolean> {
    const fresh = await claimInbox(
      manager,
      this.config.schema,
      events.map((e) => e.id),
    );
    // `delete` also drops a second copy of the same event within this batch.
    const toApply = events.filter((e) => fresh.delete(e.id));
    if (toApply.length === 0) return false;
    const state = await this.store.load(manager, {
      subjects: [...new Set(toApply.map((e) => e.subject))],
      linkMembers: toApply.flatMap((e) =>
        e.type === HOUSEHOLD_LINKED ? (e.data as HouseholdLinkedV1).members.map((m) => m.personId) : [],
      ),
    });
    const effects = decideSectorBatch(this.policy, state, toApply, randomUUID);
    await this.store.write(manager, this.config.sector, effects);
    const messages = referralMessages(this.config.sector, effects.changes, now);
    await enqueueOutbox(manager, this.config.schema, messages);
    for (const c of effects.changes) referralChanges.inc({ sector: this.config.sector, change: c.kind });
    return messages.length > 0;
  }
}
