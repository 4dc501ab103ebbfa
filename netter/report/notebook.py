"""Execute a percent-format analysis script as a notebook and save it as HTML.

Notebooks (``analyses/analysis.py``, ``studies/<id>/notebooks/*.py``) are plain Python with
``# %%`` cells (jupytext "percent" format):
diffable, runnable as scripts, opened by Jupyter as notebooks.  :func:`execute_script`
converts one with jupytext, runs it in a fresh IPython kernel of the running Python
(never a kernel found elsewhere on the machine) with the given working directory,
and writes the executed notebook as a self-contained HTML page (inline style, no
scripts, no timing metadata).  The ``.ipynb`` is never written to disk.  A failing
cell is one :class:`NotebookError` naming the script and the error (for netter's own
errors: the file, key, variable or value), not a traceback.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from netter.errors import NetterError

#: Notebook metadata kept in the HTML (jupytext's is dropped).
KEEP_METADATA = ("kernelspec", "language_info")


class NotebookError(NetterError):
    """A notebook cell failed: the script and the error it raised, in one message."""


def _kernel_manager():
    """A kernel manager that can only start this interpreter's own IPython kernel."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def execute_notebook(script: str | os.PathLike, *, cwd: str | os.PathLike = ".",
                     timeout: int = 900):
    """Run ``script`` (percent format) as a notebook; return the executed notebook."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(str(script), fmt="py:percent")
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"  # jupytext draws random ids
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            km=_kernel_manager(), record_timing=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute()
    except CellExecutionError as err:
        raise NotebookError(f"{script}: {err.ename}: {err.evalue}") from None
    notebook.metadata = {k: v for k, v in notebook.metadata.items() if k in KEEP_METADATA}
    for cell in notebook.cells:
        cell.metadata = {}
    return notebook


PAGE_STYLE = """\
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
  line-height: 1.45; color: #111; }
div.cell { margin: 0.8em 0; }
div.input_area pre { background: #f4f4f4; border-left: 3px solid #999; padding: 0.5em;
  overflow-x: auto; font-size: 0.85em; }
div.output_area pre { padding: 0.3em 0.5em; font-size: 0.85em; overflow-x: auto;
  border-left: 3px solid #ddd; margin: 0.3em 0; }
a.anchor-link { display: none; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 2px 6px; }
img { max-width: 100%; }
"""


def notebook_html(notebook, *, title: str) -> str:
    """The executed notebook as one HTML page without external resources.

    nbconvert's ``basic`` template gives the cells; the page around them, its style
    and the code highlighting style are inline.
    """
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter

    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    highlight = HtmlFormatter(style="default").get_style_defs(".highlight")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{PAGE_STYLE}{highlight}\n</style>", "</head>", "<body>",
        body.strip(), "</body>", "</html>", ""])


def execute_script(script: str | os.PathLike, html_out: str | os.PathLike, *,
                   cwd: str | os.PathLike = ".", timeout: int = 900) -> Path:
    """Execute ``script`` and write the HTML page ``html_out`` (folder created)."""
    script, html_out = Path(script), Path(html_out)
    notebook = execute_notebook(script, cwd=cwd, timeout=timeout)
    text = notebook_html(notebook, title=script.stem)
    html_out.parent.mkdir(parents=True, exist_ok=True)
    with open(html_out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return html_out
