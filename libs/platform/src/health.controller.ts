import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from './openapi/problem-responses';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** The process is up and serves HTTP: nothing else is waited for. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** The service can reach its database and every registered check (messaging: consuming) is ready. */
  @Get('ready')
  // Terminus' own 503 schema is application/json; Ruta answers problem+json, so it is described here.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    schema: { example: { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: {} } },
  })
  @ApiProblems('notReady')
  async ready() {
    const checks = this.readiness.all().map((check) => () => {
      const { ready, details } = check.readiness();
      const indicator = this.indicators.check(check.name);
      return ready ? indicator.up(details) : indicator.down(details);
    });
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), ...checks]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Problem+json keeps only the detail: name the checks that are down, and what they wait for.
      const failed = (error.getResponse() as { error?: Record<string, Record<string, unknown>> }).error ?? {};
      const reasons = Object.entries(failed).map(([name, { status: _status, ...why }]) =>
        Object.keys(why).length === 0
          ? name
          : `${name} (${Object.entries(why)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join(', ')})`,
      );
      throw new ServiceUnavailableException({
        type: 'urn:ruta:problem:not-ready',
        title: 'not ready',
        detail: `not ready: ${reasons.join('; ')}`,
      });
    }
  }
}
