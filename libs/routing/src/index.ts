export * from './person-view/person-view';
export * from './person-view/evolve';
export * from './person-view/sequence';
export * from './rules/rule';
export * from './rules/default-v1.rules';
export * from './rules/evaluate';
export * from './reference-data/reference-data';
export * from './reference-data/reference-data.check';
