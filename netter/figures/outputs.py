"""What ``netter figures`` writes: every figure of a results (and subgroups) document.

Files are named by analysis and kind, never by figure number::

    <out>/<name>--km.png, <name>--km.svg              Kaplan-Meier figure (results)
    <out>/<name>--forest.png, <name>--forest.svg      forest plot (subgroups)
    <out>/<name>--response.png, <name>--response.svg  response figure (results with a
                                                      "response" block)

Examples
--------
>>> import tempfile
>>> from netter.tables.specimen import specimen_subgroups
>>> [p.name for p in write_figures(tempfile.mkdtemp(), "pfs", subgroups=specimen_subgroups())]
['pfs--forest.png', 'pfs--forest.svg']
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt

from netter.endpoints.subgroups import SubgroupsDocument
from netter.errors import NetterError
from netter.figures.forest import forest_figure
from netter.figures.km import km_figure
from netter.figures.response import response_figure
from netter.figures.theme import SINGLE, save_figure
from netter.results import ResultsDocument
from netter.tables.outputs import choose_endpoint, chosen_kinds, response_block


def _save(figure, out: Path, stem: str) -> list[Path]:
    try:
        return save_figure(figure, out, stem)
    finally:
        plt.close(figure)


#: Figure kinds, as they end the file names (``NAME--<kind>.png``).
FIGURE_KINDS = ("km", "forest", "response")


def write_figures(out: str | os.PathLike, name: str, *,
                  results: ResultsDocument | None = None,
                  subgroups: SubgroupsDocument | None = None, param: str | None = None,
                  width: float = SINGLE, kinds=None) -> list[Path]:
    """Draw and save every figure the documents allow (see the module docstring).

    Parameters
    ----------
    out : path-like
        Folder (created if needed).
    name : str
        Analysis name, the files' prefix (e.g. ``"pfs_primary"``).
    results : ResultsDocument, optional
        ``netter analyze`` output: the Kaplan-Meier figure of ``param`` and, when the
        document has a ``"response"`` block, the response figure.
    subgroups : SubgroupsDocument, optional
        ``netter subgroups`` output: the forest plot.
    param : str, optional
        Endpoint of ``results`` (default: its only one).
    width : float
        Figure width in inches (3.5: single column).
    kinds : collection of str, optional
        Only these of ``"km"``, ``"forest"``, ``"response"`` (default: every kind the
        documents allow).

    Returns
    -------
    list of Path
        The files written, PNG before SVG, in the order above.
    """
    if results is None and subgroups is None:
        raise NetterError("nothing to draw: give a results and/or a subgroups document")
    wanted = chosen_kinds(kinds, FIGURE_KINDS)
    out, written = Path(out), []
    if results is not None and "km" in wanted:
        endpoint = results.endpoints[choose_endpoint(results, param)]
        written += _save(km_figure(endpoint, title=None, reference=results.reference_arm,
                                   width=width), out, f"{name}--km")
    if subgroups is not None and "forest" in wanted:
        written += _save(forest_figure(subgroups, width=width), out, f"{name}--forest")
    block = None if results is None else response_block(results)
    if block is not None and "response" in wanted:
        written += _save(response_figure(block, width=width), out, f"{name}--response")
    return written
