import { contractsByType, INTAKE_SUBMISSION_CONTRACTS } from '@ruta/contracts';
import { IntakeConfig, readConfig } from '@ruta/platform';

export const INTAKE_SCHEMA = 'intake';
/** What border services may submit: the published contracts, plus direct identifiers on registration. */
export const INTAKE_CONTRACTS = contractsByType(INTAKE_SUBMISSION_CONTRACTS);

export const INTAKE_LIMITS = Symbol('INTAKE_LIMITS');

/** The gateway's admission limits; each can be set through the environment. */
export interface IntakeLimits {
  /** Most events in one `POST /v1/intake/events:batch` (INTAKE_BATCH_MAX_EVENTS, default 500). */
  batchMaxEvents: number;
  /** Largest single-event body in bytes (INTAKE_BODY_LIMIT, default 64 KiB). */
  eventBodyLimit: number;
  /** Largest batch body in bytes (INTAKE_BATCH_BODY_LIMIT, default 8 MiB). */
  batchBodyLimit: number;
  /** Intake requests handled at once before answering 429 (INTAKE_MAX_IN_FLIGHT, default 256). */
  maxInFlight: number;
}

/** The limits as IntakeConfig reads them: the same rules bootstrapService checked at boot. */
export function intakeLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IntakeLimits {
  const config = readConfig(IntakeConfig, env);
  return {
    batchMaxEvents: config.INTAKE_BATCH_MAX_EVENTS,
    eventBodyLimit: config.INTAKE_BODY_LIMIT,
    batchBodyLimit: config.INTAKE_BATCH_BODY_LIMIT,
    maxInFlight: config.INTAKE_MAX_IN_FLIGHT,
  };
}

/** Body limits for the gateway's HTTP server: small for one event, larger for a batch. */
export function intakeHttpOptions(limits: IntakeLimits = intakeLimitsFromEnv()) {
  return {
    bodyLimit: limits.eventBodyLimit,
    routeBodyLimits: { '/v1/intake/events:batch': limits.batchBodyLimit },
  };
}
