import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@ruta/contracts';
import { AddOutboxLanes1764400000001, CreateParkedMessages1764400000100, MessagingModule } from '@ruta/messaging';
import { KeyringModule } from '@ruta/keyring';
import { PersistenceModule } from '@ruta/persistence';
import { AuthModule } from '@ruta/auth';
import { declareConfig, IntakeConfig, OPS_CONTROLLERS, PlatformModule } from '@ruta/platform';
import { ReferenceDataConfig } from '@ruta/referrals';
import { ErasureModule } from './erasure/erasure.module';
import { IntakeModule } from './intake/intake.module';
import { INTAKE_SCHEMA } from './intake/intake.constants';
import { CreateIntakeSchema1764300000000 } from './migrations/1764300000000-create-intake-schema';
import { CreateIdentifierVault1764400000002 } from './migrations/1764400000002-create-identifier-vault';
import { AddIdentifiersFingerprint1764500000000 } from './migrations/1764500000000-add-identifiers-fingerprint';
import { EventSequence1764600000010 } from './migrations/1764600000010-event-sequence';

// The gateway reads the intake limits and stations (and KeyringModule the master key): bootstrapService checks them too.
declareConfig(IntakeConfig, ReferenceDataConfig);

@Module({
  imports: [
    PlatformModule.forService('intake-gateway'),
    AuthModule.forRoot({ openControllers: OPS_CONTROLLERS }),
    CqrsModule.forRoot(),
    PersistenceModule.forService({
      schema: INTAKE_SCHEMA,
      applicationName: 'intake-gateway',
      migrations: [
        CreateIntakeSchema1764300000000,
        AddOutboxLanes1764400000001,
        CreateIdentifierVault1764400000002,
        CreateParkedMessages1764400000100,
        AddIdentifiersFingerprint1764500000000,
        EventSequence1764600000010,
      ],
    }),
    KeyringModule.forService('intake-gateway'),
    MessagingModule.forService({
      clientId: 'intake-gateway',
      schema: INTAKE_SCHEMA,
      // ops.events.v1: person.erased, published through this outbox with the key's destruction.
      topics: [Topics.intakeEvents, Topics.operations],
    }),
    IntakeModule,
    ErasureModule,
  ],
})
export class AppModule {}
