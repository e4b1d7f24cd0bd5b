// Opens a SQLite file for the lab, and says what to do when a notebook's clean-up cell has already
// closed it or removed its folder: the reader re-ran a cell from the middle after the last one.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

const AGAIN = "run the notebook's set-up cell again (or Run All), then this cell";

/** new Database(file), with a message a reader can act on when the file's folder is gone. */
export function openSqlite(file: string): Database.Database {
  const folder = dirname(file);
  if (file !== ':memory:' && file !== '' && !existsSync(folder)) {
    throw new Error(
      `cannot open ${file}: its folder ${folder} does not exist. A notebook's clean-up cell removes the folder it made: ${AGAIN}.`,
    );
  }
  return new Database(file);
}

/** The error for a database used after close(). */
export function closedError(what: string): Error {
  return new Error(
    `${what} is closed: a notebook's clean-up cell closes it. To use it again, ${AGAIN}.`,
  );
}
