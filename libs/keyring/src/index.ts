export * from './envelope';
export * from './keyring.module';
export * from './migrate-keyring';
export * from './migrations/1764900000000-create-keyring';
export * from './person-keyring';
