import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module';
import { ErasePersonHandler } from './erase-person/erase-person.handler';
import { ErasePersonHttpController } from './erase-person/erase-person.http.controller';

/** Erasure by key destruction: the admin command; `npm run erase` runs the same transaction without the service. */
@Module({
  imports: [IntakeModule],
  controllers: [ErasePersonHttpController],
  providers: [ErasePersonHandler],
})
export class ErasureModule {}
