import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { out, secs, sleep, table } from './output';
import { services } from './services';
import { ROOT } from './settings';

const CLK_TCK = 100; // USER_HZ on Linux
let kafkaPid: number | undefined;

/** Machine busy time and every process's CPU ticks, from /proc. */
export interface CpuSample {
  at: number;
  busy: number;
  procs: Map<number, { comm: string; ticks: number }>;
}

export function cpuSample(): CpuSample {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const busy = total - f[3]! - (f[4] ?? 0);
  const procs: CpuSample['procs'] = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const rest = stat.slice(close + 2).split(' ');
      procs.set(Number(d), { comm, ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return { at: performance.now(), busy, procs };
}

function classify(pid: number, comm: string): string | null {
  for (const svc of services.values()) if (svc.proc.pid === pid) return svc.app;
  if (pid === process.pid) return 'bench client';
  if (comm === 'postgres') return 'postgresql';
  if (kafkaPid === undefined) {
    try {
      kafkaPid = Number(readFileSync(path.join(ROOT, '.local', 'kafka', 'kafka.pid'), 'utf8').trim());
    } catch {
      kafkaPid = 0;
    }
  }
  if (pid === kafkaPid) return 'kafka broker';
  return null;
}

/** Prints the average cores each part used since `start`: shows the bottleneck and any outside load. */
export function cpuReport(label: string, start: CpuSample) {
  const end = cpuSample();
  const seconds = (end.at - start.at) / 1000;
  const cores = os.cpus().length;
  const used = new Map<string, number>();
  let classified = 0;
  for (const [pid, p] of end.procs) {
    const who = classify(pid, p.comm);
    if (!who) continue;
    const before = start.procs.get(pid);
    const ticks = before && before.comm === p.comm ? p.ticks - before.ticks : p.ticks;
    used.set(who, (used.get(who) ?? 0) + ticks);
    classified += ticks;
  }
  const machine = (end.busy - start.busy) / CLK_TCK / seconds;
  const parts: [string, number][] = [...used].map(([who, ticks]) => [who, ticks / CLK_TCK / seconds]);
  const other = Math.max(0, machine - classified / CLK_TCK / seconds);
  parts.push(['everything else on the machine', other]);
  out(
    `   CPU during ${label} (${secs(seconds * 1000)}, average cores busy; machine ${machine.toFixed(2)} of ${cores}): ` +
      parts
        .filter(([, c]) => c >= 0.005)
        .map(([who, c]) => `${who} ${c.toFixed(2)}`)
        .join(', '),
  );
  return { machine, other, parts: Object.fromEntries(parts) };
}

// ----------------------------------------------------------------------------- CPU profiles ---

export async function profile(step: 'start' | 'stop'): Promise<void> {
  const profiled = [...services.values()].filter((s) => s.profiled);
  for (const svc of profiled) writeFileSync(`${svc.profFile}.control`, step);
  if (step !== 'stop') return;
  const deadline = Date.now() + 30_000;
  for (const svc of profiled) {
    while (!existsSync(svc.profFile) && Date.now() < deadline) await sleep(200);
  }
}

export function summariseProfiles(): void {
  for (const svc of [...services.values()].filter((s) => s.profiled)) {
    if (!existsSync(svc.profFile)) {
      out(`\n   ${svc.app}: no CPU profile written`);
      continue;
    }
    const prof = JSON.parse(readFileSync(svc.profFile, 'utf8'));
    const byId = new Map<number, any>(prof.nodes.map((n: any) => [n.id, n]));
    const deltas = prof.timeDeltas ?? [];
    const self = new Map<string, number>();
    const byPkg = new Map<string, number>();
    let totalUs = 0;
    prof.samples.forEach((id: number, i: number) => {
      const n = byId.get(id);
      const us = deltas[i + 1] ?? deltas[i] ?? 0;
      totalUs += us;
      const cf = n.callFrame;
      const file = cf.url ? cf.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '') : '';
      const key = `${cf.functionName || '(anonymous)'} ${file ? `${file}:${cf.lineNumber + 1}` : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + us);
      const pkg = file.includes('node_modules/')
        ? file
            .split('node_modules/')
            .pop()
            .split('/')
            .slice(0, file.split('node_modules/').pop().startsWith('@') ? 2 : 1)
            .join('/')
        : file.startsWith('dist/')
          ? `ruta ${file.split('/').slice(1, 3).join('/')}`
          : file.startsWith('node:') || (!file.startsWith('/') && file)
            ? 'node internals'
            : cf.functionName.startsWith('(')
              ? cf.functionName
              : 'native/other';
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    });
    const top = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, us]) => [k.length > 90 ? `${k.slice(0, 87)}...` : k, `${((100 * us) / totalUs).toFixed(1)}%`]);
    out(
      `\n   CPU profile of ${svc.app} during the throughput phase (${secs(totalUs / 1000)} sampled, ${path.relative(ROOT, svc.profFile)})`,
    );
    out(table(top(byPkg, 10), ['self time by package', 'share']).replace(/^/gm, '   '));
    out(table(top(self, 15), ['top frames by self time', 'share']).replace(/^/gm, '   '));
  }
}
