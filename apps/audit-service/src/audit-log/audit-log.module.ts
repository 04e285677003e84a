import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { sqlOf } from '@ruta/persistence';
import { DataSource } from 'typeorm';
import { LogProofs } from './log/log-proofs';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditAccessInterceptor } from './access/audit-access.interceptor';
import { AuditAccessRecorder } from './access/audit-access.recorder';
import { AuditLogKafkaConsumer } from './consumer/audit-log.kafka.consumer';
import { AuditLogKeys } from './log/audit-log.keys';
import { AuditLogWriter } from './log/audit-log.writer';
import { ListDisclosuresHandler } from './queries/disclosures/disclosures.handler';
import { DisclosuresHttpController } from './queries/disclosures/disclosures.http.controller';
import { HistoryHandler } from './queries/history/history.handler';
import { HistoryHttpController } from './queries/history/history.http.controller';
import { ListAuditEventsHandler } from './queries/list-events/list-audit-events.handler';
import { ListAuditEventsHttpController } from './queries/list-events/list-audit-events.http.controller';
import {
  GetCheckpointHandler,
  ProveConsistencyHandler,
  ProveInclusionHandler,
  VerifyLogHandler,
} from './queries/proofs/proofs.handlers';
import { AuditProofsHttpController } from './queries/proofs/proofs.http.controller';
import { ReferralStateHandler } from './queries/referral-state/referral-state.handler';
import { ReferralStateHttpController } from './queries/referral-state/referral-state.http.controller';
import { WhatIfHandler } from './queries/what-if/what-if.handler';
import { WhatIfHttpController } from './queries/what-if/what-if.http.controller';
import { RebuildJobs } from './rebuild/rebuild-jobs';
import { RebuildHttpController } from './rebuild/rebuild.http.controller';

@Module({
  controllers: [
    ListAuditEventsHttpController,
    AuditProofsHttpController,
    HistoryHttpController,
    ReferralStateHttpController,
    DisclosuresHttpController,
    WhatIfHttpController,
    RebuildHttpController,
  ],
  providers: [
    AuditLogKeys,
    // One reader of the stored tree for the checkpoint and proof handlers.
    {
      provide: LogProofs,
      useFactory: (dataSource: DataSource) => new LogProofs(sqlOf(dataSource)),
      inject: [getDataSourceToken()],
    },
    AuditLogWriter,
    AuditLogKafkaConsumer,
    AuditAccessRecorder,
    // For the whole app, keyed on /v1/audit/: a new audit route is logged without opting in.
    { provide: APP_INTERCEPTOR, useClass: AuditAccessInterceptor },
    ListAuditEventsHandler,
    GetCheckpointHandler,
    ProveInclusionHandler,
    ProveConsistencyHandler,
    VerifyLogHandler,
    WhatIfHandler,
    HistoryHandler,
    ReferralStateHandler,
    ListDisclosuresHandler,
    RebuildJobs,
  ],
})
export class AuditLogModule {}
