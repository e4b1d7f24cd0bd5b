// The chapter 3 and 4 results again, with every server a real OS process and kill() a SIGKILL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { roundRobin, stickyCookie } from '../core/policies';
import { startProcessCluster, type ProcessCluster } from './process-cluster';
import { createUsers, runRounds, summarize } from './workload';

const dir = mkdtempSync(join(tmpdir(), 'statelab-process-cluster-'));
let cluster: ProcessCluster | undefined;
const pids: number[] = [];

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  for (const s of cluster?.servers ?? []) pids.push(s.pid);
  await cluster?.stop();
  cluster = undefined;
  expect(pids.filter(running)).toEqual([]); // no orphans
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a cluster of server processes', () => {
  it('stateless (sessions and carts in one SQLite file): a SIGKILL costs nobody anything', async () => {
    const catalogFile = join(dir, 'shop-1.sqlite');
    cluster = await startProcessCluster({
      size: 3,
      policy: roundRobin(),
      catalogFile,
      storeUrl: `sqlite:${join(dir, 'state-1.sqlite')}`,
    });
    const killed: number[] = [];
    const users = createUsers(20, cluster.lb.url, 3);
    await runRounds(users, {
      rounds: 10,
      beforeRound: async (round) => {
        if (round === 4) {
          killed.push(cluster!.server('app-2').pid);
          await cluster!.kill('app-2');
          expect(running(killed[0])).toBe(false);
        }
        if (round === 7) await cluster!.restart('app-2');
      },
    });
    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed, summary.unknown]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(cluster.server('app-2').pid).not.toBe(killed[0]); // a new process
    pids.push(...killed);
    const catalog = openCatalog(catalogFile);
    expect(catalog.orders().length).toBeGreaterThan(0); // every process wrote to the one catalogue
    catalog.close();
  });

  it('stateful (each process its own memory): a SIGKILL costs exactly its pinned users', async () => {
    cluster = await startProcessCluster({
      size: 3,
      policy: stickyCookie(),
      catalogFile: join(dir, 'shop-2.sqlite'),
    });
    const users = createUsers(30, cluster.lb.url, 4);
    await runRounds(users, { rounds: 3 }); // log in, browse, add: everyone has one item
    const pinned = users.filter((u) => u.pinnedTo === 'app-1');
    expect(pinned.length).toBeGreaterThan(0);
    pids.push(cluster.server('app-1').pid);
    await cluster.kill('app-1');
    // browse, add (401), log in again, browse, add, browse, add, and the cart shows the item gone
    await runRounds(users, { rounds: 8 });
    const summary = summarize(users);
    expect(summary.forcedLogins).toBe(pinned.length);
    expect(summary.lostCartItems).toBe(pinned.length);
    expect(users.filter((u) => u.losses.forcedLogins > 0)).toEqual(pinned);
    expect(summary.failed).toBe(0);
  });
});
