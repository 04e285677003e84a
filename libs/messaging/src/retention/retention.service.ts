import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readConfig, RetentionConfig } from '@ruta/platform';
import { describeError } from '@ruta/persistence';
import { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.service';
import { inboxRetention } from './inbox-retention';
import { RetentionJob, type RetentionTask } from './retention.job';

/** The first run waits this long after start: the boot belongs to the consumers. */
const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Runs the service's retention job every RUTA_RETENTION_INTERVAL_MINUTES: the inbox of its schema
 * (when it has one) and any table other modules add (a sector's decisions).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly config = readConfig(RetentionConfig);
  readonly job: RetentionJob;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.job = new RetentionJob(dataSource, options.schema);
  }

  /** The retention window of decisions, for the module that adds them. */
  get decisionRetentionDays(): number {
    return this.config.RUTA_DECISION_RETENTION_DAYS;
  }

  addTask(task: RetentionTask): void {
    this.job.addTask(task);
  }

  async onApplicationBootstrap(): Promise<void> {
    const [{ inbox }] = await this.dataSource.query('SELECT to_regclass($1) IS NOT NULL AS inbox', [
      `"${this.options.schema}".inbox`,
    ]);
    if (inbox) this.job.addTask(inboxRetention(this.config.RUTA_INBOX_RETENTION_DAYS));
    const every = this.config.RUTA_RETENTION_INTERVAL_MINUTES * 60_000;
    const tick = () => {
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
      this.timer = setTimeout(tick, every).unref();
    };
    this.timer = setTimeout(tick, Math.min(FIRST_RUN_DELAY_MS, every)).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  /** One run; a failure is logged and left to the next run (nothing is lost by waiting). */
  async runOnce(): Promise<Record<string, number> | undefined> {
    try {
      const deleted = await this.job.runOnce();
      const total = Object.values(deleted ?? {}).reduce((a, b) => a + b, 0);
      if (total > 0) this.logger.log(`retention: deleted ${JSON.stringify(deleted)} in ${this.options.schema}`);
      return deleted;
    } catch (error) {
      this.logger.warn(`retention run failed, retried next interval: ${describeError(error)}`);
      return undefined;
    }
  }
}
