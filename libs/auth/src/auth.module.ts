import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { declareConfig, readConfig } from '@ruta/platform';
import { AuthConfig } from './config/auth.config';
import { AuthGuard, OPEN_CONTROLLERS } from './guard/auth.guard';
import { TokenVerifier } from './token/token-verifier';

export interface AuthModuleOptions {
  /** Controllers served without a token though they cannot carry @Public (e.g. the platform's HealthController). */
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
    return {
      module: AuthModule,
      providers: [
        {
          provide: TokenVerifier,
          useFactory: () => options.verifier ?? TokenVerifier.fromConfig(readConfig(AuthConfig)),
        },
        { provide: OPEN_CONTROLLERS, useValue: new Set(options.openControllers ?? []) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
