// A live picture of the cluster as a Mermaid `flowchart LR`: users → lb → each server, marked up
// or down (the LB's view, from its health checks) with how many users are pinned to it (from the
// users' own lb-backend cookies), and the same in words for readers who cannot see it.
// Platform-free; it reads state, it keeps none.
import type { Backend } from './policies';

export interface TopologyInput {
  /** The LB's backends, e.g. cluster.lb.backends. */
  backends: readonly Pick<Backend, 'name' | 'healthy'>[];
  /** The users; `pinnedTo` is the backend their affinity cookie names, if any. */
  users: readonly { readonly pinnedTo?: string }[];
  /** Shown on the lb node, e.g. the policy's name. */
  label?: string;
}

/** Mermaid node ids may not contain '-': app-1 becomes app_1. */
const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const quoted = (text: string) => text.replace(/"/g, '#quot;');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * The picture in words, for readers who cannot see it (Mermaid's accTitle and accDescr): how many
 * servers, which are down, and how many users each one holds.
 */
export function topologyAlt({ backends, users, label }: TopologyInput) {
  const down = backends.filter((b) => !b.healthy).map((b) => b.name);
  const unpinned = users.filter((u) => !u.pinnedTo).length;
  const title = `${count(backends.length, 'server')} behind the lb${label ? ` (${label})` : ''}${
    down.length ? `, ${down.join(' and ')} down` : ''
  }`;
  const servers = backends.map((b) => {
    const n = users.filter((u) => u.pinnedTo === b.name).length;
    const state = b.healthy ? 'is up' : 'is down, so the lb sends it nothing';
    return `${b.name} ${state}, ${count(n, 'user')} pinned to it.`;
  });
  const description = [
    `${count(users.length, 'user')} ${users.length === 1 ? 'reaches' : 'reach'} the lb${unpinned ? `, ${unpinned} of them not pinned to a server` : ''}.`,
    ...servers,
  ].join(' ');
  return { title: oneLine(title), description: oneLine(description) };
}

// #region topology
export function topology({ backends, users, label }: TopologyInput): string {
  const pinned = new Map<string, number>();
  for (const user of users) {
    if (user.pinnedTo) pinned.set(user.pinnedTo, (pinned.get(user.pinnedTo) ?? 0) + 1);
  }
  const unpinned = users.filter((u) => !u.pinnedTo).length;
  const alt = topologyAlt({ backends, users, label });
  const lines = [
    'flowchart LR',
    `  accTitle: ${alt.title}`,
    `  accDescr: ${alt.description}`,
    `  users(["${users.length} users${unpinned ? ` (${unpinned} not pinned)` : ''}"])`,
    `  lb{{"${quoted(label ? `lb: ${label}` : 'lb')}"}}`,
    '  users --> lb',
  ];
  for (const backend of backends) {
    const n = pinned.get(backend.name) ?? 0;
    const state = backend.healthy ? 'up' : 'DOWN';
    lines.push(`  ${id(backend.name)}["${quoted(backend.name)} · ${state}"]`);
    // A solid arrow carries traffic; a dotted one goes to a server the LB no longer uses.
    lines.push(`  lb ${backend.healthy ? '-->' : '-.->'}|"${n} pinned"| ${id(backend.name)}`);
  }
  const down = backends.filter((b) => !b.healthy).map((b) => id(b.name));
  lines.push('  classDef down fill:#fde2e2,stroke:#c0392b,color:#c0392b,stroke-dasharray: 4 4');
  if (down.length > 0) lines.push(`  class ${down.join(',')} down`);
  return lines.join('\n');
}
// #endregion topology

/** The same picture as a fenced block, for tslab.display.markdown(...) in a notebook. */
export const topologyMarkdown = (input: TopologyInput) =>
  ['```mermaid', topology(input), '```'].join('\n');
