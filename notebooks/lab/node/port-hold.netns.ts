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

  const report = { unheld, killed, refused, restarted, stopped };
  console.log(JSON.stringify({ ...report, processKilled, processRestarted }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
