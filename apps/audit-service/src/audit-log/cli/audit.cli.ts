/**
 * The auditor's command line, straight on PostgreSQL (DATABASE_URL), without the service.
 *
 * `npm run audit -- verify [--public-key <file.pem>]` recomputes the audit log and names the first
 * position that does not match. The public key checkpoints are checked with comes from outside the
 * database: the file given, else the public half of RUTA_AUDIT_SIGNING_KEY. Exit 0 verified, 1 a
 * mismatch, 2 bad usage.
 *
 * `npm run audit -- what-if --rules <version|module.js> ...` replays the log's intake events through
 * another rule-set version and prints, as JSON, the routing decisions that would change per rule.
 * Exit 0 with a report, 2 bad usage (an unknown version, a module that is not a rule set).
 *
 * `npm run audit -- rebuild <sector> [--keep]` rebuilds the sector's projections from the log into a
 * scratch schema and prints, as JSON, every difference from the live schema (see rebuild/rebuild.ts).
 * Exit 0 no difference, 1 differences, 2 bad usage.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SECTORS, type Sector } from '@ruta/contracts';
import { LIVE_RULE_SETS, loadReferenceData, RULE_SET_VERSIONS } from '@ruta/routing';
import { databaseUrl } from '@ruta/persistence';
import { Client } from 'pg';
import { keyFromConfig } from '../merkle';
import { verifyLog, type Sql } from '../log/log-verifier';
import { RuleSetModuleError, ruleSetVersionOf } from '../what-if/rule-set-module';
import { runWhatIf } from '../what-if/run-what-if';
import { rebuildSector, type RebuildProgress } from '../rebuild/rebuild';

const MAX_EXAMPLES = 1000;

const USAGE = `usage: npm run audit -- verify [--public-key <file.pem>]
       npm run audit -- what-if --rules <version|module.js> [--baseline <version|module.js>]
                                [--sector <sector>] [--examples <n>]
       npm run audit -- rebuild <${SECTORS.join('|')}> [--keep]
  verify   recompute every leaf hash and signed root of the audit log from its rows (DATABASE_URL)
           and report the first position that does not match
  --public-key  the log's Ed25519 public key (GET /v1/audit/public-key); default: the public half
                of RUTA_AUDIT_SIGNING_KEY
  what-if  replay the log's intake events through another rule-set version and print (JSON) the
           routing decisions that would change, per rule, with example ids
  --rules       the candidate: a version in the repo (${[...RULE_SET_VERSIONS.keys()].join(', ')}) or a
                compiled module (.js, .cjs, .mjs) whose default export is a rule-set version
  --baseline    what it is compared with (default: the live version, ${LIVE_RULE_SETS.version})
  --sector      replay one sector only (${SECTORS.join(', ')}); default: all three
  --examples    example ids kept per rule, 0 to ${MAX_EXAMPLES} (default 10)
  rebuild  replay the log into a scratch schema rebuild_<sector>_<id> with the sector's own routing
           and lifecycle code, and print (JSON) every difference from the live schema (the first 1000)
  --keep   keep the scratch schema to look into (drop it with DROP SCHEMA ... CASCADE)
`;

class UsageError extends Error {}

function publicKeyFrom(args: string[]): KeyObject | null {
  const at = args.indexOf('--public-key');
  if (at >= 0) {
    const file = args[at + 1];
    if (!file) throw new UsageError('--public-key needs a file');
    try {
      return createPublicKey(readFileSync(file, 'utf8'));
    } catch {
      throw new UsageError(`--public-key: ${file} is not a readable PEM public key`);
    }
  }
  const configured = process.env.RUTA_AUDIT_SIGNING_KEY;
  if (!configured) return null;
  try {
    return createPublicKey(keyFromConfig(configured));
  } catch {
    throw new UsageError('RUTA_AUDIT_SIGNING_KEY is not an Ed25519 private key');
  }
}

/** One line on stderr, redrawn: `what` done, rate, time left. */
function progress(command: string, what: string): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
    process.stderr.write(
      `\r${command}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} ${what}, ${Math.round(rate).toLocaleString('en')}/s, about ${Math.ceil(left)} s left   `,
    );
  };
}

