// Turns a cell's iopub messages into nbformat outputs, the way a Jupyter front end shows them.
// State: display ids seen so far, so a later update_display_data replaces the output it names.
import type { MimeBundle, NotebookOutput } from './notebook';
import type { JupyterMessage } from './wire';

export class OutputCollector {
  /** Shared across cells: a display made in one cell may be updated from a later one. */
  private readonly displays = new Map<string, Extract<NotebookOutput, { data: MimeBundle }>>();

  collect(messages: JupyterMessage[]): NotebookOutput[] {
    const outputs: NotebookOutput[] = [];
    for (const { header, content } of messages) {
      switch (header.msg_type) {
        case 'stream': {
          const name = String(content.name);
          const text = String(content.text);
          const last = outputs.at(-1);
          // The kernel sends a message per write; Jupyter shows consecutive writes as one block.
          if (last?.output_type === 'stream' && last.name === name) last.text += text;
          else outputs.push({ output_type: 'stream', name, text });
          break;
        }
        case 'display_data': {
          const output = {
            output_type: 'display_data' as const,
            data: content.data as MimeBundle,
            metadata: (content.metadata ?? {}) as Record<string, unknown>,
          };
          outputs.push(output);
          const id = displayId(content);
          if (id) this.displays.set(id, output);
          break;
        }
        case 'update_display_data': {
          const shown = this.displays.get(displayId(content) ?? '');
          if (shown) shown.data = content.data as MimeBundle;
          break;
        }
        case 'execute_result':
          outputs.push({
            output_type: 'execute_result',
            data: content.data as MimeBundle,
            metadata: (content.metadata ?? {}) as Record<string, unknown>,
            execution_count: (content.execution_count as number | undefined) ?? null,
          });
          break;
        case 'error':
          outputs.push({
            output_type: 'error',
            ename: String(content.ename),
            evalue: String(content.evalue),
            traceback: (content.traceback as string[] | undefined) ?? [],
          });
          break;
        case 'clear_output':
          outputs.length = 0;
          break;
      }
    }
    return outputs;
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: string } | undefined;
  return transient?.display_id;
}
