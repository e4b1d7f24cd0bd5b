// A helper process for sqlite-store.test.ts: opens the store file, waits for a shared start time,
// then claims keys k0..k49 with setIfAbsent and prints the ones it won as JSON.
//   node --import tsx sqlite-store.race.ts <file> <name> <startAt ms since the epoch>
import { sqliteStore } from './sqlite-store';

async function main() {
  const [file, name, startAt] = process.argv.slice(2);
  const store = sqliteStore<string>(file, 'race');
  while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 1));
  const won: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    if (await store.setIfAbsent(`k${i}`, name)) won.push(`k${i}`);
  }
  store.close();
  console.log(JSON.stringify(won));
}

void main();
