import { Counter } from 'prom-client';
import type { DataSource, QueryRunner } from 'typeorm';

/** One bookkeeping table's rule: deletes at most `limit` expired rows and answers how many went. */
export interface RetentionTask {
  table: string;
  deleteChunk(runner: QueryRunner, schema: string, limit: number): Promise<number>;
}

export interface RetentionJobOptions {
  /** Rows deleted per statement: short transactions, short locks, vacuum keeps up. */
  chunkSize?: number;
  /** Statements per table per run; the next run carries on with the rest. */
  maxChunks?: number;
}

const deletedRows = new Counter({
  name: 'ruta_retention_deleted_rows_total',
  help: 'Bookkeeping rows deleted by the retention job, past their retention window',
  labelNames: ['schema', 'table'],
});

/**
 * Deletes a schema's expired bookkeeping rows in bounded chunks, each its own transaction. One
 * replica at a time: it holds a session advisory lock for the run, and others skip theirs.
 */
export class RetentionJob {
  private readonly tasks: RetentionTask[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly options: RetentionJobOptions = {},
  ) {}

  addTask(task: RetentionTask): void {
    this.tasks.push(task);
  }

  /** Runs every task once; rows deleted by table, or undefined when another replica holds the run. */
  async runOnce(): Promise<Record<string, number> | undefined> {
    const chunkSize = this.options.chunkSize ?? 5_000;
    const maxChunks = this.options.maxChunks ?? 200;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ held }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [this.lockName]);
      if (!held) return undefined;
      try {
        const deleted: Record<string, number> = {};
        for (const task of this.tasks) {
          deleted[task.table] = 0;
          for (let chunk = 0; chunk < maxChunks; chunk++) {
            const rows = await task.deleteChunk(runner, this.schema, chunkSize);
            deleted[task.table] += rows;
            deletedRows.inc({ schema: this.schema, table: task.table }, rows);
            if (rows < chunkSize) break;
          }
        }
        return deleted;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName]);
      }
    } finally {
      await runner.release();
    }
  }

  private get lockName(): string {
    return `ruta.retention.${this.schema}`;
  }
}
