// A bounded load generator for notebooks: a fixed number of GET requests, at most `concurrency`
// at a time, each timed. It keeps no state between runs; each run has its own connection pool.
import { Agent, request } from 'node:http';

export interface Shot {
  /** 0 when no answer arrived. */
  status: number;
  /** The x-served-by header: which server answered (none when the LB answered itself). */
  servedBy?: string;
  /** When the answer (or the failure) arrived, on performance.now()'s clock. */
  at: number;
  ms: number;
}

export interface LoadOptions {
  requests: number;
  concurrency: number;
  /** Default /products. */
  path?: string;
  /** Gives up on one request after this long (status 0). Default 5000 ms. */
  timeoutMs?: number;
  /** Called after each answer with how many have arrived so far: a hook to inject a fault. */
  onAnswer?: (done: number) => void;
  /** Sends nothing more once this returns true (`requests` is then only the most it sends). */
  stopWhen?: () => boolean;
}

// #region send-load
/** `concurrency` workers, each sending its next request as soon as its last one is answered. */
export async function sendLoad(url: string, options: LoadOptions): Promise<Shot[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const shots: Shot[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < options.requests && !options.stopWhen?.()) {
      sent += 1;
      shots.push(await shoot(url + (options.path ?? '/products'), agent, options.timeoutMs));
      options.onAnswer?.(shots.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return shots;
}
// #endregion send-load

function shoot(url: string, agent: Agent, timeoutMs = 5000): Promise<Shot> {
  const t0 = performance.now();
  const done = (status: number, servedBy?: string): Shot => {
    const at = performance.now();
    return { status, servedBy, at, ms: at - t0 };
  };
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      const servedBy = res.headers['x-served-by'];
      const server = typeof servedBy === 'string' ? servedBy : undefined;
      res.once('end', () => resolve(done(res.statusCode ?? 0, server)));
      res.once('error', () => resolve(done(0)));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once('error', () => resolve(done(0)));
    req.end();
  });
}

/** The p-th percentile (0–100) by nearest rank: the smallest value with p% of values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** What a table shows of one load: latency percentiles (ms) and throughput over `seconds`. */
export function latencyFigures(shots: readonly Shot[], seconds: number) {
  const ms = shots.map((s) => s.ms);
  return {
    p50: percentile(ms, 50),
    p90: percentile(ms, 90),
    p99: percentile(ms, 99),
    perSecond: shots.length / seconds,
  };
}

/** How many shots each server answered; failures the LB answered itself count under `lb`. */
export function countByServer(shots: readonly Shot[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const shot of shots) {
    const key = shot.servedBy ?? (shot.status === 0 ? 'no answer' : 'lb');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
