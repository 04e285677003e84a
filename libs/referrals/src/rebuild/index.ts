export * from './projection-tables';
export * from './projection-diff';
export * from './scratch-schema';
export * from './sector-replay';
export * from './logged-referral-ids';
export * from './wire-lifecycle';
