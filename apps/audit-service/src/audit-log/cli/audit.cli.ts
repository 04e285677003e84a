/**
 * `npm run audit -- verify [--public-key <file.pem>]`: recomputes the audit log straight from
 * PostgreSQL (DATABASE_URL), without the service, and names the first position that does not
 * match. The public key checkpoints are checked with comes from outside the database: the file
 * given, else the public half of RUTA_AUDIT_SIGNING_KEY. Exit 0 verified, 1 a mismatch, 2 bad usage.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { keyFromConfig } from '../merkle';
import { verifyLog } from '../log/log-verifier';

const USAGE = `usage: npm run audit -- verify [--public-key <file.pem>]
  verify   recompute every leaf hash and signed root of the audit log from its rows (DATABASE_URL)
           and report the first position that does not match
  --public-key  the log's Ed25519 public key (GET /v1/audit/public-key); default: the public half
                of RUTA_AUDIT_SIGNING_KEY
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

/** One line on stderr, redrawn: entries done, rate, time left. */
function progress(): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
    process.stderr.write(
      `\rverify: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} entries, ${Math.round(rate).toLocaleString('en')}/s, about ${Math.ceil(left)} s left   `,
    );
  };
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  if (args[0] !== 'verify') throw new UsageError(`unknown command; ${USAGE}`);
  const publicKey = publicKeyFrom(args.slice(1));
  if (!publicKey) process.stderr.write('verify: no public key given: checkpoint signatures are NOT checked\n');
  const client = new Client({ connectionString: process.env.DATABASE_URL, application_name: 'ruta-audit-cli' });
  await client.connect();
  try {
    const started = Date.now();
    // One snapshot for the whole check: the log may grow while it runs, and head, rows and checkpoints must agree.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyLog(
      async (sql, params) => (await client.query(sql, params)).rows,
      publicKey,
      process.stderr.isTTY ? progress() : undefined,
    );
    await client.query('COMMIT');
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(
      `verify: ${report.ok ? 'ok' : 'MISMATCH'}: ${report.entries} entries, ${report.checkpoints} checkpoints in ${seconds.toFixed(1)} s\n`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof UsageError ? '' : 'audit failed: '}${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
