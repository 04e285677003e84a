import { readFileSync } from 'node:fs';
import { fmt, out, table } from './output';
import type { BenchResult } from './result';
import { services } from './services';

/** Peak and current resident memory of every service, from /proc. */
export function memoryPhase(result: BenchResult): void {
  out('\n== 3. Memory per service (/proc/<pid>/status after all phases)');
  result.memory = [];
  for (const svc of services.values()) {
    const status = readFileSync(`/proc/${svc.proc.pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    result.memory.push({ app: svc.app, pid: svc.proc.pid!, hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 });
  }
  out(
    table(
      result.memory.map((m) => [m.app, m.pid, fmt(m.hwm, 1), fmt(m.rss, 1)]),
      ['service', 'pid', 'peak RSS MB (VmHWM)', 'RSS MB now (VmRSS)'],
    ).replace(/^/gm, '   '),
  );
}
