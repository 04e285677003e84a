import { Module } from '@nestjs/common';
import { AuditLogKafkaConsumer } from './consumer/audit-log.kafka.consumer';
import { AuditLogKeys } from './log/audit-log.keys';
import { AuditLogWriter } from './log/audit-log.writer';
import {
  GetCheckpointHandler,
  ProveConsistencyHandler,
  ProveInclusionHandler,
  VerifyLogHandler,
} from './queries/proofs/proofs.handlers';
import { AuditProofsHttpController } from './queries/proofs/proofs.http.controller';
import { ListAuditEventsHandler } from './queries/list-events/list-audit-events.handler';
import { ListAuditEventsHttpController } from './queries/list-events/list-audit-events.http.controller';
import { WhatIfHandler } from './queries/what-if/what-if.handler';
import { WhatIfHttpController } from './queries/what-if/what-if.http.controller';
import { RebuildJobs } from './rebuild/rebuild-jobs';
import { RebuildHttpController } from './rebuild/rebuild.http.controller';

@Module({
  controllers: [ListAuditEventsHttpController, AuditProofsHttpController, WhatIfHttpController, RebuildHttpController],
  providers: [
    AuditLogKeys,
    AuditLogWriter,
    AuditLogKafkaConsumer,
    ListAuditEventsHandler,
    GetCheckpointHandler,
    ProveInclusionHandler,
    ProveConsistencyHandler,
    VerifyLogHandler,
    WhatIfHandler,
    RebuildJobs,
  ],
})
export class AuditLogModule {}
