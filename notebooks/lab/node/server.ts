// Starts a web server on 127.0.0.1 (never another interface) on a port the OS picks.
// The server's memory is whatever its app factory creates: kill() throws it away, like a crash,
// and restart() builds a fresh app on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerInJson, EDGE_SERVER_OPTIONS, type Handler } from './http-edge';
import { holdPort, startKeeper, type PortHold } from './port-hold';

export interface RunningServer {
  readonly name: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly alive: boolean;
  /** Graceful: stop accepting, let in-flight requests finish. */
  stop(): Promise<void>;
  /**
   * A crash: every open connection is cut at once and the app's memory is gone. It resolves once
   * the dead port is held for restart() (port-hold.ts); a server in its own process, once the OS
   * has reaped it too (until then its pid still exists, as a zombie).
   */
  kill(): void | Promise<void>;
  /** Start again on the same port with a fresh app (fresh memory). */
  restart(): Promise<void>;
}

export interface ServerOptions {
  name: string;
  /** Builds the app. Called again on restart(), so nothing in memory survives a kill. */
  app: () => Handler;
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
}

// #region start-server
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let server: Server | undefined;
  let sockets = new Set<Socket>();
  let port = options.port ?? 0;

  const listen = async () => {
    // A client that sends less than it announced gets a 408 within seconds (http-edge.ts).
    const live = createServer(EDGE_SERVER_OPTIONS, options.app());
    // Node answers some requests before the shop sees them (bad syntax, huge headers): in JSON too.
    answerInJson(live);
    const open = new Set<Socket>();
    live.on('connection', (socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      live.once('error', reject);
      live.listen(port, '127.0.0.1', () => resolve());
    });
    port = (live.address() as AddressInfo).port;
    server = live;
    sockets = open;
  };
  // #endregion start-server

  // While the server is down, its port stays refused and is given to nobody else (port-hold.ts).
  let hold: PortHold | undefined;

  // A crash: close the listener and cut every connection without waiting. (What it awaits is
  // only the hold on its port, set a moment later: the server is down the moment kill() is called.)
  const kill = async () => {
    const live = server;
    server = undefined;
    if (!live) return;
    live.close();
    for (const socket of sockets) socket.destroy();
    hold = holdPort(port);
    await hold.ready;
  };

  await Promise.all([listen(), startKeeper().catch(() => {})]);
  return {
    name: options.name,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get alive() {
      return server !== undefined;
    },
    async stop() {
      const live = server;
      server = undefined;
      if (!live) return;
      await new Promise<void>((resolve) => {
        // A connection whose request is still in flight stays open after its answer, idle, for
        // the keep-alive timeout (65 s, http-edge.ts): closed as soon as it is idle instead.
        const sweep = setInterval(() => live.closeIdleConnections(), 20);
        live.close(() => {
          clearInterval(sweep);
          resolve();
        });
        live.closeIdleConnections();
      });
      hold = holdPort(port);
    },
    kill,
    async restart() {
      void kill(); // down at once; no need to wait for its hold, released here
      hold?.release();
      hold = undefined;
      await listen();
    },
  };
}
