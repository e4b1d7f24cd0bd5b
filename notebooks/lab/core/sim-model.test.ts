import { describe, expect, it } from 'vitest';
import { checkHistory } from './history';
import { createSimulation, type Simulation } from './sim-model';

async function ticks(sim: Simulation, n: number) {
  for (let i = 0; i < n; i++) await sim.tick();
}

/** Ticks until every user has logged in and has at least one item in the cart. */
async function untilEveryoneHasACart(sim: Simulation) {
  for (let i = 0; i < 50 && !sim.users.every((u) => u.loggedIn && u.cartItems > 0); i++) {
    await sim.tick();
  }
  expect(sim.users.every((u) => u.loggedIn && u.cartItems > 0)).toBe(true);
}

describe('sim-model', () => {
  it('sticky (stateful) loses nothing until a server dies', async () => {
    const sim = createSimulation({ architecture: 'sticky', seed: 7 });
    await ticks(sim, 30);
    expect(sim.totals()).toMatchObject({
      forcedLogins: 0,
      lostCartItems: 0,
      failed: 0,
      unknown: 0,
    });
    expect(sim.totals().orders).toBeGreaterThan(0);
  });

  it('stateful round robin forgets users with nothing broken', async () => {
    const sim = createSimulation({ architecture: 'stateful', seed: 7 });
    await ticks(sim, 10);
    expect(sim.totals().forcedLogins).toBeGreaterThan(0);
  });

  it('stateful + kill: exactly the killed server’s users log in again and lose their carts', async () => {
    const sim = createSimulation({ architecture: 'sticky', seed: 3, activity: 1 });
    await untilEveryoneHasACart(sim);
    const pinned = sim.users.filter((u) => u.affinity === 'app-1').map((u) => u.name);
    expect(pinned.length).toBeGreaterThan(0);
    const cartsBefore = new Map(sim.users.map((u) => [u.name, u.cartItems]));
    sim.kill('app-1');
    // A 401, a login elsewhere, then browse, add, browse, add and a look at the cart: what they
    // were sure of before the kill is missing there, and counted lost then.
    await ticks(sim, 8);
    for (const user of sim.users) {
      if (pinned.includes(user.name)) {
        expect(user.losses.forcedLogins, user.name).toBe(1);
        expect(user.losses.lostCartItems, user.name).toBe(cartsBefore.get(user.name));
        expect(user.affinity, user.name).not.toBe('app-1'); // re-pinned elsewhere
      } else {
        expect(user.losses, user.name).toEqual({
          forcedLogins: 0,
          lostCartItems: 0,
          failed: 0,
          unknown: 0,
        });
      }
    }
    expect(sim.view().find((s) => s.name === 'app-1')).toMatchObject({ up: false, pinned: 0 });
  });

  it('stateless + kill, add, remove, restart: nobody loses anything', async () => {
    // Everyone steps every tick, so all carts fill at once (at random, some user is always
    // between a checkout and the next add).
    const sim = createSimulation({ architecture: 'stateless', seed: 3, activity: 1 });
    await untilEveryoneHasACart(sim);
    sim.kill('app-1');
    await ticks(sim, 5);
    sim.add();
    sim.remove('app-2');
    await ticks(sim, 5);
    sim.restart('app-1');
    await ticks(sim, 10);
    expect(sim.totals()).toMatchObject({
      forcedLogins: 0,
      lostCartItems: 0,
      failed: 0,
      unknown: 0,
    });
    expect(sim.totals().orders).toBeGreaterThan(0);
  });

  it('with every server down, requests fail (503, forwarded nowhere) and are counted', async () => {
    const sim = createSimulation({ architecture: 'stateless', servers: 1, seed: 1, activity: 1 });
    sim.kill('app-1');
    await sim.tick();
    expect(sim.totals().failed).toBe(24);
    expect(sim.history.every((e) => e.status === 503 && e.outcome === 'fail')).toBe(true);
  });

  it('its users and totals are what the checker rebuilds from the history alone', async () => {
    const sim = createSimulation({ architecture: 'stateful', seed: 5, tabs: 2 });
    await ticks(sim, 10);
    sim.kill('app-1');
    await ticks(sim, 10);
    const checked = checkHistory(sim.history);
    expect(sim.totals()).toEqual(checked.totals);
    expect(sim.totals().forcedLogins).toBeGreaterThan(0);
    expect(sim.history.some((e) => e.together)).toBe(true);
    for (const user of sim.users) {
      expect(checked.users.get(user.name), user.name).toMatchObject({
        losses: user.losses,
        orders: user.orders,
        cartItems: user.cartItems,
        next: user.next,
      });
    }
  });

  it('the same seed gives the same history', async () => {
    const run = async (seed: number) => {
      const sim = createSimulation({ architecture: 'sticky', seed });
      await ticks(sim, 8);
      sim.kill('app-2');
      await ticks(sim, 8);
      sim.add();
      await ticks(sim, 8);
      return JSON.stringify({ history: sim.history, totals: sim.totals() });
    };
    expect(await run(42)).toBe(await run(42));
    expect(await run(42)).not.toBe(await run(43));
  });

  describe('two tabs: a user sends an add at the same moment as another add or a checkout', () => {
    const run = async (
      architecture: 'sticky' | 'stateless',
      cartWrites: 'update' | 'get-then-set',
    ) => {
      const sim = createSimulation({ architecture, seed: 9, tabs: 2, cartWrites });
      await ticks(sim, 30);
      const together = sim.history.filter((e) => e.together);
      return { totals: sim.totals(), together, history: JSON.stringify(sim.history) };
    };

    it('sends pairs at once: two adds, or an add beside a checkout, each counted as a request', async () => {
      const { together, totals } = await run('stateless', 'update');
      expect(together.length % 2).toBe(0);
      const pairs = together.flatMap((e, i) => (i % 2 ? [] : [`${e.op}+${together[i + 1].op}`]));
      expect(new Set(pairs)).toEqual(new Set(['add+add', 'checkout+add']));
      expect(totals).toMatchObject({ forcedLogins: 0, lostCartItems: 0, failed: 0, unknown: 0 });
    });

    it('stateless with a get then a set: two adds at once through the shared store lose items', async () => {
      expect((await run('stateless', 'get-then-set')).totals.lostCartItems).toBeGreaterThan(0);
    });

    it('sticky with a get then a set: one server, one event loop, nothing lost', async () => {
      const sticky = await run('sticky', 'get-then-set');
      expect(sticky.together.length).toBeGreaterThan(0);
      expect(sticky.totals.lostCartItems).toBe(0);
      expect(sticky.totals.orders).toBeGreaterThan(0);
    });

    it('the same seed gives the same history', async () => {
      expect((await run('stateless', 'get-then-set')).history).toBe(
        (await run('stateless', 'get-then-set')).history,
      );
    });
  });
});
