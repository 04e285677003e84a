import { Module } from '@nestjs/common';
import { AcceptIntakeBatchHandler } from './commands/accept-intake-batch/accept-intake-batch.handler';
import { AcceptIntakeBatchHttpController } from './commands/accept-intake-batch/accept-intake-batch.http.controller';
import { AcceptIntakeEventHttpController } from './commands/accept-intake-event/accept-intake-event.http.controller';
import { IntakeSubmissionsKafkaConsumer } from './consumer/intake-submissions.kafka.consumer';
import { IdentifierVault } from './identifiers/identifier-vault';
import { identifierVaultProvider } from './identifiers/identifier-vault.provider';
import { LegacyIdentifiersResealer } from './identifiers/legacy-identifiers.resealer';
import { INTAKE_LIMITS, intakeLimitsFromEnv } from './intake.constants';
import { IntakeAdmission } from './store/intake-admission';
import { IntakeStore } from './store/intake.store';
import { judgeContextProvider } from './store/judge-context';

@Module({
  controllers: [AcceptIntakeEventHttpController, AcceptIntakeBatchHttpController],
  providers: [
    { provide: INTAKE_LIMITS, useFactory: () => intakeLimitsFromEnv() },
    IntakeAdmission,
    identifierVaultProvider,
    judgeContextProvider,
    IntakeStore,
    AcceptIntakeBatchHandler,
    IntakeSubmissionsKafkaConsumer,
    LegacyIdentifiersResealer,
  ],
  // Erasure re-seals identifiers from before per-person keys with the same vault.
  exports: [IdentifierVault],
})
export class IntakeModule {}
