import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Kafka version pinned once, in docker-compose.yml (scripts/kafka.sh reads the same line). */
export function pinnedKafkaImage(): string {
  const compose = readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8');
  const match = /image:\s*(apache\/kafka:[\w.-]+)/.exec(compose);
  if (!match) throw new Error('docker-compose.yml names no apache/kafka image');
  return match[1]!;
}
