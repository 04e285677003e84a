export * from './infrastructure';
export * from './test-database';
export * from './factories';
export * from './kafka-version';
export * from './test-environment';
export * from './service-process';
export * from './topic-reader';
export * from './consumer-test-bed';
