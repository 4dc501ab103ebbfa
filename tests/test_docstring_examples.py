"""Every netter module carries runnable examples (run by pytest --doctest-modules)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import netter

#: Modules without examples: package indexes, the CLI and error classes (exercised by the
#: CLI tests), and report plumbing that only writes files (covered by the pipeline tests).
WITHOUT_EXAMPLES = {
    "netter.adam", "netter.endpoints", "netter.figures", "netter.report", "netter.stats",
    "netter.synthetic", "netter.tables", "netter.cli", "netter.cli.data", "netter.cli.outputs",
    "netter.cli.study", "netter.errors", "netter.__main__",
    "netter.report.__main__", "netter.report.index", "netter.report.notebook",
    "netter.scorecard.figure",
}
MODULES = sorted(m.name for m in pkgutil.walk_packages(netter.__path__, "netter.")
                 if m.name not in WITHOUT_EXAMPLES)


@pytest.mark.parametrize("name", MODULES)
def test_module_has_docstring_examples(name):
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    assert any(t.examples for t in tests), f"{name} has no docstring example"
