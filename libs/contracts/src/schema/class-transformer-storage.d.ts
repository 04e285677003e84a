// class-transformer 0.5.1 ships this module's types under types/, apart from its CommonJS code.
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
