"""What every analysis script under ``analyses/`` shares: where its data are and where
its results go.

An analysis reads ADaM folders ``<data>/<cutoff>/`` (``primary``, ``update``,
``final``: the layout of ``netter simulate``) and writes ``<results>/<name>.json``.
Both folders come from, in order: the command line (``--data``, ``--results``), the
environment (``NETTER_DATA``, ``NETTER_RESULTS``: how ``make`` passes them to an
executed notebook), the defaults ``data/synthetic`` and ``reports/results``, relative
to the working directory (the repository root under ``make``).  Paths stay as given,
so the results record relative input paths and two runs give the same bytes.

Examples
--------
>>> options = analysis_options(argv=["--data", "my/adam", "--results", "out"], environ={})
>>> options.cutoff("final"), options.results_file("os_final")
('my/adam/final', PosixPath('out/os_final.json'))
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from netter.artefacts import write_results

DEFAULT_DATA = "data/synthetic"
DEFAULT_RESULTS = "reports/results"
ENV_DATA, ENV_RESULTS = "NETTER_DATA", "NETTER_RESULTS"


@dataclass(frozen=True)
class AnalysisOptions:
    """The data folder (with one subfolder per cut-off) and the results folder."""

    data: str
    results: str

    def cutoff(self, name: str) -> str:
        """The ADaM folder of cut-off ``name`` (``primary``, ``update``, ``final``)."""
        return str(PurePosixPath(self.data) / name)

    def results_file(self, name: str) -> Path:
        """``<results>/<name>.json``."""
        return Path(self.results) / f"{name}.json"


def analysis_options(description: str = "", *, argv=None, environ=None) -> AnalysisOptions:
    """Options of an analysis script (see the module docstring).

    Unknown arguments are ignored, so the same code runs as a script and in a
    Jupyter kernel (which passes its own ``-f`` argument).
    """
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", default=environ.get(ENV_DATA, DEFAULT_DATA),
                        help="ADaM folder with one subfolder per cut-off")
    parser.add_argument("--results", default=environ.get(ENV_RESULTS, DEFAULT_RESULTS),
                        help="folder for the results JSON files")
    args, _ = parser.parse_known_args(argv)
    return AnalysisOptions(data=args.data, results=args.results)


def save(document, options: AnalysisOptions, name: str) -> Path:
    """Write ``document`` to ``<results>/<name>.json`` (canonical JSON, folder created)."""
    path = options.results_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_results(document, path)


def show(figure) -> None:
    """Show a figure of :mod:`netter.figures` in a notebook, then close it.

    Outside IPython (``python analyses/<name>.py``) nothing is shown; the figure is
    closed either way, so scripts that draw many figures hold none open.
    """
    import matplotlib.pyplot as plt

    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from IPython.display import display

            display(figure)
    finally:
        plt.close(figure)
