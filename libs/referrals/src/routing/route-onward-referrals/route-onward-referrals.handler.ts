import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CloudEvent, ReferralReferredOnwardV1 } from '@ruta/contracts';
import { claimInbox, enqueueOutbox } from '@ruta/messaging';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { referralMessages } from '../route-intake-events/referral-messages';
import { decideOnwardBatch, type OnwardPolicy } from './onward-decider';
import { RouteOnwardReferralsStore } from './route-onward-referrals.store';

const onwardDecisions = new Counter({
  name: 'ruta_onward_referral_decisions_total',
  help: 'Onward referrals from other sectors routed by this sector, per outcome (referred, deferred, refused)',
  labelNames: ['sector', 'outcome'],
});

/** The inbox is shared with intake events: onward ids get a prefix of their own, so the two never collide. */
export const onwardInboxId = (eventId: string) => `onward:${eventId}`;

/** Routes onward referrals addressed to this sector, inside the consumer batch's transaction. */
@Injectable()
export class RouteOnwardReferralsHandler {
  private readonly policy: OnwardPolicy;
  private readonly store: RouteOnwardReferralsStore;

  constructor(@Inject(SECTOR_CONFIG) private readonly config: SectorConfig) {
    this.policy = { ruleSet: config.ruleSet, referenceData: config.referenceData };
    this.store = new RouteOnwardReferralsStore(config.schema);
  }

  /** Applies the onward referrals not seen before; true when it queued referral events in the outbox. */
  async execute(
    events: readonly CloudEvent<ReferralReferredOnwardV1>[],
    manager: EntityManager,
    now = new Date(),
  ): Promise<boolean> {
    const fresh = await claimInbox(
      manager,
      this.config.schema,
      events.map((e) => onwardInboxId(e.id)),
    );
    const toApply = events.filter((e) => fresh.delete(onwardInboxId(e.id)));
    if (toApply.length === 0) return false;
    const subjects = [...new Set(toApply.map((e) => e.data.personId))];
    const state = await this.store.load(manager, { subjects, linkMembers: [] });
    const requests = toApply.map((e) => ({ eventId: e.id, data: e.data }));
    const effects = decideOnwardBatch(this.policy, state, requests, randomUUID);
    await this.store.write(manager, this.config.sector, effects);
    const messages = referralMessages(this.config.sector, effects.changes, now);
    await enqueueOutbox(manager, this.config.schema, messages);
    for (const d of effects.decisions) onwardDecisions.inc({ sector: this.config.sector, outcome: d.outcome });
    return messages.length > 0;
  }
}
