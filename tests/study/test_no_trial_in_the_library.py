"""No module under ``netter/`` names a NETTER-1 arm, label, cut-off or results file.

What the issue asks of ``git grep``, as a test: the source of every module, with its
docstrings (whose examples may use a study's names) blanked out, must not contain
anything NETTER-1 specific.  Comments count.  The words come from the NETTER-1 study
itself (``studies/netter1``: arms, labels, cut-off dates, analysis names) plus the
trial's names.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from tests.netter1 import study

PACKAGE = Path(__file__).resolve().parents[2] / "netter"

#: Names of the trial and its drugs, whatever the study files say.
TRIAL_WORDS = ("NETTER-", "NETTER1", "NETTER2", "177Lu", "Lutathera", "DOTATATE", "Octreotide",
               "octreotide", "SRS", "somatostatin", "midgut")
#: Names of endpoints every trial uses: not NETTER-1's.
GENERIC = {"Overall survival", "Overall survival (%)", "Sex", "Age, years", "Age group (years)"}


def forbidden() -> list[str]:
    """Arm values and labels, variable and endpoint labels, cut-off dates, analysis names
    and abbreviations of the NETTER-1 study, and the trial's names."""
    s = study()
    words = set(TRIAL_WORDS)
    words |= {a.value for a in s.arms} | {a.label for a in s.arms}
    words |= {v.label for v in s.variables.values() if v.label}
    words |= {e.label for e in s.endpoints.values() if e.label}
    words |= {e.axis for e in s.endpoints.values() if e.axis}
    words |= {c.date for c in s.cutoffs if c.date}
    words |= {a.name for a in s.analyses if "_" in a.name}
    words |= set(s.abbreviations.values())
    return sorted(words - GENERIC)


def code_without_docstrings(path: Path) -> str:
    """The module's text with every docstring replaced by blank lines (comments kept)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) and isinstance(
                    body[0].value.value, str):
                for i in range(body[0].lineno - 1, body[0].end_lineno):
                    lines[i] = ""
    return "\n".join(lines)


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_names_no_trial(path):
    text = code_without_docstrings(path)
    found = [w for w in forbidden() if re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}", text)]
    assert not found, f"{path.relative_to(PACKAGE.parent)} names {found}"


def test_no_data_files_of_a_study_in_the_package():
    """Study files (configs, published numbers) live in studies/, not in the package."""
    assert not [p for p in PACKAGE.rglob("*") if p.suffix in (".toml", ".json")]


def test_the_docstring_stripper_keeps_comments_and_code():
    source = '"""Doc 177Lu."""\nX = 1  # about NETTER\n\n\ndef f():\n    """Doc."""\n    return 2\n'
    path = Path(io.StringIO().name if False else "/tmp/netter-strip-test.py")
    path.write_text(source, encoding="utf-8")
    text = code_without_docstrings(path)
    assert "177Lu" not in text and "NETTER" in text and "return 2" in text
    assert tokenize  # the module parses as Python
