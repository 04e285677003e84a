import { endProgress, note } from './output';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | undefined;

/** Registers work to undo at the end (services, database, topics), run last-registered first. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    endProgress();
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        note(`cleanup: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** Ctrl-C or a kill still stops the services and drops the database. */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      endProgress();
      note(`${signal}: stopping the services and dropping the database ...`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
}