/** Runs `work` with SQL on a client of DATABASE_URL, closed afterwards. */
async function withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(), application_name: 'ruta-audit-cli' });
  await client.connect();
  try {
    return await work(async (sql, params) => (await client.query(sql, params)).rows);
  } finally {
    await client.end();
  }
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  if (args[0] === 'what-if') return whatIf(args.slice(1));
  if (args[0] === 'rebuild') return rebuild(args.slice(1));
  if (args[0] !== 'verify') throw new UsageError(`unknown command; ${USAGE}`);
  const publicKey = publicKeyFrom(args.slice(1));
  if (!publicKey) process.stderr.write('verify: no public key given: checkpoint signatures are NOT checked\n');
  return withDatabase(async (sql) => {
    const started = Date.now();
    // One snapshot for the whole check: the log may grow while it runs, and head, rows and checkpoints must agree.
    await sql('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyLog(sql, publicKey, process.stderr.isTTY ? progress('verify', 'entries') : undefined);
    await sql('COMMIT');
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(
      `verify: ${report.ok ? 'ok' : 'MISMATCH'}: ${report.entries} entries, ${report.checkpoints} checkpoints in ${seconds.toFixed(1)} s\n`,
    );
    return report.ok ? 0 : 1;
  });
}

/** The what-if options, checked: the rule-set versions (modules loaded and checked), sectors, examples. */
function whatIfOptions(args: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        rules: { type: 'string' },
        baseline: { type: 'string' },
        sector: { type: 'string' },
        examples: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`what-if: ${(error as Error).message}`);
  }
  if (!values.rules) throw new UsageError('what-if needs --rules <version|module.js>');
  const sector = values.sector;
  if (sector !== undefined && !(SECTORS as readonly string[]).includes(sector)) {
    throw new UsageError(`--sector must be one of ${SECTORS.join(', ')}`);
  }
  const examples = values.examples === undefined ? 10 : Number(values.examples);
  if (!Number.isInteger(examples) || examples < 0 || examples > MAX_EXAMPLES) {
    throw new UsageError(`--examples must be a whole number from 0 to ${MAX_EXAMPLES}`);
  }
  try {
    return {
      candidate: ruleSetVersionOf(values.rules, '--rules'),
      baseline: values.baseline ? ruleSetVersionOf(values.baseline, '--baseline') : LIVE_RULE_SETS,
      sectors: sector ? [sector as Sector] : [...SECTORS],
      examples,
    };
  } catch (error) {
    if (error instanceof RuleSetModuleError) throw new UsageError(error.message);
    throw error;
  }
}

async function whatIf(args: string[]): Promise<number> {
  const options = whatIfOptions(args);
  const referenceData = loadReferenceData();
  return withDatabase(async (sql) => {
    const started = Date.now();
    const report = await runWhatIf(sql, {
      ...options,
      referenceData,
      onProgress: process.stderr.isTTY ? progress('what-if', 'events') : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const rules = report.rules.map((r) => `${r.sector}/${r.rule} ${r.changed}`).join(', ');
    process.stderr.write(
      `what-if: ${report.events} events, ${report.baseline} -> ${report.candidate} in ${seconds.toFixed(1)} s: ` +
        `${report.changed} decisions would change${rules ? ` (${rules})` : ''}\n`,
    );
    return 0;
  });
}

const n = (value: number) => value.toLocaleString('en');

/** The rebuild's progress line on stderr: redrawn on a terminal, one line a phase otherwise. */
function rebuildProgress(sector: Sector): (p: RebuildProgress) => void {
  let phase = '';
  return (p) => {
    const line = `rebuild ${sector}: ${p.phase} ${n(p.processed)} / ${n(p.total)} log entries, ${n(p.eventsPerSecond)} events/s, about ${p.etaSeconds} s left`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
    else if (p.phase !== phase) process.stderr.write(`${line}\n`);
    phase = p.phase;
  };
}

async function rebuild(args: string[]): Promise<number> {
  const [sector, ...rest] = args;
  if (!(SECTORS as readonly string[]).includes(sector ?? '')) {
    throw new UsageError(`rebuild needs a sector (${SECTORS.join(', ')})`);
  }
  if (rest.some((a) => a !== '--keep')) throw new UsageError('rebuild takes no option but --keep');
  return withDatabase(async (sql) => {
    const result = await rebuildSector(sql, {
      sector: sector as Sector,
      keep: rest.includes('--keep'),
      onProgress: rebuildProgress(sector as Sector),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(
      `rebuild ${sector}: ${result.differences === 0 ? 'no difference' : `${n(result.differences)} DIFFERENCES`}; ` +
        `${n(result.processed)} log entries (${n(result.applied)} of the sector's) replayed in ${result.replaySeconds.toFixed(1)} s ` +
        `(${n(result.eventsPerSecond)}/s), written in ${result.writeSeconds.toFixed(1)} s, diffed in ${result.diffSeconds.toFixed(1)} s` +
        `${result.kept ? `; kept in schema ${result.scratchSchema}` : ''}\n`,
    );
    return result.differences === 0 ? 0 : 1;
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof UsageError ? '' : 'audit failed: '}${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
