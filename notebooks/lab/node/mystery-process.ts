// The entry of one mystery-shop server as an OS process of its own (started by mystery-fleet.ts):
//   node --require tsx/cjs notebooks/lab/node/mystery-process.ts <shopFile> <sharedFolder> <name>
// It loads the shop module (the exercise, or its solution), serves it over the homes in the
// shared folder (mystery-server.ts), and prints {"listening":PORT}. Its working folder is the
// machine's disk: mystery-fleet.ts gives each start an empty one.
import { resolve } from 'node:path';
import { portOf, serveMysteryShop, type MysteryShopFactory } from './mystery-server';

async function main() {
  const [shopFile, shared, name] = process.argv.slice(2);
  if (!shopFile || !shared || !name)
    throw new Error('usage: mystery-process.ts <shopFile> <sharedFolder> <name>');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx's hook loads the CommonJS file
  const shop = require(resolve(shopFile)) as { mysteryShop?: MysteryShopFactory };
  if (typeof shop.mysteryShop !== 'function')
    throw new Error(`${shopFile} does not export a function named mysteryShop`);
  const server = await serveMysteryShop(shop.mysteryShop, {
    shared,
    name,
    processClock: true,
  });
  // The parent holds our stdin: when it goes away (even killed), so do we. No orphans.
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
  // Jupyter interrupts a cell with SIGINT to the kernel's whole process group, this server
  // included: that is meant for the cell, not for us. Only a kill, SIGTERM or the parent's exit stop us.
  process.on('SIGINT', () => {});
  console.log(JSON.stringify({ listening: portOf(server) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
