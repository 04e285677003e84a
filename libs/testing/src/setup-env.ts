// Quiet services in tests unless asked otherwise.
process.env.LOG_LEVEL ??= 'warn';
