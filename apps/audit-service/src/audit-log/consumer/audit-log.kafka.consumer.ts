import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MessagingService, parseBatch, type BatchOutcome, type ConsumedMessage } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { AUDIT_SCHEMA, AUDITED_CONTRACTS, AUDITED_TOPICS } from '../audit.constants';

/**
 * Appends every event of every topic to the audit log in arrival order, once per event id and
 * topic: a redelivered batch or a republished copy (a new Kafka position) adds nothing.
 */
@Injectable()
export class AuditLogKafkaConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: 'audit-service',
      topics: AUDITED_TOPICS,
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const { events, deadLetters } = parseBatch(messages, AUDITED_CONTRACTS);
    const rows = [];
    for (const { message, event: e } of events) {
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
    if (rows.length === 0) return { deadLetters };
    await manager.query(
      `INSERT INTO ${AUDIT_SCHEMA}.audit_log (topic, partition, kafka_offset, event_id, type, subject, source, event_time, payload)
       SELECT r.topic, r.partition, r."offset", r."eventId", r.type, r.subject, r.source, r.time, r.payload
       FROM jsonb_to_recordset($1::jsonb) AS r(topic text, partition int, "offset" bigint, "eventId" text, type text,
            subject text, source text, time timestamptz, payload jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return { deadLetters };
  }
}
