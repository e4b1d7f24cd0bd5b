// The in-browser cluster simulator: `<ClusterSimulator mode="sticky" />` (chapters 3–5).
// Simulated users (seeded, 24 by default) shop in ticks through a simulated load balancer
// that uses the lab's real policies, over servers that run the shop's own session and cart rules
// (notebooks/lab/core/shop-rules.ts, cart.ts). The model is notebooks/lab/core/sim-model.ts (tested in
// sim-model.test.ts); this file only draws it and takes clicks.
//
// Motion: it plays on its own (one tick every 0.7 s) while it is on screen; with
// prefers-reduced-motion it starts paused (use Play or Step) and nothing is animated.
// Screen readers: a polite live region says what was lost, at most every few seconds, plus
// each action's result; it does not announce every tick.
//
// For browser tests — stable hooks (roles and names, plus data-testid):
//   root                  section, name "Cluster simulator"      data-testid="cluster-simulator"
//                         data-architecture="stateful|sticky|stateless", data-tick="<n>"
//   architecture          combobox "Architecture"                 data-testid="sim-architecture"
//   two tabs              checkbox "Two tabs per user"            data-testid="sim-tabs"
//   cart writes           combobox "Cart writes"                  data-testid="sim-cart-writes"
//   play / pause          button "Play" | "Pause"                 data-testid="sim-play"
//   step                  button "Step"                           data-testid="sim-step"
//   reset                 button "Reset"                          data-testid="sim-reset"
//   add a server          button "Add a server"                   data-testid="sim-add"
//   server tile           listitem                                data-testid="sim-server-app-1"
//                         data-state="up|down"
//   kill / restart        button "Kill app-1" | "Restart app-1"   data-testid="sim-toggle-app-1"
//   remove                button "Remove app-1"                   data-testid="sim-remove-app-1"
//   counters (numbers)    data-testid="sim-forced-logins" "sim-lost-items" "sim-failed"
//                         "sim-orders" "sim-requests"
//   live region           role=status                             data-testid="sim-live"
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  ARCHITECTURES,
  createSimulation,
  type Architecture,
  type SimEvent,
  type SimOptions,
  type Simulation,
} from '@site/notebooks/lab/core/sim-model';
import styles from './styles.module.css';

const LABELS: Record<Architecture, string> = {
  stateful: 'Stateful servers, round robin',
  sticky: 'Stateful servers, sticky sessions',
  stateless: 'Stateless servers, shared store',
};

const EXPLAIN: Record<Architecture, string> = {
  stateful:
    'Each server keeps sessions and carts in its own memory; the balancer takes turns, so the next request usually lands on a server that has never seen the user.',
  sticky:
    'Each server keeps sessions and carts in its own memory; the balancer pins each user to one server with a cookie. Kill a server and see what its users lose.',
  stateless:
    'Every server reads and writes one shared store; any server can answer anyone. Kill, add or remove servers and watch the loss counters.',
};

type CartWrites = NonNullable<SimOptions['cartWrites']>;

const CART_WRITES: Record<CartWrites, string> = {
  update: 'one atomic update',
  'get-then-set': 'a get, then a set',
};

/** What two tabs do here: the concurrent-user nemesis, explained for each setting. */
function explainTabs(architecture: Architecture, cartWrites: CartWrites): string {
  if (architecture === 'stateless')
    return cartWrites === 'update'
      ? 'Two tabs: now and then a user sends an add at the same moment as another add or a checkout, often to two servers. The shared store applies each update whole, so no add is lost.'
      : 'Two tabs, and the cart written with a get and then a set across the network: two adds at once both read the old cart, and the second write erases the first one’s item. Watch the lost items.';
  if (architecture === 'sticky')
    return 'Two tabs: both carry the same cookie, so both reach the same server. It keeps the cart in its own memory and answers one request to its end before the next (one process, one event loop, nothing to wait for): even a get and then a set loses nothing.';
  return 'Two tabs: the balancer takes turns, so the two requests usually land on two servers, and each knows only its own sessions.';
}

const TICK_MS = 700;
const ANNOUNCE_EVERY_MS = 4000;

export interface ClusterSimulatorProps {
  /** The architecture it starts with (the reader can change it). */
  mode?: Architecture;
  seed?: number;
  users?: number;
  servers?: number;
  /** 2: the simulator starts with every user in two tabs (the reader can change it). */
  tabs?: 1 | 2;
  /** How the shop changes a cart at the start (the reader can change it). */
  cartWrites?: CartWrites;
}

function describeLoss(e: SimEvent): string {
  const items = e.lostItems === 1 ? '1 cart item' : `${e.lostItems} cart items`;
  if (e.forcedLogin)
    return `${e.user} was asked to log in again by ${e.servedBy}${e.lostItems > 0 ? ` and lost ${items}` : ''}.`;
  return `${e.user} found ${items} missing from the cart (${e.servedBy}).`;
}

