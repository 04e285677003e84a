import type { KeyObject } from 'node:crypto';
import { AUDIT_SCHEMA } from '../audit.constants';
import { entryLeafHash, MerkleFrontier, parseCheckpoint, verifyCheckpoint } from '../merkle';
import { entryOfRow, LOG_ROW_COLUMNS, type LogRow } from './log-appender';

const S = AUDIT_SCHEMA;

export type { Sql } from '@ruta/persistence';
import type { Sql } from '@ruta/persistence';

/** What is wrong at the first bad position. */
export type Fault =
  /** The row at this position is gone (deleted, or moved to another position). */
  | 'missing'
  /** The row's content (bytes, metadata or position) no longer hashes to the leaf recorded when it was appended. */
  | 'altered'
  /** The rows up to a checkpoint hash to another root than the one signed (hashes rewritten with the rows). */
  | 'root-mismatch'
  /** A checkpoint's signature does not verify with the log's public key, or its body disagrees with its columns. */
  | 'bad-checkpoint'
  /** More rows or fewer than the tree's recorded size. */
  | 'size-mismatch';

export interface VerifyReport {
  ok: boolean;
  /** Entries recomputed. */
  entries: number;
  /** Signed checkpoints whose root was recomputed and matched. */
  checkpoints: number;
  /** The first position that does not match, and why (absent when ok). */
  firstBad?: { position: string; fault: Fault; detail: string };
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  body: string;
  signature: Buffer;
}

/** Rows read per query: bounded memory whatever the log's length. */
const PAGE = 5_000;

/**
 * Recomputes the audit log from its rows, in position order: every leaf hash from the entry's
 * content, the Merkle root at every signed checkpoint (each signature checked with `publicKey`,
 * which must come from outside the database), and reports the first position that does not match.
 * `onProgress` hears the entries done so far (a terminal's progress line).
 */
export async function verifyLog(
  sql: Sql,
  publicKey: KeyObject | null,
  onProgress?: (entries: number, total: number) => void,
): Promise<VerifyReport> {
  const checkpoints = await sql<CheckpointRow>(
    `SELECT tree_size::text, root_hash, body, signature FROM ${S}.checkpoints ORDER BY checkpoints.tree_size`,
  );
  const [head] = await sql<{ size: string }>(`SELECT size::text FROM ${S}.log_head`);
  const total = BigInt(head?.size ?? '0');
  const frontier = MerkleFrontier.empty();
  let matched = 0;
  let next = 0;
  const fail = (position: bigint, fault: Fault, detail: string): VerifyReport => ({
    ok: false,
    entries: Number(frontier.size),
    checkpoints: matched,
    firstBad: { position: String(position), fault, detail },
  });
  // Checkpoints are checked first as documents: a forged one must not vouch for anything.
  for (const c of checkpoints) {
    const problem = checkpointProblem(c, publicKey);
    if (problem)
      return fail(BigInt(c.tree_size) - 1n, 'bad-checkpoint', `checkpoint at size ${c.tree_size}: ${problem}`);
  }
  let after = -1n;
  for (;;) {
    const rows = await sql<LogRow>(
      `SELECT ${LOG_ROW_COLUMNS} FROM ${S}.log WHERE position > $1 AND leaf_hash IS NOT NULL ORDER BY log.position LIMIT $2`,
      [String(after), PAGE],
    );
    for (const row of rows) {
      const position = BigInt(row.position);
      const expected = BigInt(frontier.size);
      if (position !== expected) return fail(expected, 'missing', `no entry at position ${expected}`);
      const hash = leafHashOf(row);
      if (!hash || !row.leaf_hash || !hash.equals(row.leaf_hash)) {
        return fail(position, 'altered', `entry ${position} does not hash to the leaf recorded when it was appended`);
      }
      frontier.append(hash);
      const due = checkpoints[next];
      if (due && BigInt(due.tree_size) === BigInt(frontier.size)) {
        if (!frontier.root().equals(due.root_hash)) {
          const from = next > 0 ? BigInt(checkpoints[next - 1]!.tree_size) : 0n;
          return fail(
            from,
            'root-mismatch',
            `entries ${from} to ${position} hash to another root than the checkpoint signed at size ${due.tree_size}`,
          );
        }
        matched++;
        next++;
      }
    }
    onProgress?.(Number(frontier.size), Number(total));
    if (rows.length < PAGE) break;
    after = BigInt(rows[rows.length - 1]!.position);
  }
  const size = BigInt(frontier.size);
  const lastCheckpoint = checkpoints[next];
  if (lastCheckpoint) {
    return fail(
      size,
      'missing',
      `the log ends at ${size} entries; a checkpoint was signed at size ${lastCheckpoint.tree_size}`,
    );
  }
  if (size !== total) return fail(size, 'size-mismatch', `${size} entries, the tree records ${total}`);
  return { ok: true, entries: Number(size), checkpoints: matched };
}

/** The row's leaf hash recomputed, or null when an edit left it with no valid encoding (a negative partition). */
function leafHashOf(row: LogRow): Buffer | null {
  try {
    return entryLeafHash(entryOfRow(row));
  } catch {
    return null;
  }
}

/** Why a stored checkpoint cannot be trusted, or null. */
function checkpointProblem(c: CheckpointRow, publicKey: KeyObject | null): string | null {
  let parsed;
  try {
    parsed = parseCheckpoint(c.body);
  } catch (error) {
    return `its body is malformed (${(error as Error).message})`;
  }
  if (String(parsed.treeSize) !== c.tree_size || !parsed.rootHash.equals(c.root_hash)) {
    return 'its body names another size or root than its row';
  }
  if (publicKey && !verifyCheckpoint(c.body, c.signature, publicKey)) return 'its signature does not verify';
  return null;
}
