// The what-if replay on its own entry point (@ruta/referrals/what-if): the audit service replays
// the history with the sectors' decider without loading the sector services' modules and metrics.
export * from './compare-decisions';
export * from './replayed-sector';
export * from './what-if-replay';
