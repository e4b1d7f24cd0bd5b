// Run by port-hold.test.ts inside a network namespace of its own whose OS hands out only six
// ports (40000-40005), so a freed port is handed out again at once. Prints one line of JSON.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startKeeper } from './port-hold';
import { startServer } from './server';
import { startProcessServer } from './process-server';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const portOf = (server: Server) => (server.address() as AddressInfo).port;

/** How many of 20 servers asking the OS for any free port were given `port`. */
async function givenOut(port: number) {
  let times = 0;
  for (let i = 0; i < 20; i++) {
    const other = await listen(0);
    if (portOf(other) === port) times += 1;
    await close(other);
  }
  return times;
}

/**
 * Servers that ask the OS for any free port, one after another, for as long as `work` runs: other
 * programs on a busy machine. One that is given `port` keeps it, as a program would. Returns how
 * `work` ended and how many were given `port`.
 */
async function askingWhile(port: number, work: Promise<unknown>) {
  let running = true;
  const ended = work.then(
    () => 'done',
    (error: Error) => error.message.split('\n')[0],
  );
  void ended.then(() => (running = false));
  const kept: Server[] = [];
  while (running) {
    const other = await listen(0).catch(() => undefined); // every port taken: try again
    if (other && portOf(other) === port) kept.push(other);
    else if (other) await close(other);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  for (const server of kept) await close(server);
  return { work: await ended, given: kept.length };
}

async function main() {
  await startKeeper(); // the keeper takes its port now, not in the middle of a measure
  // Without a hold: the OS hands a freed port straight out again.
  const plain = await listen(0);
  const plainPort = portOf(plain);
  await close(plain);
  const unheld = await givenOut(plainPort);

  // A crashed server of the lab: its port is held while it is down.
  const server = await startServer({ name: 'app-1', app: () => (_req, res) => res.end('app-1') });
  const port = server.port;
  await server.kill(); // the hold is set before any timer or I/O of the next turn runs
  const killed = await givenOut(port);
  const refused = await fetch(server.url).then(
    () => 'answered',
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? String(error),
  );
  await server.restart();
  const restarted = await fetch(server.url).then((r) => r.text());
  await server.stop();
  const stopped = await givenOut(port);

  // A shop in a process of its own, SIGKILLed.
  const shop = await startProcessServer({ name: 'app-2', catalogFile: process.argv[2] });
  await shop.kill();
  const processKilled = await givenOut(shop.port);
  await shop.restart();
  const processRestarted = (await fetch(`${shop.url}/products/1`)).status;
  await shop.stop();
  // A restart takes a second or more (a new Node process): the port stays held meanwhile. (A
  // shop that served nothing: a connection it closed would keep its port from the OS's choice
  // for a minute (TIME_WAIT), and then the hold is not what the test sees.)
  const quiet = await startProcessServer({ name: 'app-3', catalogFile: process.argv[2] });
  await quiet.kill();
  const whileRestarting = await askingWhile(quiet.port, quiet.restart());
  await quiet.stop();

  const report = { unheld, killed, refused, restarted, stopped };
  console.log(JSON.stringify({ ...report, processKilled, processRestarted, whileRestarting }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
