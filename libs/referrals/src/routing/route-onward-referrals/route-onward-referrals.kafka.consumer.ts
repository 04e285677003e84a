import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@ruta/contracts';
import { MessagingService, type BatchOutcome, type ConsumedMessage, type DeadLetter } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { readOnwardMessage, type OnwardMessage } from './onward-message';
import { RouteOnwardReferralsHandler } from './route-onward-referrals.handler';

type Routed = Extract<OnwardMessage, { kind: 'route' }>['event'];

/**
 * Reads referrals.onward.v1 in this sector's onward group (`<sector>-service-onward`): onward
 * referrals addressed to this sector are routed, one transaction per Kafka batch; the rest is acked.
 */
@Injectable()
export class RouteOnwardReferralsKafkaConsumer implements OnModuleInit {
  constructor(
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    private readonly messaging: MessagingService,
    private readonly handler: RouteOnwardReferralsHandler,
  ) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: `${this.config.sector}-service-onward`,
      topics: [Topics.onwardReferrals],
      // Every onward referral passes by every sector; none is urgent to the second: fetch up to half
      // a second's worth at a time rather than each one as it lands.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 500,
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const events: Routed[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const message of messages) {
      const read = readOnwardMessage(message, this.config.sector);
      if (read.kind === 'route') events.push(read.event);
      else if (read.kind === 'dead-letter') deadLetters.push(read.letter);
    }
    const wroteOutbox = events.length > 0 && (await this.handler.execute(events, manager));
    return { deadLetters, wroteOutbox };
  }
}
