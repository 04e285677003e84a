import http from 'node:http';
import { intakeAuthorization } from './auth';
import { PhaseError, sleep } from './output';
import { services } from './services';

export const intakeUrl = () => `http://127.0.0.1:${services.get('intake-gateway')!.port}/v1/intake`;

// node:http with a keep-alive agent: cheaper per request than fetch, which matters on 2 shared cores.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export interface Answer {
  status: number;
  json: any;
  text: string;
  retryAfter?: string;
}

export function postJson(
  url: string,
  body: string,
  contentType = 'application/json',
  timeoutMs = 60_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          authorization: intakeAuthorization(),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, json, text, retryAfter: res.headers['retry-after'] });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const stats = { retries: 0, throttled: 0, errors: [] as string[], refusedKinds: new Map<string, number>() };

/** Posts one batch, retrying on 429 (after Retry-After), 5xx and network errors; returns per-status counts. */
export async function postBatch(
  events: { id: string; type: string }[],
  body: string,
): Promise<{ accepted: number; duplicate: number; rejected: number; retried: boolean }> {
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    try {
      const res = await postJson(`${intakeUrl()}/events:batch`, body);
      if (res.status === 200 && res.json?.results) {
        const counts = { accepted: 0, duplicate: 0, rejected: 0 };
        res.json.results.forEach(
          (r: { status: keyof typeof counts; id?: string; errors?: { field: string }[] }, i: number) => {
            counts[r.status]++;
            if (r.status === 'rejected') countRefusal(events[i]!.type, r.errors);
            if (r.id !== undefined && r.id !== events[i]!.id) {
              throw new PhaseError(`batch result ${i} names ${r.id} but the event sent there was ${events[i]!.id}`);
            }
          },
        );
        if (res.json.results.length !== events.length) {
          throw new PhaseError(`batch of ${events.length} answered with ${res.json.results.length} results`);
        }
        // Duplicates on a retry are events a lost answer had accepted.
        return { ...counts, retried: attempt > 1 };
      }
      if (res.status === 404)
        throw new PhaseError('POST /v1/intake/events:batch answered 404: the batch endpoint is missing');
      if (res.status === 413) throw new PhaseError(`batch answered 413 (too large): ${res.text.slice(0, 300)}`);
      if (res.status === 429) {
        stats.throttled++;
        await sleep(Math.max(100, Number(res.retryAfter ?? 1) * 1000));
        continue;
      }
      if (res.status >= 400 && res.status < 500)
        throw new PhaseError(`batch answered ${res.status}: ${res.text.slice(0, 500)}`);
      reason = `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
    } catch (error) {
      if (error instanceof PhaseError) throw error;
      reason = (error as Error).message;
    }
    if (attempt >= 5) throw new PhaseError(`batch failed 5 times, last: ${reason}`);
    stats.retries++;
    if (stats.errors.length < 5) stats.errors.push(reason);
    await sleep(500 * attempt);
  }
}

/** Events the gateway refused since the last call, by type and field (contract paths, never content). */
export function refusals(): string {
  const text = [...stats.refusedKinds].map(([k, n]) => `${k} x${n}`).join('; ');
  stats.refusedKinds.clear();
  return text;
}

/** Counts a refusal under its type and fields, list positions folded (members.3.relationship -> members.N.relationship). */
export function countRefusal(type: string, errors: { field: string }[] = []): void {
  const fields = [...new Set(errors.map((x) => String(x.field).replace(/\.\d+\./g, '.N.')))].join(', ');
  const kind = `${type}: ${fields}`;
  stats.refusedKinds.set(kind, (stats.refusedKinds.get(kind) ?? 0) + 1);
}
