import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@ruta/messaging';
import { idempotencyKeysRetention } from '../casework/idempotency-retention';
import { decisionsRetention } from './decisions-retention';

/**
 * Adds the sector's decisions (RUTA_DECISION_RETENTION_DAYS) and the answers kept for casework's
 * Idempotency-Key retries (a day) to the service's retention job.
 */
@Injectable()
export class DecisionsRetentionProvider implements OnModuleInit {
  constructor(private readonly retention: RetentionService) {}

  onModuleInit(): void {
    this.retention.addTask(decisionsRetention(this.retention.decisionRetentionDays));
    this.retention.addTask(idempotencyKeysRetention());
  }
}
