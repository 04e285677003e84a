import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics, type Sector } from '@ruta/contracts';
import { AddOutboxLanes1764400000001, CreateParkedMessages1764400000100, MessagingModule } from '@ruta/messaging';
import { PersistenceModule } from '@ruta/persistence';
import { PlatformModule } from '@ruta/platform';
import { DEFAULT_RULE_SETS, loadReferenceData } from '@ruta/routing';
import { CreateSectorSchema1764300000001 } from './migrations/create-sector-schema.migration';
import { SectorModule } from './sector.module';

/** The whole application of one sector service; the three sector apps differ only in `sector`. */
@Module({})
export class SectorAppModule {
  static forSector(sector: Sector): DynamicModule {
    const service = `${sector}-service`;
    const schema = sector.replace(/-/g, '_');
    return {
      module: SectorAppModule,
      imports: [
        PlatformModule.forService(service),
        CqrsModule.forRoot(),
        PersistenceModule.forService({
          schema,
          applicationName: service,
          migrations: [CreateSectorSchema1764300000001, AddOutboxLanes1764400000001, CreateParkedMessages1764400000100],
        }),
        MessagingModule.forService({
          clientId: service,
          schema,
          topics: [Topics.intakeEvents, Topics.referralEvents],
        }),
        SectorModule.forSector({
          sector,
          schema,
          ruleSet: DEFAULT_RULE_SETS[sector],
          referenceData: loadReferenceData(),
        }),
      ],
    };
  }
}
