import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MessagingService, parseCloudEvent, type ConsumedMessage } from '@ruta/messaging';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { AUDIT_SCHEMA, AUDITED_CONTRACTS, AUDITED_TOPICS } from '../audit.constants';

const invalid = new Counter({
  name: 'ruta_audit_invalid_messages_total',
  help: 'Messages the audit log could not validate and skipped',
  labelNames: ['code'],
});

/**
 * Appends every event of every topic to the audit log in arrival order. The Kafka position is the
 * idempotency key, so a redelivered batch adds nothing.
 */
@Injectable()
export class AuditLogKafkaConsumer implements OnModuleInit {
  private readonly logger = new Logger(AuditLogKafkaConsumer.name);

  constructor(private readonly messaging: MessagingService) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: 'audit-service',
      topics: AUDITED_TOPICS,
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<void> {
    const rows = [];
    for (const message of messages) {
      const parsed = parseCloudEvent(message, AUDITED_CONTRACTS);
      if (!parsed.ok) {
        invalid.inc({ code: parsed.code });
        this.logger.warn(`skipped ${message.topic}[${message.partition}]@${message.offset}: ${parsed.code}`);
        continue;
      }
      const e = parsed.event;
      rows.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        eventId: e.id,
        type: e.type,
        subject: e.subject,
        source: e.source,
        time: e.time ?? null,
        payload: e,
      });
    }
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO ${AUDIT_SCHEMA}.audit_log (topic, partition, kafka_offset, event_id, type, subject, source, event_time, payload)
       SELECT r.topic, r.partition, r."offset", r."eventId", r.type, r.subject, r.source, r.time, r.payload
       FROM jsonb_to_recordset($1::jsonb) AS r(topic text, partition int, "offset" bigint, "eventId" text, type text,
            subject text, source text, time timestamptz, payload jsonb)
       ON CONFLICT (topic, partition, kafka_offset) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
