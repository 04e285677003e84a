import { Logger, type Provider } from '@nestjs/common';
import { IdentifierVault } from './identifier-vault';

export const identifierVaultProvider: Provider = {
  provide: IdentifierVault,
  useFactory: () => {
    const vault = IdentifierVault.fromEnv();
    if (!vault.enabled) {
      new Logger('IdentifierVault').warn(
        'RUTA_IDENTIFIERS_KEY is not set: events carrying direct identifiers will be rejected',
      );
    }
    return vault;
  },
};
