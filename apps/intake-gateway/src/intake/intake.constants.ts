import { contractsByType, INTAKE_SUBMISSION_CONTRACTS } from '@ruta/contracts';

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

export function intakeLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IntakeLimits {
  return {
    batchMaxEvents: positiveInt(env, 'INTAKE_BATCH_MAX_EVENTS', 500),
    eventBodyLimit: positiveInt(env, 'INTAKE_BODY_LIMIT', 64 * 1024),
    batchBodyLimit: positiveInt(env, 'INTAKE_BATCH_BODY_LIMIT', 8 * 1024 * 1024),
    maxInFlight: positiveInt(env, 'INTAKE_MAX_IN_FLIGHT', 256),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Body limits for the gateway's HTTP server: small for one event, larger for a batch. */
export function intakeHttpOptions(limits: IntakeLimits = intakeLimitsFromEnv()) {
  return {
    bodyLimit: limits.eventBodyLimit,
    routeBodyLimits: { '/v1/intake/events:batch': limits.batchBodyLimit },
  };
}
