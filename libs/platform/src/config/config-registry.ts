import type { ConfigSchema } from './config-schema';
import { MessagingConfig } from './messaging.config';
import { PersistenceConfig } from './persistence.config';
import { PlatformConfig } from './platform.config';
import { RetentionConfig } from './retention.config';

/** What every Ruta service reads: HTTP and logs, its database, Kafka, the retention job. */
const declared = new Set<ConfigSchema>([PlatformConfig, PersistenceConfig, MessagingConfig, RetentionConfig]);

/**
 * Adds the settings a service reads beyond the common ones (intake limits, reference data).
 * Modules call it where they are defined, so the schemas are known before bootstrapService checks.
 */
export function declareConfig(...schemas: ConfigSchema[]): void {
  for (const schema of schemas) declared.add(schema);
}

/** Every schema declared so far, common ones first. */
export function declaredConfig(): ConfigSchema[] {
  return [...declared];
}
