import { readFileSync } from 'node:fs';
import { opsAuthorization } from './auth';
import { fmt, out, table } from './output';
import type { BenchResult } from './result';
import { services, type Service } from './services';

/** prom-client's default process metrics that say where resident memory goes, in MB. */
const HEAP_METRICS = {
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
} as const;

type Heap = Record<keyof typeof HEAP_METRICS, number>;

/** The service's own account of its heap (its /metrics), or NaNs when it does not answer. */
async function heapOf(svc: Service): Promise<Heap> {
  let text = '';
  try {
    const res = await fetch(`http://127.0.0.1:${svc.port}/metrics`, {
      headers: { authorization: opsAuthorization() },
      signal: AbortSignal.timeout(3000),
    });
    if (res.ok) text = await res.text();
  } catch {
    // a service that does not answer shows n/a; /proc still gives its resident memory
  }
  const mb = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsed: mb(HEAP_METRICS.heapUsed),
    heapTotal: mb(HEAP_METRICS.heapTotal),
    external: mb(HEAP_METRICS.external),
  };
}

/** Peak and current resident memory of every service, from /proc, beside the V8 heap each reports. */
export async function memoryPhase(result: BenchResult): Promise<void> {
  out('\n== 3. Memory per service (/proc/<pid>/status and /metrics after all phases)');
  result.memory = [];
  for (const svc of services.values()) {
    const status = readFileSync(`/proc/${svc.proc.pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    result.memory.push({
      app: svc.app,
      pid: svc.proc.pid!,
      hwm: kb('VmHWM') / 1024,
      rss: kb('VmRSS') / 1024,
      ...(await heapOf(svc)),
    });
  }
  const mb = (n: number) => (Number.isNaN(n) ? 'n/a' : fmt(n, 1));
  out(
    table(
      result.memory.map((m) => [m.app, m.pid, mb(m.hwm), mb(m.rss), mb(m.heapUsed), mb(m.heapTotal), mb(m.external)]),
      ['service', 'pid', 'peak RSS MB (VmHWM)', 'RSS MB now', 'heap used MB', 'heap total MB', 'external MB'],
    ).replace(/^/gm, '   '),
  );
}
