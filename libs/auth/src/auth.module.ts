import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { declareConfig, readConfig } from '@ruta/platform';
import { AuthConfig, OpsEndpointsConfig } from './config/auth.config';
import { AuthGuard, OPS_ACCESS, type OpsAccess } from './guard/auth.guard';
import { TokenVerifier } from './token/token-verifier';

export interface AuthModuleOptions {
  /**
   * The operational controllers (the platform's health and metrics), which cannot carry @Public or
   * @Roles: open when RUTA_OPEN_OPS_ENDPOINTS is true (the default), role `admin` when it is false.
   */
  openControllers?: Type[];
  /** The verifier to use; by default one built from AuthConfig (RUTA_AUTH_*). */
  verifier?: TokenVerifier;
}

/** Puts AuthGuard in front of every route of the service. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    // Declared where it is read (as SectorAppModule does): importing @ruta/auth alone requires no RUTA_AUTH_*.
    if (!options.verifier) declareConfig(AuthConfig);
    declareConfig(OpsEndpointsConfig);
    return {
      module: AuthModule,
      providers: [
        {
          provide: TokenVerifier,
          useFactory: () => options.verifier ?? TokenVerifier.fromConfig(readConfig(AuthConfig)),
        },
        {
          provide: OPS_ACCESS,
          useFactory: (): OpsAccess => ({
            controllers: new Set(options.openControllers ?? []),
            open: readConfig(OpsEndpointsConfig).RUTA_OPEN_OPS_ENDPOINTS,
          }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
