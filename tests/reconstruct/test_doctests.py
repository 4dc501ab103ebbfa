"""Every public example in netter.reconstruct runs as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["__init__", "inputs", "cleaning", "guyot", "digitiser", "diagnostics", "write",
           "pipeline", "report", "scorecard", "roundtrip", "examples", "command"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module("netter.reconstruct" if name == "__init__"
                                     else f"netter.reconstruct.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
