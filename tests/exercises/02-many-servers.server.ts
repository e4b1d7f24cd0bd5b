// Runs in its own process for the exercise 02 check: real backends and the lab's load balancer
// with the reader's policy. Scenario "mixed": app-1 is down, app-2 is slow (every answer 200 ms
// late), app-3 is fast. Scenario "all-down": all three are down. Prints {"listening":PORT} (the LB).
import { importExercise } from './watchdog';
import { startBalancer } from '../../notebooks/lab/balancer';
import { slow } from '../../notebooks/lab/faults';
import type { Policy } from '../../notebooks/lab/policies';
import { startServer } from '../../notebooks/lab/server';
import type { Handler } from '../../notebooks/lab/shop';

const SLOW_MS = 200;
/** Far beyond any wait a working lb has: these waits end on what happens, not on a clock. */
const NO_CLOCK_MS = 600_000;

/** A backend that answers every request, /health included, with its own name. */
const answerName =
  (name: string): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': name });
    res.end(JSON.stringify({ server: name }));
  };

async function main() {
  const [file, scenario] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const factory = exercise.healthyLeastConnections;
  if (typeof factory !== 'function') {
    throw new Error(`${file} does not export a function named healthyLeastConnections`);
  }
  const policy = factory() as Policy;

  // The down backend comes first in the pool, the slow one before the fast one: a policy that
  // ignores health, or always takes the first idle backend, shows it at once.
  const down = await startServer({ name: 'app-1', app: () => answerName('app-1') });
  const slowOne = await startServer({
    name: 'app-2',
    app: () => slow(answerName('app-2'), SLOW_MS),
  });
  const fast = await startServer({ name: 'app-3', app: () => answerName('app-3') });
  down.kill();
  if (scenario === 'all-down') {
    slowOne.kill();
    fast.kill();
  }
  const lb = await startBalancer({
    backends: [down, slowOne, fast].map((s) => ({ name: s.name, url: s.url })),
    policy,
    // A dead backend refuses the probe at once; a live one answers, however busy the machine:
    // no probe gives up on a clock, so a slow machine never takes a live backend for dead.
    healthCheck: { intervalMs: 100, timeoutMs: NO_CLOCK_MS },
    onError: (error) => console.error(error instanceof Error ? error.stack : error),
  });
  // Requests arrive only once the lb has seen the live backends up.
  if (scenario !== 'all-down') {
    await Promise.all([slowOne, fast].map((s) => lb.waitFor(s.name, true, NO_CLOCK_MS)));
  }
  console.log(JSON.stringify({ listening: lb.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
