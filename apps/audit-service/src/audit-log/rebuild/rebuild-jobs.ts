import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Sector } from '@ruta/contracts';
import type { DataSource } from 'typeorm';
import { rebuildSector, type RebuildProgress } from './rebuild';
import { RebuildJobsStore, STALE_AFTER_SECONDS, type RebuildJob } from './rebuild-jobs.store';
import { sqlOf } from '@ruta/persistence';

/** Progress reaches the job's row at most this often. */
const PROGRESS_EVERY_MS = 1000;

class Interrupted extends Error {}

/**
 * Runs rebuild jobs in this process, in the background of the request that started them, and keeps
 * their progress and report in audit.rebuild_jobs. A job's heartbeat is written while it runs (also
 * through the long write and diff statements), so another replica can tell it alive; a shutdown
 * stops a job at its next window and marks it interrupted.
 */
@Injectable()
export class RebuildJobs implements OnModuleDestroy {
  private readonly logger = new Logger(RebuildJobs.name);
  private readonly store: RebuildJobsStore;
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.store = new RebuildJobsStore(dataSource);
  }

  /** The new job's id, or undefined while another job of the sector runs. */
  async start(sector: Sector, requestedBy: string): Promise<string | undefined> {
    const id = randomUUID();
    if (!(await this.store.start(id, sector, requestedBy))) return undefined;
    const run = this.run(id, sector).finally(() => this.running.delete(run));
    this.running.add(run);
    return id;
  }

  get(id: string): Promise<RebuildJob | undefined> {
    return this.store.get(id);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async run(id: string, sector: Sector): Promise<void> {
    const beat = setInterval(
      () => void this.store.heartbeat(id).catch(() => undefined),
      (STALE_AFTER_SECONDS * 1000) / 6,
    );
    let last = 0;
    const onProgress = async (progress: RebuildProgress) => {
      if (this.stopping) throw new Interrupted();
      if (Date.now() - last < PROGRESS_EVERY_MS && progress.phase === 'replay') return;
      last = Date.now();
      await this.store.progress(id, progress);
    };
    try {
      const result = await rebuildSector(sqlOf(this.dataSource), {
        sector,
        jobId: id,
        onProgress,
      });
      await this.store.finish(id, result);
      this.logger.log(`rebuild ${id} of ${sector}: ${result.differences} differences`);
    } catch (error) {
      const interrupted = error instanceof Interrupted;
      // The error's text may quote SQL or values: only its class is logged.
      this.logger.error(
        `rebuild ${id} of ${sector} ${interrupted ? 'interrupted' : 'failed'} (${(error as Error).name})`,
      );
      await this.store.fail(id, interrupted ? 'interrupted' : 'error').catch(() => undefined);
    } finally {
      clearInterval(beat);
    }
  }
}
