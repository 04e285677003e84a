import { Module, type DynamicModule } from '@nestjs/common';
import { SectorIntakeKafkaConsumer } from './consumer/sector-intake.kafka.consumer';
import { ListReferralsHandler } from './queries/list-referrals/list-referrals.handler';
import { listReferralsController } from './queries/list-referrals/list-referrals.http.controller';
import { SECTOR_CONFIG, type SectorConfig } from './sector.config';

/** A sector service: routes intake events into its referrals and serves them to caseworkers. */
@Module({})
export class SectorModule {
  static forSector(config: SectorConfig): DynamicModule {
    return {
      module: SectorModule,
      controllers: [listReferralsController(config.sector)],
      providers: [{ provide: SECTOR_CONFIG, useValue: config }, SectorIntakeKafkaConsumer, ListReferralsHandler],
    };
  }
}
