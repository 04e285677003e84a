import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { describeError } from '@ruta/persistence';
import { readConfig } from '@ruta/platform';
import { Counter, Gauge } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_SCHEMA } from '../audit.constants';
import { formatCheckpoint, signCheckpoint } from '../merkle';
import { AuditLogKeys } from './audit-log.keys';
import { AuditLogConfig } from './audit-log.config';
import { LogAppender, type Appended } from './log-appender';
import type { Arrival } from './log-entry.mapping';

const appendedTotal = new Counter({ name: 'ruta_audit_log_appended_total', help: 'entries appended to the audit log' });
const logSize = new Gauge({ name: 'ruta_audit_log_size', help: 'entries in the audit log (its Merkle tree size)' });
const checkpointsTotal = new Counter({ name: 'ruta_audit_checkpoints_total', help: 'signed checkpoints taken' });

/**
 * The one way into the audit log: appends (in the caller's transaction) and signed checkpoints,
 * every RUTA_AUDIT_CHECKPOINT_ENTRIES entries within the append that reaches them, and every
 * RUTA_AUDIT_CHECKPOINT_SECONDS from a timer when entries arrived since the last one.
 */
@Injectable()
export class AuditLogWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditLogWriter.name);
  private readonly config = readConfig(AuditLogConfig);
  private readonly appender = new LogAppender();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditLogKeys,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.keys.privateKey) {
      this.logger.warn('RUTA_AUDIT_SIGNING_KEY is not set: the audit log is kept but no checkpoint is signed');
      return;
    }
    const intervalMs = this.config.RUTA_AUDIT_CHECKPOINT_SECONDS * 1000;
    const tick = () => {
      this.running ??= this.checkpointLogged().finally(() => (this.running = undefined));
      this.timer = setTimeout(tick, intervalMs).unref();
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  /** Appends the arrivals not logged yet; signs a checkpoint when the append reaches the next multiple of the entries setting. */
  async append(manager: EntityManager, arrivals: Arrival[], now = new Date()): Promise<Appended> {
    const appended = await this.appender.append(manager, arrivals, now);
    const every = BigInt(this.config.RUTA_AUDIT_CHECKPOINT_ENTRIES);
    if (appended.count > 0 && appended.size / every > appended.from / every) {
      await this.sign(manager, appended.size, appended.root, now);
    }
    if (appended.count > 0) {
      appendedTotal.inc(appended.count);
      logSize.set(Number(appended.size));
    }
    return appended;
  }

  /** Signs the tree as it stands when entries arrived since the last checkpoint; answers whether it signed. */
  async checkpoint(now = new Date()): Promise<boolean> {
    if (!this.keys.privateKey) return false;
    return this.dataSource.transaction(async (manager) => {
      const head = await this.appender.lockedHead(manager);
      const [last]: { size: string | null }[] = await manager.query(
        `SELECT max(tree_size)::text AS size FROM ${AUDIT_SCHEMA}.checkpoints`,
      );
      if (head.size === 0n || BigInt(last?.size ?? '0') >= head.size) return false;
      await this.sign(manager, head.size, head.root, now);
      return true;
    });
  }

  private async sign(manager: EntityManager, size: bigint, root: Buffer, now: Date): Promise<void> {
    const key = this.keys.privateKey;
    if (!key) return;
    const body = formatCheckpoint({
      origin: this.config.RUTA_AUDIT_LOG_ORIGIN,
      treeSize: Number(size),
      rootHash: root,
      time: now,
    });
    await manager.query(
      `INSERT INTO ${AUDIT_SCHEMA}.checkpoints (tree_size, root_hash, body, signature, key_id, signed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tree_size) DO NOTHING`,
      [String(size), root, body, signCheckpoint(body, key), this.keys.keyId, now],
    );
    checkpointsTotal.inc();
  }

  private async checkpointLogged(): Promise<void> {
    try {
      await this.checkpoint();
    } catch (error) {
      this.logger.warn(`audit checkpoint failed, retried next interval: ${describeError(error)}`);
    }
  }
}
