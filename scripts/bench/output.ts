/** A phase failure the bench reports without a stack: the message says what went wrong. */
export class PhaseError extends Error {}

export const out = (line = '') => void process.stdout.write(`${line}\n`);
export const note = (line: string) => void process.stderr.write(`bench: ${line}\n`);
export const isTty = Boolean(process.stderr.isTTY);
let progressShown = false;

/** A progress line: rewritten in place on a terminal, one line each time otherwise. */
export function progress(line: string): void {
  if (isTty) {
    process.stderr.write(`\r\x1b[K${line}`);
    progressShown = true;
  } else process.stderr.write(`${line}\n`);
}

export function endProgress(): void {
  if (progressShown) process.stderr.write('\n');
  progressShown = false;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export function table(rows: unknown[][], headers: string[]): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const indent = (text: string) => text.replace(/^/gm, '   ');

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
