// Runs in its own process for the exercise 08 check: ONE server of the mystery shop's fleet, named
// by the check, serving the reader's mysteryShop over the homes in the shared folder every server
// of the fleet is given (notebooks/lab/node/mystery-server.ts). Its working and temp folder is a
// fresh one each time it starts: a replaced server is a fresh machine with an empty disk.
// Prints {"listening":PORT} when ready.
import { importExercise } from './watchdog';
import {
  portOf,
  serveMysteryShop,
  type MysteryShopFactory,
} from '../../notebooks/lab/node/mystery-server';

async function main() {
  const [file, shared, name] = process.argv.slice(2);
  const exercise = await importExercise(file);
  if (typeof exercise.mysteryShop !== 'function') {
    throw new Error(`${file} does not export a function named mysteryShop`);
  }
  const server = await serveMysteryShop(exercise.mysteryShop as MysteryShopFactory, {
    shared,
    name,
    processClock: true,
    onError: (error) => console.error(error instanceof Error ? error.stack : error),
  });
  console.log(JSON.stringify({ listening: portOf(server) }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
