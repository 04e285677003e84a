type Stat = { count: number; p50: number; p95: number; p99: number; max: number };
type Cpu = { machine: number; other: number; parts: Record<string, number> };

/** What the phases measured, for the summary. */
export interface BenchResult {
  pgVersion?: string;
  avgEventBytes?: number;
  intake?: {
    accepted: number;
    duplicate: number;
    rejected: number;
    retriedDuplicates: number;
    total: number;
    ms: number;
    rate: number;
  };
  intakeRefused?: number;
  intakeCpu?: Cpu;
  e2eCpu?: Cpu;
  latencyCpu?: Cpu;
  e2e?: {
    ms: number;
    rate: number;
    lastReferralMs: number;
    pollMs: number;
    pollRate: number;
    auditMs: number;
    auditPollMs: number;
  };
  verify?: { ok: boolean };
  latency?: Stat;
  applied?: Stat;
  latencyRefused?: number;
  memory?: {
    app: string;
    pid: number;
    hwm: number;
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
  }[];
  broker?: { records: number; rate: number; mbps: number; avgMs: number; maxMs: number };
}

export const result: BenchResult = {};
