export * from './scenario-events';
export * from './generate-scenario';
export * from './scenario-figures';
export type { ScenarioPerson, Profile } from './groups';
export { Prng } from './prng';
export * from './event-mix';
