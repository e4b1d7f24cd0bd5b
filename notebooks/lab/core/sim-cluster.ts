// The browser simulator's cluster: its servers and which of them are up. A kill is a crash: the
// server is down and its memory is gone (a shared store is elsewhere and survives). The lb notices
// at once: the model has no health checks (the lab's balancer waits for 3 failed ones in a row;
// chapter 2).
import type { SimServer } from './sim-network';
import type { ServerState } from './sim-servers';

export interface ServerView {
  name: string;
  up: boolean;
  requests: number;
  /** Users whose affinity cookie names this server (sticky only; 0 otherwise). */
  pinned: number;
}

export interface SimCluster {
  readonly servers: SimServer[];
  kill(name: string): void;
  restart(name: string): void;
  add(): string;
  remove(name: string): void;
  view(users: readonly { affinity?: string }[]): ServerView[];
}

/** `size` servers app-1…, each with the state `stateOf` makes (its own memory, or the shared store). */
export function simCluster(size: number, stateOf: () => ServerState): SimCluster {
  const servers: SimServer[] = [];
  let serial = 0;
  const newServer = (): SimServer => {
    serial += 1;
    const server: SimServer = {
      name: `app-${serial}`,
      healthy: true,
      inFlight: 0,
      requests: 0,
      ...stateOf(),
    };
    servers.push(server);
    return server;
  };
  for (let i = 0; i < size; i++) newServer();
  const find = (name: string) => {
    const server = servers.find((s) => s.name === name);
    if (!server) throw new Error(`there is no server ${name}`);
    return server;
  };
  // A new process: empty memory, and a new event loop with nothing queued.
  const wipe = (server: SimServer) => Object.assign(server, stateOf());

  return {
    servers,
    kill(name) {
      const server = find(name);
      server.healthy = false;
      wipe(server); // a crash takes the process's memory with it
    },
    restart(name) {
      const server = find(name);
      wipe(server);
      server.healthy = true;
    },
    add: () => newServer().name,
    remove(name) {
      servers.splice(servers.indexOf(find(name)), 1);
    },
    view: (users) =>
      servers.map((s) => ({
        name: s.name,
        up: s.healthy,
        requests: s.requests,
        pinned: users.filter((u) => u.affinity === s.name).length,
      })),
  };
}
