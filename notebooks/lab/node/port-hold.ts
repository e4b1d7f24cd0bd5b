// Keeps a dead server's port from being handed to another program.
//
// When a server crashes, the OS frees its port, and the next program that asks for "any free
// port" may get it. A balancer that still lists the dead server would then send its customers to
// a stranger, who answers 200 about something else entirely. (On a real network the same thing
// happens when a crashed pod's IP address is given to a new pod before the balancer has noticed.)
// On a busy machine, where many tests start and kill servers at once, it does happen: a check once
// saw a "dead" backend answer as another test's app-2.
//
// The hold is a TCP connection from the dead port to a small keeper in this process (started
// with the first server). A connected
// socket is not listening, so a request to the port is still refused, as for any crashed server;
// but the port is taken, so the OS gives it to nobody else until release(). restart() releases
// it and listens on the same port straight away.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface PortHold {
  /** Resolves true once the port is held, false if it could not be (then it is simply free). */
  readonly ready: Promise<boolean>;
  /** Frees the port (to listen on it again). Safe to call more than once. */
  release(): void;
}

let keeper: Promise<Server> | undefined;
/** The keeper, once it listens: holds made after that are set in the same tick. */
let ready: Server | undefined;

/**
 * Starts this process's keeper, the far end of every hold: it accepts, and keeps nothing alive.
 * startServer() calls it, so that a kill() later sets its hold at once.
 */
export function startKeeper(): Promise<Server> {
  keeper ??= new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.unref(); // a hold never keeps the process running
      socket.on('error', () => {}); // the holder went away: nothing to do
    });
    server.once('error', (error) => {
      keeper = undefined;
      reject(error);
    });
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      ready = server;
      resolve(server);
    });
  });
  return keeper;
}

/**
 * Holds a free port of 127.0.0.1 until release(). Best effort: if the port could not be taken
 * (someone took it first), the hold does nothing.
 *
 * With the keeper started, the hold's connection is asked for before this returns, so it binds
 * ahead of any server this process starts afterwards (Node binds both in order, on the next tick).
 */
export function holdPort(port: number): PortHold {
  let socket: Socket | undefined;
  let released = false;
  const hold = (server: Server) =>
    new Promise<boolean>((resolve) => {
      if (released) return resolve(false);
      const { port: keeperPort } = server.address() as AddressInfo;
      const local = { localAddress: '127.0.0.1', localPort: port };
      const held = connect({ host: '127.0.0.1', port: keeperPort, ...local });
      socket = held;
      held.unref();
      held.once('connect', () => resolve(!released));
      // Not held (the port was taken first): it behaves as any freed port does.
      held.on('error', () => resolve(false));
      held.once('close', () => resolve(false));
    });
  const held = ready ? hold(ready) : startKeeper().then(hold, () => false);
  return {
    ready: held,
    release() {
      released = true;
      socket?.destroy();
      socket = undefined;
    },
  };
}
