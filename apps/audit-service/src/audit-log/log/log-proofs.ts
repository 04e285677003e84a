import { AUDIT_SCHEMA } from '../audit.constants';
import { consistencyProof, inclusionProof, type LogEntry, type NodeReader, type NodeRef } from '../merkle';
import { entryOfRow, LOG_ROW_COLUMNS, type LogRow } from './log-appender';
import type { Sql } from './log-verifier';

const S = AUDIT_SCHEMA;

/** A signed checkpoint as served: its text and its Ed25519 signature (base64). */
export interface SignedCheckpoint {
  treeSize: string;
  rootHash: string;
  keyId: string;
  body: string;
  signature: string;
}

/** An entry as served with its proof: every field the leaf hash covers, the bytes in base64. */
export type ServedEntry = Omit<LogEntry, 'bytes'> & { bytes: string };

export interface InclusionAnswer {
  entry: ServedEntry;
  leafIndex: string;
  treeSize: string;
  proof: string[];
  checkpoint: SignedCheckpoint;
}

export interface ConsistencyAnswer {
  from: SignedCheckpoint;
  to: SignedCheckpoint;
  proof: string[];
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  body: string;
  signature: Buffer;
  key_id: string;
}

const served = (c: CheckpointRow): SignedCheckpoint => ({
  treeSize: c.tree_size,
  rootHash: c.root_hash.toString('base64'),
  keyId: c.key_id,
  body: c.body,
  signature: c.signature.toString('base64'),
});

/**
 * Checkpoints and proofs from the stored tree: leaf hashes from `audit.log`, every larger complete
 * subtree from `audit.merkle_nodes`, read in one query per proof. Proofs are only given against
 * signed checkpoints: a root nobody signed proves nothing to an auditor.
 */
export class LogProofs {
  constructor(private readonly sql: Sql) {}

  /** The newest checkpoint, or one at exactly `treeSize`; null when there is none. */
  async checkpoint(treeSize?: string): Promise<SignedCheckpoint | null> {
    const rows = await this.sql<CheckpointRow>(
      `SELECT tree_size::text, root_hash, body, signature, key_id FROM ${S}.checkpoints
        WHERE ($1::bigint IS NULL OR tree_size = $1::bigint) ORDER BY checkpoints.tree_size DESC LIMIT 1`,
      [treeSize ?? null],
    );
    return rows[0] ? served(rows[0]) : null;
  }

  /**
   * The inclusion proof of an event in a checkpoint (the newest unless `treeSize` names one):
   * 'no-event' when the log does not hold it, 'no-checkpoint' when no checkpoint (at that size, or
   * covering the event) was signed.
   */
  async inclusion(eventId: string, treeSize?: string): Promise<InclusionAnswer | 'no-event' | 'no-checkpoint'> {
    const [[row], checkpoint] = await Promise.all([
      this.sql<LogRow>(`SELECT ${LOG_ROW_COLUMNS} FROM ${S}.log WHERE event_id = $1 AND leaf_hash IS NOT NULL`, [
        eventId,
      ]),
      this.checkpoint(treeSize),
    ]);
    if (!row) return 'no-event';
    if (!checkpoint || BigInt(checkpoint.treeSize) <= BigInt(row.position)) return 'no-checkpoint';
    const proof = await inclusionProof(Number(row.position), Number(checkpoint.treeSize), this.read);
    const entry = entryOfRow(row);
    return {
      entry: { ...entry, bytes: entry.bytes.toString('base64') },
      leafIndex: row.position,
      treeSize: checkpoint.treeSize,
      proof: proof.map((h) => h.toString('base64')),
      checkpoint,
    };
  }

  /** The consistency proof between two signed checkpoints; null when either size was not checkpointed. */
  async consistency(fromSize: string, toSize: string): Promise<ConsistencyAnswer | null> {
    const [from, to] = await Promise.all([this.checkpoint(fromSize), this.checkpoint(toSize)]);
    if (!from || !to) return null;
    const proof = await consistencyProof(Number(fromSize), Number(toSize), this.read);
    return { from, to, proof: proof.map((h) => h.toString('base64')) };
  }

  /** Complete subtree hashes: level 0 from the log's leaf hashes, the rest from merkle_nodes. */
  private readonly read: NodeReader = async (nodes: NodeRef[]) => {
    const rows = await this.sql<{ i: number; hash: Buffer | null }>(
      `SELECT q.i, COALESCE(l.leaf_hash, m.hash) AS hash
         FROM unnest($1::smallint[], $2::bigint[]) WITH ORDINALITY AS q(level, index, i)
         LEFT JOIN ${S}.log l ON q.level = 0 AND l.position = q.index
         LEFT JOIN ${S}.merkle_nodes m ON q.level > 0 AND m.level = q.level AND m.index = q.index
        ORDER BY q.i`,
      [nodes.map((n) => n.level), nodes.map((n) => String(n.index))],
    );
    return rows.map((r, i) => {
      if (!r.hash) throw new Error(`audit.merkle_nodes: subtree ${nodes[i]!.level}/${nodes[i]!.index} is missing`);
      return r.hash;
    });
  };
}
