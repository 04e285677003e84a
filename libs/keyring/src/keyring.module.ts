import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { declareConfig, KeyringConfig } from '@ruta/platform';
import type { DataSource } from 'typeorm';
import { migrateKeyring } from './migrate-keyring';
import { PersonKeyring } from './person-keyring';

/**
 * The person keyring in a service: its schema migrated (under the keyring's own lock, see
 * migrateKeyring) before PersonKeyring is handed out, with the master key from RUTA_IDENTIFIERS_KEY.
 */
@Module({})
export class KeyringModule {
  static forService(applicationName: string): DynamicModule {
    declareConfig(KeyringConfig);
    return {
      module: KeyringModule,
      global: true,
      providers: [
        {
          provide: PersonKeyring,
          inject: [getDataSourceToken()],
          useFactory: async (dataSource: DataSource) => {
            const applied = await migrateKeyring(dataSource, applicationName);
            const logger = new Logger('Keyring');
            if (applied.length > 0) logger.log(`schema keyring: applied ${applied.join(', ')}`);
            const keyring = PersonKeyring.fromEnv();
            if (!keyring.enabled) logger.warn('RUTA_IDENTIFIERS_KEY is not set: nothing can be sealed for a person');
            return keyring;
          },
        },
      ],
      exports: [PersonKeyring],
    };
  }
}
