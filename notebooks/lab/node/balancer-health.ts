// The balancer's active health checks: every `intervalMs` it asks each backend for GET `path`, and
// a backend changes state only after `fall` failed checks in a row (up → down) or `rise` passed
// ones (down → up), HAProxy's names and defaults. State lives here, per backend: its verdict
// (`backend.healthy`, which the policies read) and the run of results that disagree with it.
import { request, type ClientRequest } from 'node:http';
import type { Backend } from '../core/policies';

export interface HealthCheckOptions {
  /** Default '/health'. */
  path?: string;
  /** The pause between the end of one check of a backend and the start of the next. */
  intervalMs?: number;
  /** A check with no 2xx answer within this long has failed. */
  timeoutMs?: number;
  /** Failed checks in a row that take a backend out of rotation. */
  fall?: number;
  /** Passed checks in a row that put it back. */
  rise?: number;
}

export const HEALTH_CHECK_DEFAULTS: Required<HealthCheckOptions> = {
  path: '/health',
  intervalMs: 200,
  timeoutMs: 500,
  fall: 3,
  rise: 2,
};

/** The defaults, overridden by every setting `given` defines. */
export function healthSettings(given: HealthCheckOptions = {}): Required<HealthCheckOptions> {
  const defined = Object.entries(given).filter(([, value]) => value !== undefined);
  return { ...HEALTH_CHECK_DEFAULTS, ...Object.fromEntries(defined) };
}

/** One finished check, as the balancer saw it: what an experiment records to show *why* a verdict
 *  changed (which check, after how many failures in a row), not only when. */
export interface CheckResult {
  backend: string;
  /** When the probe was sent and when its result was recorded, on performance.now()'s clock. */
  startedAt: number;
  endedAt: number;
  passed: boolean;
  /** The verdict after this check: in rotation or not. */
  healthy: boolean;
}

/** What the checks know of one backend. */
export interface Checked {
  readonly backend: Backend;
  readonly url: URL;
  /** Checks in a row whose result disagrees with `backend.healthy`. */
  against: number;
  /** False until the backend passes its first check. */
  seenUp: boolean;
}

// #region fall-rise
/**
 * Applies one check's result. One failed check is not enough to take a backend out: under load a
 * healthy server can miss one (a pause, a busy moment), and with every backend's check missed at
 * once the balancer would turn every user away. A backend that failed must pass `rise` checks
 * before it comes back, so one that fails on and off does not flap in and out. A new backend
 * starts down and needs one passed check, as an AWS load balancer's newly registered target does.
 */
export function recordCheck(
  checked: Checked,
  passed: boolean,
  limits: { fall: number; rise: number },
): void {
  const { backend } = checked;
  if (passed === backend.healthy) {
    checked.against = 0; // the run is broken: the verdict stands
    return;
  }
  checked.against += 1;
  const needed = backend.healthy ? limits.fall : checked.seenUp ? limits.rise : 1;
  if (checked.against < needed) return;
  backend.healthy = passed;
  checked.against = 0;
  if (passed) checked.seenUp = true;
}
// #endregion fall-rise

/**
 * Checks backends one at a time each, on their own schedule, until stop(). `onResult` hears of
 * every check the moment its result is recorded, so a verdict it reports is the one in force.
 */
export function healthChecker(
  settings: Required<HealthCheckOptions>,
  onResult: (result: CheckResult) => void = () => {},
) {
  const under = new Map<Checked, Promise<void>>(); // the check of a backend under way, if any
  const probes = new Set<ClientRequest>();
  const timers = new Map<Checked, NodeJS.Timeout>();
  let stopped = false;

  /** Checks `checked` now (or joins the check under way) and records the result. */
  const check = (checked: Checked): Promise<void> => {
    const running = under.get(checked);
    if (running) return running;
    const startedAt = performance.now();
    const done = probe(checked.url, settings, probes)
      .then((passed) => {
        if (stopped) return;
        recordCheck(checked, passed, settings);
        const { name, healthy } = checked.backend;
        onResult({ backend: name, startedAt, endedAt: performance.now(), passed, healthy });
      })
      .finally(() => under.delete(checked));
    under.set(checked, done);
    return done;
  };

  return {
    check,
    /** Checks `checked` every `intervalMs` for as long as `stillChecked()` says so. */
    schedule(checked: Checked, stillChecked: () => boolean) {
      const next = () => {
        timers.delete(checked);
        if (stopped || !stillChecked()) return;
        void check(checked).then(() => {
          if (!stopped) timers.set(checked, setTimeout(next, settings.intervalMs).unref());
        });
      };
      timers.set(checked, setTimeout(next, settings.intervalMs).unref());
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      for (const req of probes) req.destroy();
    },
  };
}

/** GET the health path; passed means a 2xx answer within the timeout. */
function probe(
  url: URL,
  { path, timeoutMs }: { path: string; timeoutMs: number },
  probes: Set<ClientRequest>,
): Promise<boolean> {
  return new Promise((resolve) => {
    // A fresh connection for every check (agent: false), closed after it, as AWS's checks do.
    const req = request({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    probes.add(req);
    req.once('close', () => probes.delete(req));
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once('error', () => resolve(false)); // refused, reset or timed out: a failed check
    req.end();
  });
}

/** The balancer's health checking as one piece: what a new backend starts as, and its checks. */
export interface HealthWatch {
  /** Whether a backend just added starts in rotation: only when nobody will check it. */
  readonly startsHealthy: boolean;
  /** Checks `checked` now and then every interval, for as long as `stillChecked()` says so. */
  watch(checked: Checked, stillChecked: () => boolean): void;
  /** One check of each, all at once: a balancer starts with an honest view of who is up. */
  firstRound(all: readonly Checked[]): Promise<void>;
  /** Calls `listener` with every check's result from now on; returns a function that stops it. */
  onCheck(listener: (result: CheckResult) => void): () => void;
  stop(): void;
}

/**
 * The health checking `options` ask for: checks with every setting `options` leaves out at its
 * default, or none at all (`false`): then every backend is healthy from the start and stays so.
 */
export function healthWatch(options: HealthCheckOptions | false | undefined): HealthWatch {
  const listeners = new Set<(result: CheckResult) => void>();
  const onCheck = (listener: (result: CheckResult) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  if (options === false) {
    return { startsHealthy: true, watch() {}, firstRound: async () => {}, onCheck, stop() {} };
  }
  const checker = healthChecker(healthSettings(options), (result) => {
    for (const listener of listeners) listener(result);
  });
  return {
    // A new backend starts down and gets traffic once it passes a check.
    startsHealthy: false,
    watch(checked, stillChecked) {
      void checker.check(checked);
      checker.schedule(checked, stillChecked);
    },
    async firstRound(all) {
      await Promise.all(all.map((checked) => checker.check(checked)));
    },
    onCheck,
    stop: () => checker.stop(),
  };
}
