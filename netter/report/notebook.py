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
from contextlib import contextmanager
from dataclasses import dataclass, field
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


def _read_script(script: str | os.PathLike):
    """The percent-format ``script`` as a notebook with stable cell ids and metadata."""
    import jupytext

    notebook = jupytext.read(str(script), fmt="py:percent")
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"  # jupytext draws random ids
    return notebook


def _client(notebook, *, km, cwd, timeout: int):
    from nbclient import NotebookClient

    return NotebookClient(notebook, timeout=timeout, kernel_name="python3", km=km,
                          record_timing=False, extra_arguments=EXTRA_ARGUMENTS,
                          resources={"metadata": {"path": str(cwd)}})


def _executed(notebook):
    """The executed notebook without run-dependent metadata or stream boundaries."""
    notebook.metadata = {k: v for k, v in notebook.metadata.items() if k in KEEP_METADATA}
    for cell in notebook.cells:
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return notebook


def merge_streams(outputs: list) -> list:
    """Adjacent stream outputs of one stream (stdout, stderr) as one.

    A kernel sends buffered output when its buffer is flushed, every 0.2 s: a cell that
    prints, computes and prints again gives one stream output or two depending on the
    machine's speed.  Merged, the page depends on what was printed only.  (Output on
    either side of a figure or table stays on its side: the kernel flushes before
    displaying.)

    Examples
    --------
    >>> a = {"output_type": "stream", "name": "stdout", "text": "a\\n"}
    >>> b = {"output_type": "stream", "name": "stdout", "text": "b\\n"}
    >>> e = {"output_type": "stream", "name": "stderr", "text": "e\\n"}
    >>> [o["text"] for o in merge_streams([a, b, e, dict(b)])]
    ['a\\nb\\n', 'e\\n', 'b\\n']
    """
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
            merged[-1] = type(last)({**last, "text": last["text"] + output["text"]})
        else:
            merged.append(output)
    return merged


def _run(notebook, script, *, km, cwd, timeout: int):
    """Execute ``notebook`` with kernel manager ``km``."""
    from nbclient.exceptions import CellExecutionError

    client = _client(notebook, km=km, cwd=cwd, timeout=timeout)
    try:
        client.execute()
    except CellExecutionError as err:
        raise NotebookError(f"{script}: {err.ename}: {err.evalue}") from None
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return _executed(notebook)


async def _run_async(notebook, script, *, km, cwd, timeout: int):
    """:func:`_run` in a running event loop (several notebooks at once)."""
    from nbclient.exceptions import CellExecutionError

    client = _client(notebook, km=km, cwd=cwd, timeout=timeout)
    try:
        await client.async_execute()
    except CellExecutionError as err:
        raise NotebookError(f"{script}: {err.ename}: {err.evalue}") from None
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return _executed(notebook)


#: Arguments of every kernel (launched or forked).
EXTRA_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


def execute_notebook(script: str | os.PathLike, *, cwd: str | os.PathLike = ".",
                     timeout: int = 900):
    """Run ``script`` (percent format) as a notebook; return the executed notebook."""
    return _run(_read_script(script), script, km=_kernel_manager(), cwd=cwd,
                timeout=timeout)


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


def _write_page(notebook, script: Path, html_out: Path) -> Path:
    text = notebook_html(notebook, title=script.stem)
    html_out.parent.mkdir(parents=True, exist_ok=True)
    with open(html_out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return html_out


def execute_script(script: str | os.PathLike, html_out: str | os.PathLike, *,
                   cwd: str | os.PathLike = ".", timeout: int = 900) -> Path:
    """Execute ``script`` and write the HTML page ``html_out`` (folder created)."""
    script, html_out = Path(script), Path(html_out)
    return _write_page(execute_notebook(script, cwd=cwd, timeout=timeout), script, html_out)


@dataclass(frozen=True)
class NotebookJob:
    """One notebook of a batch: its script, its page and its kernel's extra environment."""

    script: Path
    html_out: Path
    env: dict = field(default_factory=dict)


def execute_scripts(jobs, *, cwd: str | os.PathLike = ".", timeout: int = 900,
                    workers: int = 1, progress=None) -> list[Path]:
    """Execute several scripts, each in a fresh kernel forked from one warm process.

    Each kernel is a fork of this process after :func:`netter.report.kernels.preload`
    (no interpreter start-up or library import per notebook), with the job's
    environment variables; the pages are the same as :func:`execute_script` writes.
    Without ``os.fork`` each notebook gets a launched kernel, one at a time.  A failing
    notebook raises :class:`NotebookError` after the other notebooks have run (their
    pages are written).

    Parameters
    ----------
    jobs : sequence of NotebookJob
        Independent notebooks (none reads what another writes).
    cwd : path-like
        Working directory of every kernel.
    workers : int
        Notebooks run at once (the pages do not depend on it).
    progress : callable, optional
        Called with each job when it starts (e.g. to print what runs).
    """
    from netter.report.kernels import can_fork, forked_kernels, preload

    jobs = list(jobs)
    notebooks = [_read_script(job.script) for job in jobs]
    if not can_fork():  # pragma: no cover - POSIX has fork
        written = []
        for job, notebook in zip(jobs, notebooks, strict=True):
            if progress:
                progress(job)
            with _environment(job.env):
                run = _run(notebook, job.script, km=_kernel_manager(), cwd=cwd,
                           timeout=timeout)
            written.append(_write_page(run, Path(job.script), Path(job.html_out)))
        return written
    import asyncio

    preload()
    from nbconvert import HTMLExporter  # noqa: F401  (imported once, before the forks)

    async def batch(managers):
        gate = asyncio.Semaphore(max(1, workers))

        async def one(job, notebook, km):
            async with gate:
                if progress:
                    progress(job)
                run = await _run_async(notebook, job.script, km=km, cwd=cwd,
                                       timeout=timeout)
                return _write_page(run, Path(job.script), Path(job.html_out))

        done = await asyncio.gather(*(one(*args) for args in zip(jobs, notebooks, managers,
                                                                   strict=True)),
                                    return_exceptions=True)
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome
        return list(done)

    with forked_kernels([(cwd, job.env) for job in jobs],
                        extra_arguments=EXTRA_ARGUMENTS) as managers:
        return asyncio.run(batch(managers))


@contextmanager
def _environment(env: dict):
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
