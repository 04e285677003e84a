import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { validateCloudEvent } from '@ruta/contracts';
import { enqueueOutbox, MessagingService } from '@ruta/messaging';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA, AUDITED_CONTRACTS } from '../audit.constants';
import { auditAccessMessage, type AuditCall } from './audit-access.message';

const accessesTotal = new Counter({
  name: 'ruta_audit_accesses_total',
  help: 'auditor calls recorded as audit.accessed events',
});

/**
 * Records an auditor's call as an audit.accessed event: an outbox row (a read has no transaction
 * of its own, so the row commits alone, before the answer leaves), then the relay is woken. The
 * consumer appends it to the log like any event, hash-chained with the rest.
 */
@Injectable()
export class AuditAccessRecorder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  async record(call: AuditCall, now = new Date()): Promise<void> {
    const message = auditAccessMessage(call, now);
    // An event the log's own consumer would dead-letter leaves no trace: refuse to answer instead.
    const checked = validateCloudEvent(message.value, AUDITED_CONTRACTS);
    if (!checked.ok) {
      throw new Error(`audit.accessed would not be valid: ${checked.errors.map((e) => e.field).join(', ')}`);
    }
    await enqueueOutbox(this.dataSource.manager, AUDIT_SCHEMA, [message]);
    this.messaging.relay.wake();
    accessesTotal.inc();
  }
}
