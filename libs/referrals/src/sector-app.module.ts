import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics, type Sector } from '@ruta/contracts';
import {
  AddOutboxLanes1764400000001,
  CreateParkedMessages1764400000100,
  IndexInboxProcessedAt1764500000000,
  MessagingModule,
} from '@ruta/messaging';
import { KeyringModule } from '@ruta/keyring';
import { PersistenceModule } from '@ruta/persistence';
import { AuthModule } from '@ruta/auth';
import { declareConfig, OPS_CONTROLLERS, PlatformModule } from '@ruta/platform';
import { LIVE_RULE_SETS, loadReferenceData } from '@ruta/routing';
import { IndexDecisionsDecidedAt1764500000001 } from './migrations/1764500000001-index-decisions-decided-at';
import { ReferralCancellationAndListIndexes1764600000000 } from './migrations/1764600000000-referral-cancellation-and-list-indexes';
import { RouteWholeJourneys1764600000001 } from './migrations/1764600000001-route-whole-journeys';
import { ReferralLifecycle1764700000000 } from './migrations/1764700000000-referral-lifecycle';
import { CaseworkQueueIndexes1764700000020 } from './migrations/1764700000020-casework-queue-indexes';
import { CreateSectorSchema1764300000001 } from './migrations/create-sector-schema.migration';
import { ReferenceDataConfig } from './reference-data.config';
import { SectorModule } from './sector.module';
import { SlaConfig } from './sla/sla.config';
import { sectorSchema } from './sector.config';

/** A sector schema's migrations, in order (the replay bench builds a sector schema with them too). */
export const SECTOR_MIGRATIONS = [
  CreateSectorSchema1764300000001,
  AddOutboxLanes1764400000001,
  CreateParkedMessages1764400000100,
  IndexInboxProcessedAt1764500000000,
  IndexDecisionsDecidedAt1764500000001,
  ReferralCancellationAndListIndexes1764600000000,
  RouteWholeJourneys1764600000001,
  ReferralLifecycle1764700000000,
  CaseworkQueueIndexes1764700000020,
];

/** The whole application of one sector service; the three sector apps differ only in `sector`. */
@Module({})
export class SectorAppModule {
  static forSector(sector: Sector): DynamicModule {
    const service = `${sector}-service`;
    const schema = sectorSchema(sector);
    // Checked by bootstrapService before anything starts; loaded when the module is built, not here.
    declareConfig(ReferenceDataConfig, SlaConfig);
    return {
      module: SectorAppModule,
      imports: [
        PlatformModule.forService(service),
        AuthModule.forRoot({ openControllers: OPS_CONTROLLERS }),
        CqrsModule.forRoot(),
        PersistenceModule.forService({
          schema,
          applicationName: service,
          migrations: SECTOR_MIGRATIONS,
        }),
        // Caseworkers' notes are sealed with each person's data key (see casework/notes).
        KeyringModule.forService(service),
        MessagingModule.forService({
          clientId: service,
          schema,
          topics: [Topics.intakeEvents, Topics.referralEvents, Topics.onwardReferrals],
        }),
        SectorModule.forSector({
          sector,
          schema,
          ruleSet: LIVE_RULE_SETS.sectors[sector],
          referenceData: () => loadReferenceData(),
        }),
      ],
    };
  }
}
