import { Module } from '@nestjs/common';
import { AcceptIntakeEventHandler } from './commands/accept-intake-event/accept-intake-event.handler';
import { AcceptIntakeEventHttpController } from './commands/accept-intake-event/accept-intake-event.http.controller';

@Module({
  controllers: [AcceptIntakeEventHttpController],
  providers: [AcceptIntakeEventHandler],
})
export class IntakeModule {}
