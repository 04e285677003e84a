import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AddOutboxLanes1764400000001, CreateParkedMessages1764400000100, MessagingModule } from '@ruta/messaging';
import { PersistenceModule } from '@ruta/persistence';
import { AuthModule } from '@ruta/auth';
import { declareConfig, OPS_CONTROLLERS, PlatformModule } from '@ruta/platform';
import { AUDIT_SCHEMA, AUDITED_TOPICS } from './audit-log/audit.constants';
import { AuditLogModule } from './audit-log/audit-log.module';
import { CreateAuditSchema1764300000002 } from './migrations/1764300000002-create-audit-schema';
import { CreateAuditOutbox1764400000000 } from './migrations/1764400000000-create-audit-outbox';
import { AuditLogOncePerEvent1764500000002 } from './migrations/1764500000002-audit-log-once-per-event';
import { CreateMerkleLog1764800000000 } from './migrations/1764800000000-create-merkle-log';
import { CreateRebuildJobs1764900000000 } from './migrations/1764900000000-create-rebuild-jobs';
import { AuditLogConfig } from './audit-log/log/audit-log.config';

declareConfig(AuditLogConfig);

/** The audit schema's migrations, in order (the replay bench builds a log's database with them too). */
export const AUDIT_MIGRATIONS = [
  CreateAuditSchema1764300000002,
  CreateAuditOutbox1764400000000,
  AddOutboxLanes1764400000001,
  CreateParkedMessages1764400000100,
  AuditLogOncePerEvent1764500000002,
  CreateMerkleLog1764800000000,
  CreateRebuildJobs1764900000000,
];

@Module({
  imports: [
    PlatformModule.forService('audit-service'),
    AuthModule.forRoot({ openControllers: OPS_CONTROLLERS }),
    CqrsModule.forRoot(),
    PersistenceModule.forService({
      schema: AUDIT_SCHEMA,
      applicationName: 'audit-service',
      migrations: AUDIT_MIGRATIONS,
    }),
    MessagingModule.forService({
      clientId: 'audit-service',
      schema: AUDIT_SCHEMA,
      topics: AUDITED_TOPICS,
    }),
    AuditLogModule,
  ],
})
export class AppModule {}
