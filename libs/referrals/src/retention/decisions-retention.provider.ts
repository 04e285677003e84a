import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@ruta/messaging';
import { decisionsRetention } from './decisions-retention';

/** Adds the sector's decisions to the service's retention job (RUTA_DECISION_RETENTION_DAYS). */
@Injectable()
export class DecisionsRetentionProvider implements OnModuleInit {
  constructor(private readonly retention: RetentionService) {}

  onModuleInit(): void {
    this.retention.addTask(decisionsRetention(this.retention.decisionRetentionDays));
  }
}
