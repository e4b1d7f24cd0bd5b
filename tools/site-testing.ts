// What the tests of `npm start` (start-site.test.ts) and `npm run dev` (site-server.test.ts) share:
// running a site command to its end as a terminal would, and holding a port so that it is taken.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { holdPort, type PortHold } from '../notebooks/lab/node/port-hold';

/** What a command printed (stdout and stderr, in order) and the code it exited with. */
export interface Ended {
  code: number | null;
  output: string;
}

/**
 * Runs `node args…` to its end, or to `deadlineMs` and then kills it, with everything it printed.
 * `onOutput` sees all the output so far after each chunk, and the child, to stop it at a moment.
 */
export function runToEnd(
  args: string[],
  options: SpawnOptions & { deadlineMs: number },
  onOutput?: (output: string, child: ChildProcess) => void,
): Promise<Ended> {
  const child = spawn(process.execPath, args, options);
  let output = '';
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs);
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    onOutput?.(output, child);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, output });
    }),
  );
}

/** Ports held by servers of ours; `closeAll` (in afterAll) lets every one go. */
export function heldPorts() {
  const servers: Server[] = [];
  const holds: PortHold[] = [];
  return {
    /**
     * A port the OS handed out on `host`, held by a server of ours until `free` closes it. With
     * `port`, that port instead: the same number on another address.
     */
    async hold(host = '127.0.0.1', port = 0) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      return {
        port: (server.address() as AddressInfo).port,
        free: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
    /**
     * A port for a server the test starts on it later (seconds later, for `npm start`). Freed
     * and then used, a port can be handed to another program in between, on a busy machine where
     * other tests start servers: so nobody listens on it, but a connection holds it until
     * `release` (port-hold.ts), and the OS's "any free port" passes it by. A server may still
     * listen on it by number (a hold is a connection, not a listener).
     */
    async reserve() {
      const { port, free } = await this.hold();
      await free();
      const held = holdPort(port);
      holds.push(held);
      await held.ready;
      return { port, release: () => held.release() };
    },
    closeAll() {
      for (const server of servers) if (server.listening) server.close();
      for (const held of holds) held.release();
    },
  };
}
