"""Executes one notebook with Jupyter's own executor (nbclient, what `jupyter nbconvert --execute`
runs), twice in one kernel: every cell in order, then every cell again without a restart, as a
reader who presses Run All a second time. When a cell fails, it prints what that cell wrote: tslab
reports a thrown error (a failed claim included) as the cell's stderr, which nbclient's own message
leaves out.

A kernel that does not answer as it starts is started once more, before any cell has run: tslab's
kernel can fail its first reply ("Socket is blocked by a bind or unbind operation", zeromq's EBUSY
while its sockets bind) and then never answers. A cell that fails is never run again.

Usage: python3 .ci/execute-notebook.py notebooks/02-many-servers.ipynb [timeout seconds per cell]
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

RUN_ALL_TIMES = 2
KERNEL_STARTS = 2


def main(path: str, timeout: int) -> int:
    folder = os.path.dirname(os.path.abspath(path))
    for start in range(1, KERNEL_STARTS + 1):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": folder}})
        kernel = client.setup_kernel()
        try:
            kernel.__enter__()
        except RuntimeError as error:  # nbclient has shut that kernel down; no cell has run
            if start == KERNEL_STARTS:
                raise
            print(f"{path}: the kernel did not start ({error}); starting another", file=sys.stderr)
            continue
        try:
            return run_every_cell(path, notebook, client)
        finally:
            kernel.__exit__(None, None, None)
    raise AssertionError("not reached: the last start returns or raises")


def run_every_cell(path, notebook, client) -> int:
    code_cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    for run_all in range(1, RUN_ALL_TIMES + 1):
        for at in code_cells:
            try:
                client.execute_cell(notebook.cells[at], at)
            except CellExecutionError as error:
                report(path, notebook, at, code_cells.index(at) + 1, run_all, error)
                return 1
    print(f"{path}: every cell ran, {RUN_ALL_TIMES} times in one kernel")
    return 0


def report(path, notebook, at, code_number, run_all, error) -> None:
    again = ""
    if run_all > 1:
        again = f" on Run All number {run_all} in the same kernel, after every cell had passed"
    print(f"{path}: a cell failed{again}", file=sys.stderr)
    cell = notebook.cells[at]
    print(f"-- cell {at} (code cell {code_number}), which begins:", file=sys.stderr)
    print("\n".join(cell.source.splitlines()[:5]), file=sys.stderr)
    print("-- what it wrote:", file=sys.stderr)
    for output in cell.get("outputs", []):
        text = output.get("text") or "\n".join(output.get("traceback", []))
        print(text[-4000:], file=sys.stderr)
    if not cell.get("outputs"):
        print(str(error)[-4000:], file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 180))
