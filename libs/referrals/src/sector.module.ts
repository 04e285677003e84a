import { Module, type DynamicModule } from '@nestjs/common';
import type { ReferenceData } from '@ruta/routing';
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
import { SECTOR_CONFIG, type SectorConfig } from './sector.config';
import { SLA_CLOCK, systemClock } from './sla/sla-clock';
import { SlaScheduler } from './sla/sla-scheduler';

export type SectorModuleConfig = Omit<SectorConfig, 'referenceData'> & {
  referenceData: ReferenceData | (() => ReferenceData);
};

/** A sector service: routes intake events into its referrals and serves them and its decisions to caseworkers. */
@Module({})
export class SectorModule {
  /** `referenceData` may be a loader: it then runs when the module is built, after the settings were checked. */
  static forSector(config: SectorModuleConfig): DynamicModule {
    const { referenceData, ...rest } = config;
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
        listQueueController(config.sector),
        listMyReferralsController(config.sector),
        listOverdueReferralsController(config.sector),
        getPersonController(config.sector),
      ],
      providers: [
        sectorConfig,
        RouteIntakeEventsHandler,
        RouteIntakeEventsKafkaConsumer,
        ListReferralsHandler,
        ListDecisionsHandler,
        ListQueueHandler,
        ListMyReferralsHandler,
        ListOverdueReferralsHandler,
        GetPersonHandler,
        DecisionsRetentionProvider,
        { provide: SLA_CLOCK, useValue: systemClock },
        SlaScheduler,
      ],
    };
  }
}
