import { randomBytes } from 'node:crypto';

// Quiet services in tests unless asked otherwise.
process.env.LOG_LEVEL ??= 'warn';
// A master key of this run's own for the person keyring (the gateway's identifiers, the sectors' notes).
process.env.RUTA_IDENTIFIERS_KEY ??= randomBytes(32).toString('base64');