export default function ClusterSimulator({
  mode = 'sticky',
  seed = 1,
  users = 24,
  servers = 3,
  tabs: initialTabs = 1,
  cartWrites: initialCartWrites = 'update',
}: ClusterSimulatorProps): ReactNode {
  const [architecture, setArchitecture] = useState<Architecture>(mode);
  const [tabs, setTabs] = useState<1 | 2>(initialTabs);
  const [cartWrites, setCartWrites] = useState<CartWrites>(initialCartWrites);
  const make = useCallback(
    (a: Architecture, t: 1 | 2, c: CartWrites) =>
      createSimulation({ architecture: a, seed, users, servers, tabs: t, cartWrites: c }),
    [seed, users, servers],
  );
  const sim = useRef<Simulation>(undefined as unknown as Simulation);
  if (sim.current === undefined) sim.current = make(mode, initialTabs, initialCartWrites);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [, setVersion] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [visible, setVisible] = useState(false);
  const [live, setLive] = useState('');
  const [lastLoss, setLastLoss] = useState('');
  const announced = useRef({ at: 0, forcedLogins: 0, lostCartItems: 0, failed: 0 });
  const root = useRef<HTMLElement>(null);

  /** Runs one change after the ones before it (a tick is async), then redraws. */
  const run = useCallback((change: (s: Simulation) => unknown) => {
    queue.current = queue.current
      .then(async () => {
        await change(sim.current);
      })
      .then(() => setVersion((v) => v + 1));
  }, []);

  const announceLosses = useCallback((force: boolean) => {
    const t = sim.current.totals();
    const last = announced.current;
    const changed =
      t.forcedLogins !== last.forcedLogins ||
      t.lostCartItems !== last.lostCartItems ||
      t.failed !== last.failed;
    if (!changed || (!force && Date.now() - last.at < ANNOUNCE_EVERY_MS)) return;
    announced.current = { at: Date.now(), ...t };
    setLive(
      `So far: ${t.forcedLogins} forced re-logins, ${t.lostCartItems} lost cart items, ${t.failed} failed requests.`,
    );
  }, []);

  const tick = useCallback(
    (force: boolean) =>
      run(async (s) => {
        const events = await s.tick();
        const loss = [...events].reverse().find((e) => e.forcedLogin || e.lostItems > 0);
        if (loss) setLastLoss(`Tick ${s.tickCount}: ${describeLoss(loss)}`);
        announceLosses(force);
      }),
    [run, announceLosses],
  );

  // Play while on screen; start paused when the reader prefers reduced motion.
  useEffect(() => {
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    setPlaying(!reduce);
    const el = root.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return undefined;
    }
    const observer = new IntersectionObserver(([entry]) => setVisible(entry.isIntersecting));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!playing || !visible) return undefined;
    const timer = window.setInterval(() => tick(false), TICK_MS);
    return () => window.clearInterval(timer);
  }, [playing, visible, tick]);

  const reset = (a: Architecture, t = tabs, c = cartWrites) => {
    run(() => {
      sim.current = make(a, t, c);
      announced.current = { at: 0, forcedLogins: 0, lostCartItems: 0, failed: 0 };
    });
    setArchitecture(a);
    setTabs(t);
    setCartWrites(c);
    setLastLoss('');
    setLive(
      `Started again: ${LABELS[a]}, ${t === 2 ? 'two tabs per user' : 'one tab per user'}, cart written with ${CART_WRITES[c]}.`,
    );
  };

  const s = sim.current;
  const totals = s.totals();
  const view = s.view();
  const upCount = view.filter((v) => v.up).length;

  return (
    <section
      ref={root}
      className={styles.sim}
      aria-label="Cluster simulator"
      data-testid="cluster-simulator"
      data-architecture={architecture}
      data-tick={s.tickCount}
    >
      <noscript>
        <p className={styles.explain}>
          The simulator runs in your browser and needs JavaScript, which is off in this browser:
          what follows is its first state, and its controls do nothing.
        </p>
      </noscript>
      <p className={styles.title}>
        <strong>Cluster simulator</strong> — {users} simulated users shop through a load balancer (
        {s.policy.name}).
      </p>
      <div className={styles.controls}>
        <label>
          Architecture{' '}
          <select
            value={architecture}
            data-testid="sim-architecture"
            onChange={(e) => reset(e.target.value as Architecture)}
          >
            {ARCHITECTURES.map((a) => (
              <option key={a} value={a}>
                {LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={tabs === 2}
            data-testid="sim-tabs"
            onChange={(e) => reset(architecture, e.target.checked ? 2 : 1)}
          />{' '}
          Two tabs per user
        </label>
        <label>
          Cart writes{' '}
          <select
            value={cartWrites}
            data-testid="sim-cart-writes"
            onChange={(e) => reset(architecture, tabs, e.target.value as CartWrites)}
          >
            {(Object.keys(CART_WRITES) as CartWrites[]).map((c) => (
              <option key={c} value={c}>
                {CART_WRITES[c]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={`${styles.btn} ${styles.primary}`}
          data-testid="sim-play"
          onClick={() => setPlaying((p) => !p)}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          className={styles.btn}
          data-testid="sim-step"
          onClick={() => tick(true)}
        >
          Step
        </button>
        <button
          type="button"
          className={styles.btn}
          data-testid="sim-reset"
          onClick={() => reset(architecture)}
        >
          Reset
        </button>
        <button
          type="button"
          className={styles.btn}
          data-testid="sim-add"
          disabled={view.length >= 6}
          onClick={() =>
            run((sm) => {
              const name = sm.add();
              setLive(`${name} added, with empty memory.`);
            })
          }
        >
          Add a server
        </button>
      </div>
      <p className={styles.explain}>{EXPLAIN[architecture]}</p>
      {tabs === 2 && <p className={styles.explain}>{explainTabs(architecture, cartWrites)}</p>}

      <ul className={styles.servers}>
        {view.map((v) => (
          <li
            key={v.name}
            className={v.up ? styles.up : styles.down}
            data-testid={`sim-server-${v.name}`}
            data-state={v.up ? 'up' : 'down'}
          >
            <span className={styles.serverName}>{v.name}</span>{' '}
            <span className={styles.state}>{v.up ? 'up' : 'down'}</span>
            <span className={styles.stat}>{v.requests} requests</span>
            <span className={styles.stat}>
              {s.policy.pins
                ? `${v.pinned} ${v.pinned === 1 ? 'user' : 'users'} pinned`
                : 'no pinning'}
            </span>
            <span className={styles.actions}>
              <button
                type="button"
                className={`${styles.btn} ${v.up ? styles.danger : styles.success}`}
                data-testid={`sim-toggle-${v.name}`}
                onClick={() =>
                  run((sm) => {
                    if (v.up) {
                      sm.kill(v.name);
                      setLive(
                        `${v.name} killed: its memory is gone${architecture === 'stateless' ? ', but the shared store is not' : ''}.`,
                      );
                    } else {
                      sm.restart(v.name);
                      setLive(`${v.name} restarted with empty memory.`);
                    }
                  })
                }
              >
                {v.up ? 'Kill' : 'Restart'} {v.name}
              </button>
              <button
                type="button"
                className={styles.btn}
                data-testid={`sim-remove-${v.name}`}
                disabled={view.length <= 1 || (v.up && upCount <= 1)}
                onClick={() =>
                  run((sm) => {
                    sm.remove(v.name);
                    setLive(`${v.name} removed from the cluster.`);
                  })
                }
              >
                Remove {v.name}
              </button>
            </span>
          </li>
        ))}
      </ul>

      <dl className={styles.counters}>
        <div className={totals.forcedLogins > 0 ? styles.bad : undefined}>
          <dt>Forced re-logins</dt>
          <dd data-testid="sim-forced-logins">{totals.forcedLogins}</dd>
        </div>
        <div className={totals.lostCartItems > 0 ? styles.bad : undefined}>
          <dt>Lost cart items</dt>
          <dd data-testid="sim-lost-items">{totals.lostCartItems}</dd>
        </div>
        <div className={totals.failed > 0 ? styles.bad : undefined}>
          <dt>Failed requests</dt>
          <dd data-testid="sim-failed">{totals.failed}</dd>
        </div>
        <div>
          <dt>Orders</dt>
          <dd data-testid="sim-orders">{totals.orders}</dd>
        </div>
        <div>
          <dt>Requests (tick {s.tickCount})</dt>
          <dd data-testid="sim-requests">{totals.requests}</dd>
        </div>
      </dl>

      <ol className={styles.users} aria-label="Users: items in each cart">
        {s.users.map((u) => (
          <li
            key={u.name}
            className={u.losses.forcedLogins + u.losses.lostCartItems > 0 ? styles.hurt : undefined}
            title={`${u.name}: ${u.cartItems} in cart${u.affinity ? `, pinned to ${u.affinity}` : ''}`}
          >
            <span className={styles.srOnly}>
              {u.name}: {u.cartItems} in cart
              {u.losses.forcedLogins + u.losses.lostCartItems > 0 ? ', has lost something' : ''}
            </span>
            <span aria-hidden="true">{u.cartItems}</span>
          </li>
        ))}
      </ol>
      <p className={styles.legend}>
        Each square is a user and the number of items in their cart; a red square has been logged
        out or lost items at least once.
      </p>
      <p className={styles.lastLoss}>{lastLoss || 'No losses yet.'}</p>
      <p role="status" aria-live="polite" className={styles.srOnly} data-testid="sim-live">
        {live}
      </p>
    </section>
  );
}
