import { Injectable } from '@nestjs/common';

/** What a readiness check reports: ready or not, and why, in words without personal data. */
export interface Readiness {
  ready: boolean;
  details: Record<string, string>;
}

/** A part of the service that must be working before it takes traffic (e.g. messaging). */
export interface ReadinessCheck {
  readonly name: string;
  readiness(): Readiness;
}

/**
 * The checks /health/ready runs besides the database. Other libs register into it, so platform
 * depends on none of them.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): readonly ReadinessCheck[] {
    return this.checks;
  }
}
