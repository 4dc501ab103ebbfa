"""What every notebook shares: which study, which data, where results go; run and save.

A notebook (a study's own under ``studies/<id>/notebooks/``, or the generic
``analyses/analysis.py``) runs analyses the study declares and saves their results.
Its options come from, in order: the command line (``--study``, ``--data``,
``--results``, ``--analysis``), the environment (``NETTER_STUDY``, ``NETTER_DATA``,
``NETTER_RESULTS``, ``NETTER_ANALYSIS``: how ``make`` passes them to an executed
notebook), and the defaults: the project's default study, the study's own data folder,
``<project>/reports/<study id>/results``, the study's first analysis.  Paths are
resolved against the project, not the working directory, so a notebook runs the same
from ``make`` (working directory: the project) and from a Jupyter kernel started in
any folder of the project.

Examples
--------
>>> options = analysis_options(argv=["--data", "my/adam", "--results", "out"], environ={})
>>> options.data, options.results_file("overall")
('my/adam', PosixPath('out/overall.json'))
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from netter.artefacts import write_results
from netter.study import Study, load_study
from netter.study.load import ENV_STUDY, project_root

ENV_DATA, ENV_RESULTS, ENV_ANALYSIS = "NETTER_DATA", "NETTER_RESULTS", "NETTER_ANALYSIS"


@dataclass(frozen=True)
class AnalysisOptions:
    """The study, its data folder (``None``: the study's own), the results folder, and
    the analysis a generic notebook runs."""

    study: Study
    data: str | None
    results: str
    analysis: str | None = None

    def results_file(self, name: str) -> Path:
        """``<results>/<name>.json``."""
        return Path(self.results) / f"{name}.json"

    def run(self, name: str):
        """Run the study's analysis ``name`` (:func:`netter.endpoints.study.run_analysis`)."""
        from netter.endpoints.study import run_analysis

        return run_analysis(self.study, name, self.data)

    def chosen_analysis(self):
        """The analysis of a generic notebook: the one named, else the study's first."""
        name = self.analysis or self.study.analyses[0].name
        return self.study.analysis(name)


def _relative(path: Path) -> str:
    """``path`` relative to the working directory when inside it (results then record the
    same relative paths from ``make`` and from a kernel in the project root)."""
    try:
        return Path(os.path.relpath(path.resolve())).as_posix() if path.resolve().is_relative_to(
            Path.cwd().resolve()) else path.as_posix()
    except ValueError:
        return path.as_posix()


def analysis_options(description: str = "", *, argv=None, environ=None) -> AnalysisOptions:
    """Options of a notebook (see the module docstring).

    Unknown arguments are ignored, so the same code runs as a script and in a Jupyter
    kernel (which passes its own ``-f`` argument).
    """
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--study", default=environ.get(ENV_STUDY))
    parser.add_argument("--data", default=environ.get(ENV_DATA))
    parser.add_argument("--results", default=environ.get(ENV_RESULTS))
    parser.add_argument("--analysis", default=environ.get(ENV_ANALYSIS))
    args, _ = parser.parse_known_args(argv)
    study = load_study(args.study)
    results = args.results
    if results is None:
        root = project_root() or Path.cwd()
        results = _relative(root / "reports" / study.id / "results")
    return AnalysisOptions(study=study, data=args.data, results=results,
                           analysis=args.analysis)


def save(document, options: AnalysisOptions, name: str) -> Path:
    """Write ``document`` to ``<results>/<name>.json`` (canonical JSON, folder created)."""
    path = options.results_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_results(document, path)


def show(figure) -> None:
    """Show a figure of :mod:`netter.figures` in a notebook, then close it.

    Outside IPython (``python <notebook>.py``) nothing is shown; the figure is closed
    either way, so scripts that draw many figures hold none open.
    """
    import matplotlib.pyplot as plt

    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from IPython.display import display

            display(figure)
    finally:
        plt.close(figure)


def show_table(table) -> None:
    """Show a :class:`~netter.tables.table.Table` in a notebook (its HTML), else print it."""
    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from IPython.display import HTML, display

            display(HTML(table.to_html()))
            return
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    print(table.to_csv())
