// A diagram's key: the hash of its Mermaid text and the drawing settings. The drawing files are
// named by it, so an edited diagram has no drawing until `npm run diagrams` makes one.
import { createHash } from 'node:crypto';
import { DRAWING_VERSION, mermaidConfig } from './config';

export function diagramKey(source: string): string {
  return createHash('sha256')
    .update(JSON.stringify([DRAWING_VERSION, mermaidConfig('light'), mermaidConfig('dark')]))
    .update(source.trim())
    .digest('hex')
    .slice(0, 16);
}
