import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { loggerModule } from './logging';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness';

/** The operational routes (probes and metrics) every service serves: the auth guard lets them through. */
export const OPS_CONTROLLERS = [HealthController, MetricsController];

/** What every Ruta service has: structured logs, /health and /metrics. */
@Module({})
export class PlatformModule {
  static forService(service: string): DynamicModule {
    return {
      module: PlatformModule,
      // Global so that other libs (messaging) can register readiness checks without importing it.
      global: true,
      imports: [loggerModule(service), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
