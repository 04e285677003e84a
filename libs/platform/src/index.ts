export * from './bootstrap';
export * from './logging';
export * from './platform.module';
export * from './problem.filter';
export * from './validation.pipe';
export * from './config';
export { JsonTextBody } from './request-json';
export * from './readiness';
