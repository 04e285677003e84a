/**
 * `npm run erase -- <personId> --reason <code>`: erases a person straight in PostgreSQL
 * (DATABASE_URL), without the service: the same transaction as POST /v1/admin/people/{id}:erase
 * (data key destroyed, person.erased queued on the gateway's outbox, which a running gateway's relay
 * publishes). The actor recorded is the operating-system account. Prints the answer as JSON.
 * Exit 0 erased (now or before), 1 no such person, 2 bad usage.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ERASURE_REASONS, PERSON_ID_PATTERN, type ErasureReason } from '@ruta/contracts';
import { PersonKeyring } from '@ruta/keyring';
import { createServiceDataSource } from '@ruta/persistence';
import { IdentifierVault } from '../intake/identifiers/identifier-vault';
import { INTAKE_SCHEMA } from '../intake/intake.constants';
import { erasePerson } from './erase-person';

const USAGE = `usage: npm run erase -- <personId> --reason <code>
  destroys the person's data key: their direct identifiers and caseworkers' notes about them can no
  longer be read anywhere; person.erased goes to the audit log through the gateway's outbox
  --reason  one of ${ERASURE_REASONS.join(', ')}
`;

class UsageError extends Error {}

/** The account running the command; a container may have no passwd entry for it. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

function request(args: string[]): { personId: string; reason: ErasureReason } {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [personId, ...rest] = positionals;
  if (!personId || rest.length > 0) throw new UsageError('one person id is needed');
  if (!PERSON_ID_PATTERN.test(personId)) throw new UsageError('the person id must be a pseudonymous person id');
  const reason = values.reason;
  if (!reason || !(ERASURE_REASONS as readonly string[]).includes(reason)) {
    throw new UsageError(`--reason must be one of ${ERASURE_REASONS.join(', ')}`);
  }
  return { personId, reason: reason as ErasureReason };
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { personId, reason } = request(args);
  const dataSource = createServiceDataSource({
    schema: INTAKE_SCHEMA,
    applicationName: 'ruta-erase-cli',
    migrations: [],
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    const outcome = await dataSource.transaction((manager) =>
      erasePerson(
        manager,
        { keyring: PersonKeyring.fromEnv(), vault: IdentifierVault.fromEnv() },
        {
          personId,
          reason,
          actor: `os-user:${osUser()}`,
          channel: 'cli',
          at: new Date(),
        },
      ),
    );
    if (!outcome) {
      process.stderr.write('erase: no such person (no intake event and no key)\n');
      return 1;
    }
    process.stdout.write(`${JSON.stringify(outcome.answer)}\n`);
    process.stderr.write(outcome.now ? 'erase: the data key is destroyed\n' : 'erase: already erased\n');
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`erase: ${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`erase: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
