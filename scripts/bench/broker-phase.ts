import { spawn } from 'node:child_process';
import type { Kafka } from 'kafkajs';
import { onCleanup } from './cleanup';
import { fmt, note, out, PhaseError } from './output';
import type { BenchResult } from './result';
import { cfg, namespace, ROOT } from './settings';

function runCommand(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new PhaseError(`${args.slice(0, 3).join(' ')} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    onCleanup(() => child.kill('SIGTERM'));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.once('error', reject);
  });
}

/** Kafka's own ProducerPerformance on the same broker: the ceiling the pipeline works under. */
export async function brokerPhase(result: BenchResult, kafka: Kafka): Promise<void> {
  if (cfg.perfRecords === 0) {
    out('\n== 4. Broker ceiling: skipped (BENCH_PERF_RECORDS=0)');
    return;
  }
  const topic = `${namespace}perf`;
  const recordSize = result.avgEventBytes ?? 500;
  out(
    `\n== 4. Broker ceiling: Kafka ProducerPerformance, ${fmt(cfg.perfRecords)} records of ${recordSize} bytes (our average intake event), acks=all, 3 partitions`,
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    const res = await runCommand(
      'bash',
      [
        'scripts/kafka.sh',
        'run',
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(cfg.perfRecords),
        '--record-size',
        String(recordSize),
        '--throughput',
        '-1',
        '--bootstrap-server',
        cfg.brokers.join(','),
        '--command-property',
        'acks=all',
      ],
      600_000,
    );
    const final = [
      ...res.stdout.matchAll(
        /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency.*$/gm,
      ),
    ].pop();
    if (res.code !== 0 || !final) {
      throw new PhaseError(
        `ProducerPerformance failed (exit ${res.code}):\n${(res.stderr || res.stdout).trim().split('\n').slice(-15).join('\n')}`,
      );
    }
    result.broker = {
      records: Number(final[1]),
      rate: Number(final[2]),
      mbps: Number(final[3]),
      avgMs: Number(final[4]),
      maxMs: Number(final[5]),
    };
    out(`   ${final[0]}`);
    out(`   => ${fmt(result.broker.rate)} records/s, ${fmt(result.broker.mbps, 2)} MB/s`);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch((e: Error) => note(`could not delete ${topic}: ${e.message}`));
    await admin.disconnect();
  }
}

/** Deletes the run's topics and consumer groups (unless BENCH_KEEP_DB=1). */
export async function deleteNamespace(kafka: Kafka): Promise<void> {
  if (cfg.keep) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(namespace));
    if (groups.length) await admin.deleteGroups(groups).catch(() => {});
    note(`deleted ${topics.length} topics and ${groups.length} consumer groups of namespace ${namespace}`);
  } finally {
    await admin.disconnect();
  }
}
