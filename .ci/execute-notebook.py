"""Executes one notebook with Jupyter's own executor (nbclient, what `jupyter nbconvert --execute`
runs) and, when a cell fails, prints what that cell wrote: tslab reports a thrown error (a failed
claim included) as the cell's stderr, which nbconvert's own message leaves out.

Usage: python3 .ci/execute-notebook.py notebooks/02-many-servers.ipynb [timeout seconds per cell]
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(path: str, timeout: int) -> int:
    notebook = nbformat.read(path, as_version=4)
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": folder}})
    try:
        client.execute()
    except CellExecutionError as error:
        ran = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.get("execution_count")]
        at = ran[-1] if ran else None
        print(f"{path}: a cell failed", file=sys.stderr)
        if at is not None:
            cell = notebook.cells[at]
            print(f"-- cell {at} (code cell {len(ran)}), which begins:", file=sys.stderr)
            print("\n".join(cell.source.splitlines()[:5]), file=sys.stderr)
            print("-- what it wrote:", file=sys.stderr)
            for output in cell.get("outputs", []):
                text = output.get("text") or "\n".join(output.get("traceback", []))
                print(text[-4000:], file=sys.stderr)
        else:
            print(str(error)[-4000:], file=sys.stderr)
        return 1
    print(f"{path}: every cell ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 180))
