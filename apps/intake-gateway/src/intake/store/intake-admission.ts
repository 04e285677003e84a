import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { INTAKE_LIMITS, type IntakeLimits } from '../intake.constants';

const inFlight = new Gauge({ name: 'ruta_intake_requests_in_flight', help: 'Intake requests being handled' });

/**
 * Bounds the intake requests handled at once: past the limit the gateway answers 429 with
 * Retry-After instead of queueing work it cannot finish in time (and nothing is half-accepted).
 */
@Injectable()
export class IntakeAdmission {
  private active = 0;

  constructor(@Inject(INTAKE_LIMITS) private readonly limits: IntakeLimits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limits.maxInFlight) {
      throw new HttpException(
        {
          type: 'urn:ruta:problem:intake.overloaded',
          title: 'intake overloaded',
          detail: `more than ${this.limits.maxInFlight} intake requests in flight; retry after the Retry-After delay`,
          retryAfterSeconds: 1,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.active++;
    inFlight.set(this.active);
    try {
      return await work();
    } finally {
      this.active--;
      inFlight.set(this.active);
    }
  }
}
