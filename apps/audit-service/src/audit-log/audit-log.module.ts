import { Module } from '@nestjs/common';
import { AuditLogKafkaConsumer } from './consumer/audit-log.kafka.consumer';
import { ListAuditEventsHandler } from './queries/list-events/list-audit-events.handler';
import { ListAuditEventsHttpController } from './queries/list-events/list-audit-events.http.controller';

@Module({
  controllers: [ListAuditEventsHttpController],
  providers: [AuditLogKafkaConsumer, ListAuditEventsHandler],
})
export class AuditLogModule {}
