"""The command line stays light: building the parser (``netter --help``, every command's
start) imports neither pandas nor SciPy nor plotting; each sub-command imports what it
needs when it runs, and the statistics never import ``scipy.stats`` unless an exact test
asks for it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "scipy", "scipy.stats", "matplotlib", "plotnine", "lifelines",
         "statsmodels", "nbclient", "jupytext")


def _loaded(code: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", code + "\nimport sys\n"
                          "print('\\n'.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_building_the_parser_imports_nothing_heavy():
    loaded = _loaded("from netter.cli import build_parser\nbuild_parser()")
    assert loaded & set(HEAVY) == set()


def test_the_statistics_do_not_import_scipy_stats():
    loaded = _loaded("import netter.stats.km, netter.stats.cox, netter.stats.logrank, "
                     "netter.stats.rmst, netter.stats.binomial, netter.stats.contingency, "
                     "netter.endpoints.study")
    assert "scipy.special" in loaded and "scipy.stats" not in loaded
