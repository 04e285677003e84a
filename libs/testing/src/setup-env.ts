import { randomBytes } from 'node:crypto';

// Quiet services in tests unless asked otherwise.
process.env.LOG_LEVEL ??= 'warn';
// A key of this run's own for the gateway's encrypted direct identifiers.
process.env.RUTA_IDENTIFIERS_KEY ??= randomBytes(32).toString('base64');
