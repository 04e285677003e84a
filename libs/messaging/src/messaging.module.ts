import { Module, type DynamicModule } from '@nestjs/common';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';
import { ParkedMessagesHttpController } from './parking/parked-messages.http.controller';
import { MESSAGING_OPTIONS, MessagingService, type MessagingOptions } from './messaging.service';
import { RetentionService } from './retention/retention.service';

@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: [DeadLettersHttpController, ParkedMessagesHttpController],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, MessagingService, RetentionService],
      exports: [MessagingService, RetentionService],
    };
  }
}
