import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessagingService } from '@ruta/messaging';
import { describeError } from '@ruta/persistence';
import { readConfig } from '@ruta/platform';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Clock } from '../domain/lifecycle/clock';
import { SLA_MS } from '../domain/lifecycle/sla';
import { SECTOR_CONFIG, type SectorConfig } from '../sector.config';
import { SECTOR_CLOCK } from '../sector-clock';
import { SlaConfig } from './sla.config';
import type { RaisedBreach } from './sla-messages';
import { SlaScanStore } from './sla-scan.store';

/** Breaches per transaction: short locks, a bounded outbox insert; a scan runs batches until none is full. */
export const SLA_SCAN_BATCH = 500;
/**
 * How far back a scheduler's first scan looks for clocks stopped after their deadline: the longest
 * SLA, so a service down for up to that long still raises what it missed.
 */
const FIRST_LOOK_BACK_MS = Math.max(...Object.values(SLA_MS).map((sla) => sla.complete));
/** Each later scan looks back to the previous one, less this: writes still in flight then, other replicas' clocks. */
const SETTLE_MARGIN_MS = 5 * 60_000;

const breaches = new Counter({
  name: 'ruta_sla_breaches_total',
  help: 'referral.sla-breached events raised, by sector and deadline (acknowledge, complete)',
  labelNames: ['sector', 'kind'],
});

/**
 * Every RUTA_SLA_SCAN_INTERVAL_SECONDS, raises referral.sla-breached for each deadline missed since
 * the last scan. Every replica scans; the store makes each breach raised once whoever gets there first.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SlaScheduler.name);
  private readonly intervalMs = readConfig(SlaConfig).RUTA_SLA_SCAN_INTERVAL_SECONDS * 1000;
  private readonly store: SlaScanStore;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  /** Where the next scan's look for late-stopped clocks starts; unset until a scan completes. */
  private settledSince?: Date;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingService,
  ) {
    this.store = new SlaScanStore(dataSource, config.schema, config.sector);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running ??= this.scanLogged().finally(() => (this.running = undefined));
      this.timer = setTimeout(tick, this.intervalMs).unref();
    };
    this.timer = setTimeout(tick, this.intervalMs).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Raises every breach due by `now` (the clock's time unless given), batch after batch; answers what it raised. */
  async scan(now: Date = this.clock.now()): Promise<RaisedBreach[]> {
    const raised: RaisedBreach[] = [];
    const settledSince = this.settledSince ?? new Date(now.getTime() - FIRST_LOOK_BACK_MS);
    for (;;) {
      const batch = await this.store.raiseBatch(now, SLA_SCAN_BATCH, settledSince);
      for (const breach of batch.raised) breaches.inc({ sector: this.config.sector, kind: breach.kind });
      raised.push(...batch.raised);
      if (batch.raised.length > 0) this.messaging.relay.wake();
      if (this.stopped) return raised;
      if (!batch.full) break;
    }
    this.settledSince = new Date(now.getTime() - SETTLE_MARGIN_MS);
    return raised;
  }

  /** One timed scan; a failure is logged (no personal data) and left to the next one: a breach waits, never lost. */
  private async scanLogged(): Promise<void> {
    try {
      const raised = await this.scan();
      if (raised.length > 0) this.logger.log(`SLA scan: raised ${raised.length} breaches in ${this.config.sector}`);
    } catch (error) {
      this.logger.warn(`SLA scan failed, retried next interval: ${describeError(error)}`);
    }
  }
}
