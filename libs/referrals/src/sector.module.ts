import { Module, type DynamicModule } from '@nestjs/common';
import type { ReferenceData } from '@ruta/routing';
import type { Clock } from './domain/lifecycle';
import { ActOnReferralHandler } from './casework/act-on-referral/act-on-referral.handler';
import { actOnReferralController } from './casework/act-on-referral/act-on-referral.http.controller';
import { CaseNotes } from './casework/notes/case-notes';
import { ShowReferralHandler } from './casework/show-referral/show-referral.handler';
import { showReferralController } from './casework/show-referral/show-referral.http.controller';
import { OverrideConsentHandler } from './casework/override-consent/override-consent.handler';
import { overrideConsentController } from './casework/override-consent/override-consent.http.controller';
import { DecisionsRetentionProvider } from './retention/decisions-retention.provider';
import { ListDecisionsHandler } from './queries/list-decisions/list-decisions.handler';
import { listDecisionsController } from './queries/list-decisions/list-decisions.http.controller';
import { GetPersonHandler } from './queries/get-person/get-person.handler';
import { getPersonController } from './queries/get-person/get-person.http.controller';
import { ListMyReferralsHandler } from './queries/list-my-referrals/list-my-referrals.handler';
import { listMyReferralsController } from './queries/list-my-referrals/list-my-referrals.http.controller';
import { ListOverdueReferralsHandler } from './queries/list-overdue-referrals/list-overdue-referrals.handler';
import { listOverdueReferralsController } from './queries/list-overdue-referrals/list-overdue-referrals.http.controller';
import { ListQueueHandler } from './queries/list-queue/list-queue.handler';
import { listQueueController } from './queries/list-queue/list-queue.http.controller';
import { ListReferralsHandler } from './queries/list-referrals/list-referrals.handler';
import { listReferralsController } from './queries/list-referrals/list-referrals.http.controller';
import { RouteIntakeEventsHandler } from './routing/route-intake-events/route-intake-events.handler';
import { RouteIntakeEventsKafkaConsumer } from './routing/route-intake-events/route-intake-events.kafka.consumer';
import { RouteOnwardReferralsHandler } from './routing/route-onward-referrals/route-onward-referrals.handler';
import { RouteOnwardReferralsKafkaConsumer } from './routing/route-onward-referrals/route-onward-referrals.kafka.consumer';
import { SECTOR_CONFIG, type SectorConfig } from './sector.config';
import { SECTOR_CLOCK, systemClock } from './sector-clock';
import { SlaScheduler } from './sla/sla-scheduler';

export type SectorModuleConfig = Omit<SectorConfig, 'referenceData'> & {
  referenceData: ReferenceData | (() => ReferenceData);
  /** SECTOR_CLOCK: what casework and the override decide with and SLAs are read with; the system clock unless a test fixes it. */
  clock?: Clock;
};

/**
 * A sector service: routes intake events and other sectors' onward referrals into its referrals,
 * serves them and its decisions to caseworkers, and lets its supervisors override a consent deferral.
 */
@Module({})
export class SectorModule {
  /** `referenceData` may be a loader: it then runs when the module is built, after the settings were checked. */
  static forSector(config: SectorModuleConfig): DynamicModule {
    const { referenceData, clock: _clock, ...rest } = config;
    const sectorConfig = {
      provide: SECTOR_CONFIG,
      useFactory: (): SectorConfig => ({
        ...rest,
        referenceData: typeof referenceData === 'function' ? referenceData() : referenceData,
      }),
    };
    return {
      module: SectorModule,
      controllers: [
        listReferralsController(config.sector),
        listDecisionsController(config.sector),
        showReferralController(config.sector),
        actOnReferralController(config.sector),
        overrideConsentController(config.sector),
        listQueueController(config.sector),
        listMyReferralsController(config.sector),
        listOverdueReferralsController(config.sector),
        getPersonController(config.sector),
      ],
      providers: [
        sectorConfig,
        RouteIntakeEventsHandler,
        RouteIntakeEventsKafkaConsumer,
        RouteOnwardReferralsHandler,
        RouteOnwardReferralsKafkaConsumer,
        OverrideConsentHandler,
        ListReferralsHandler,
        ListDecisionsHandler,
        ListQueueHandler,
        ListMyReferralsHandler,
        ListOverdueReferralsHandler,
        GetPersonHandler,
        DecisionsRetentionProvider,
        { provide: SECTOR_CLOCK, useValue: config.clock ?? systemClock },
        CaseNotes,
        ActOnReferralHandler,
        ShowReferralHandler,
        SlaScheduler,
      ],
    };
  }
}
