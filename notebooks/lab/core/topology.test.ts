// @vitest-environment happy-dom
// The topology picture: what it says about each server, and that Mermaid parses it.
// (Mermaid sanitises labels with DOMPurify, which needs a DOM, hence happy-dom.)
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { topology, topologyAlt, topologyMarkdown } from './topology';

const backends = [
  { name: 'app-1', healthy: false },
  { name: 'app-2', healthy: true },
  { name: 'app-3', healthy: true },
];
const users = [{ pinnedTo: 'app-2' }, { pinnedTo: 'app-2' }, { pinnedTo: 'app-3' }, {}];

describe('topology', () => {
  it('draws users → lb → every server, with how many users are pinned to each', () => {
    const text = topology({ backends, users, label: 'sticky cookie' });
    expect(text.split('\n')[0]).toBe('flowchart LR');
    expect(text).toContain('users(["4 users (1 not pinned)"])');
    expect(text).toContain('lb{{"lb: sticky cookie"}}');
    expect(text).toContain('lb -->|"2 pinned"| app_2');
    expect(text).toContain('lb -->|"1 pinned"| app_3');
  });

  it('marks a server the LB sees as down, with a dotted arrow and the "down" class', () => {
    const text = topology({ backends, users });
    expect(text).toContain('app_1["app-1 · DOWN"]');
    expect(text).toContain('lb -.->|"0 pinned"| app_1');
    expect(text).toContain('class app_1 down');
    expect(topology({ backends: backends.slice(1), users })).not.toMatch(/^ {2}class /m);
  });

  it('says in words what it draws: each server up or down, and who is pinned where', () => {
    expect(topologyAlt({ backends, users, label: 'sticky cookie' })).toEqual({
      title: '3 servers behind the lb (sticky cookie), app-1 down',
      description:
        '4 users reach the lb, 1 of them not pinned to a server. app-1 is down, so the lb sends it nothing, 0 users pinned to it. app-2 is up, 2 users pinned to it. app-3 is up, 1 user pinned to it.',
    });
    const healthy = topologyAlt({ backends: backends.slice(1), users: [{ pinnedTo: 'app-2' }] });
    expect(healthy.title).toBe('2 servers behind the lb');
    expect(healthy.description).toBe(
      '1 user reaches the lb. app-2 is up, 1 user pinned to it. app-3 is up, 0 users pinned to it.',
    );
  });

  it('puts the words in the diagram as its accTitle and accDescr, one line each', () => {
    const text = topology({ backends, users, label: 'round\nrobin' });
    const lines = text.split('\n');
    expect(lines[1]).toBe('  accTitle: 3 servers behind the lb (round robin), app-1 down');
    expect(lines[2]).toMatch(
      /^ {2}accDescr: 4 users reach the lb, .* app-3 is up, 1 user pinned to it\.$/,
    );
  });

  it('makes a diagram Mermaid parses, and a fenced block for a notebook', async () => {
    mermaid.initialize({ startOnLoad: false });
    await expect(mermaid.parse(topology({ backends, users }))).resolves.toBeTruthy();
    const block = topologyMarkdown({ backends, users });
    expect(block.startsWith('```mermaid\nflowchart LR\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
  });
});
