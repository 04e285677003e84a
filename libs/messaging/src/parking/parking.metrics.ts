import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { ParkedMessagesStore } from './parked-messages.store';

interface ParkingSource {
  dataSource: DataSource;
  store: ParkedMessagesStore;
  topics: readonly string[];
}

const sources = new Set<ParkingSource>();

/** Read from the table at each scrape: every replica reports what the group has parked, not what it parked. */
export const parkedNow = new Gauge({
  name: 'ruta_consumer_parked_messages',
  help: 'Messages parked by key and waiting for an operator, per consumer group and topic',
  labelNames: ['group', 'topic'],
  async collect() {
    for (const { dataSource, store, topics } of sources) {
      if (!dataSource.isInitialized) continue;
      const counts = await store.counts(dataSource.manager).catch(() => undefined);
      if (!counts) continue; // database away: the last known values stay
      for (const topic of new Set([...topics, ...counts.keys()]))
        this.set({ group: store.group, topic }, counts.get(topic) ?? 0);
    }
  },
});

export const parkedTotal = new Counter({
  name: 'ruta_consumer_parked_total',
  help: 'Messages parked (a failing one, or one behind it with the same key), per consumer group, topic and code',
  labelNames: ['group', 'topic', 'code'],
});

/** Makes a consumer's parked messages show in the gauge. */
export function watchParkedMessages(source: ParkingSource): void {
  sources.add(source);
}
