import { describe, expect, it } from 'vitest';
import { OutputCollector } from './outputs';
import { newMessage } from './wire';

const iopub = (msgType: string, content: Record<string, unknown>) =>
  newMessage('session-1', msgType, content);

describe('collecting a cell’s outputs', () => {
  it('joins consecutive writes to the same stream into one output, as Jupyter shows them', () => {
    const outputs = new OutputCollector().collect([
      iopub('stream', { name: 'stdout', text: 'a\n' }),
      iopub('stream', { name: 'stdout', text: 'b\n' }),
      iopub('stream', { name: 'stderr', text: 'oops\n' }),
    ]);
    expect(outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
    ]);
  });

  it('replaces a display when a later cell updates it by its display id', () => {
    const collector = new OutputCollector();
    const shown = collector.collect([
      iopub('display_data', { data: { 'text/plain': '1 user' }, transient: { display_id: 'd1' } }),
    ]);
    const later = collector.collect([
      iopub('update_display_data', {
        data: { 'text/plain': '2 users' },
        transient: { display_id: 'd1' },
      }),
    ]);
    expect(shown).toEqual([
      { output_type: 'display_data', data: { 'text/plain': '2 users' }, metadata: {} },
    ]);
    expect(later).toEqual([]);
  });
});
