import { Module } from '@nestjs/common';
import { SectorAppModule } from '@ruta/referrals';

@Module({ imports: [SectorAppModule.forSector('protection')] })
export class AppModule {}
