// The balancer's counters, per backend: how many requests it routed there, how many failed there
// (the LB answered 502, 503 or 504 for it) and how many it retried elsewhere after they failed
// there. State: the counts, from the start or the last reset.

/** Per backend: requests routed, failed (the LB answered 502, 503 or 504 for it), and retried elsewhere after it failed. */
export type BalancerStats = Record<string, { routed: number; failed: number; retried: number }>;

export function balancerStats() {
  let counts: BalancerStats = {};
  /** The counters of `name`, made at zero the first time. */
  const of = (name: string) => (counts[name] ??= { routed: 0, failed: 0, retried: 0 });
  return {
    of,
    /** A copy: what the counts are now, not a view that keeps changing. */
    snapshot: (): BalancerStats => structuredClone(counts),
    /** Every count back to zero; `names` start with a row of zeros. */
    reset(names: readonly string[]) {
      counts = {};
      for (const name of names) of(name);
    },
  };
}
