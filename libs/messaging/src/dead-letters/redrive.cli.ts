/**
 * `npm run redrive -- <topic>`: re-publishes the originals of the topic's dead letters that were
 * not redriven yet (e.g. after a fix), and prints how many it moved. Reads KAFKA_BROKERS and
 * RUTA_KAFKA_NAMESPACE like the services.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { logLevel } from 'kafkajs';
import { createKafka, kafkaNamespace } from '../kafka/kafka.config';
import { countPendingDeadLetters, redriveDeadLetters, RedriveUnavailableError } from './redrive';

/** The account running the command; a container may have no passwd entry for it. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  const topic = positionals[0];
  if (values.help || !topic || positionals.length > 1) {
    process.stderr.write('usage: npm run redrive -- <source topic, e.g. intake.events.v1> [--dry-run]\n');
    return values.help ? 0 : 2;
  }
  const kafka = createKafka('ruta-redrive-cli', { logLevel: logLevel.ERROR });
  const namespace = kafkaNamespace();
  const pending = await countPendingDeadLetters(kafka, topic, namespace);
  process.stdout.write(`${topic}.dlq: ${pending} dead letters waiting\n`);
  if (values['dry-run'] || pending === 0) return 0;
  const report = await redriveDeadLetters(kafka, {
    topic,
    namespace,
    // The audit log records who redrove: here the operating-system account that ran the command.
    requestedBy: { actor: `os-user:${osUser()}`, channel: 'cli' },
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `redrive ${report.deadLetterTopic} -> ${report.topic}: ${report.examined} examined, ` +
      `${report.moved} moved, ${report.missing} missing (gone from the source topic), ` +
      `${report.repeated} repeated (dead-lettered twice, moved once), ` +
      `${report.refused} refused by the broker for good (passed over, see the lines above)\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`redrive failed: ${error.message}\n`);
    // 75 (EX_TEMPFAIL): Kafka was away; what moved stays moved, run it again later.
    process.exit(error instanceof RedriveUnavailableError ? 75 : 1);
  },
);
