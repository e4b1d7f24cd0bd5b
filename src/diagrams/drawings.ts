// A diagram's drawing on disk: <dir>/<key>-light.svg and <key>-dark.svg. The one place that
// checks, reads and writes them, for the remark plugin, `npm run diagrams` and notebook-pages.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawingFile } from './config';

/** Whether both drawings of a diagram exist. */
export const hasDrawing = (dir: string, key: string) =>
  existsSync(join(dir, drawingFile(key, 'light'))) &&
  existsSync(join(dir, drawingFile(key, 'dark')));

/** The width and height tools/diagrams/render.ts wrote on the light drawing's <svg>. */
export function drawingSize(dir: string, key: string): { width: number; height: number } {
  const open =
    /<svg\b[^>]*>/.exec(readFileSync(join(dir, drawingFile(key, 'light')), 'utf8'))?.[0] ?? '';
  return {
    width: Number(/\swidth="(\d+)"/.exec(open)?.[1]),
    height: Number(/\sheight="(\d+)"/.exec(open)?.[1]),
  };
}

export function writeDrawing(dir: string, key: string, drawing: { light: string; dark: string }) {
  writeFileSync(join(dir, drawingFile(key, 'light')), drawing.light);
  writeFileSync(join(dir, drawingFile(key, 'dark')), drawing.dark);
}
