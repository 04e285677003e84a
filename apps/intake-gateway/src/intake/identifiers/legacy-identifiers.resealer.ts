import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonKeyring } from '@ruta/keyring';
import { describeError } from '@ruta/persistence';
import { DataSource } from 'typeorm';
import { IdentifierVault } from './identifier-vault';
import { resealLegacyIdentifiers } from './legacy-identifiers';

/** Rows per transaction: short transactions, bounded memory. */
const BATCH = 500;

/**
 * Once after start, re-seals every direct identifier still sealed with the master key with its
 * person's data key (see resealLegacyIdentifiers), in batches; replicas share the work (SKIP
 * LOCKED). When it has run, backups taken afterwards hold no identifier the master key alone opens.
 * A failure is logged and left to the next start; nothing is lost by waiting.
 */
@Injectable()
export class LegacyIdentifiersResealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LegacyIdentifiersResealer.name);
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: IdentifierVault,
    private readonly keyring: PersonKeyring,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.vault.enabled) return;
    this.running = this.runOnce().catch((error: unknown) =>
      this.logger.warn(`re-sealing identifiers failed, retried at the next start: ${describeError(error)}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Every legacy row once; how many were re-sealed. */
  async runOnce(): Promise<number> {
    let after = '';
    let total = 0;
    while (!this.stopping) {
      const report = await this.dataSource.transaction((manager) =>
        resealLegacyIdentifiers(manager, this.vault, this.keyring, { after, limit: BATCH }),
      );
      total += report.resealed;
      if (report.last === undefined) break;
      after = report.last;
    }
    if (total > 0) this.logger.log(`re-sealed ${total} direct identifier record(s) with their person's key`);
    return total;
  }
}
