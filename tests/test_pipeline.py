"""The analyses end to end, twice, into temporary folders: byte-identical results and tables.

Each analysis script under ``analyses/`` runs in this process (as ``python
analyses/<name>.py --results DIR`` would), from the repository root so that results
record the same relative input paths as ``make``; then ``netter tables`` and ``netter
scorecard`` read the results and write their tables.  Nothing under ``reports/`` is
read or written.
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

import pytest

from netter.cli import main
from netter.scorecard import SPECS, build_scorecard, find_results
from netter.scorecard.build import NOT_COMPUTABLE

ROOT = Path(__file__).resolve().parents[1]
#: Scripts that are not endpoint analyses (run by their own make targets).
OTHER_SCRIPTS = {"calibration", "reconstruction"}


def makefile_analyses() -> dict[str, list[str]]:
    """``ANALYSES`` of the Makefile and the results files each writes (``<a>_RESULTS``)."""
    text = (ROOT / "Makefile").read_text()
    names = re.search(r"^ANALYSES := (.+)$", text, flags=re.M).group(1).split()
    return {name: re.search(rf"^{name}_RESULTS\s*:=(.*)$", text, flags=re.M).group(1).split()
            for name in names}


def makefile_list(name: str) -> list[str]:
    """A ``NAME := a b c`` list of the Makefile."""
    text = (ROOT / "Makefile").read_text()
    return re.search(rf"^{name}\s*:= (.+)$", text, flags=re.M).group(1).split()


ANALYSES = makefile_analyses()
RESULTS = sorted(f"{r}.json" for files in ANALYSES.values() for r in files)
TTE_RESULTS = makefile_list("TTE_RESULTS")
RESPONSE_RESULTS = makefile_list("RESPONSE_RESULTS")


def run_analysis(name: str, results: Path) -> None:
    """``python analyses/<name>.py --data data/synthetic --results <results>``, in-process."""
    script = ROOT / "analyses" / f"{name}.py"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setattr(sys, "argv", [str(script), "--data", "data/synthetic",
                                    "--results", str(results)])
        runpy.run_path(str(script), run_name="__main__")


def run_pipeline(reports: Path) -> Path:
    """Every analysis with results, then the tables and the scorecard, under ``reports``
    (the commands of the Makefile)."""
    results = reports / "results"
    for name, files in ANALYSES.items():
        if files:
            run_analysis(name, results)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for name in TTE_RESULTS + RESPONSE_RESULTS:
            extra = ["--data", "data/synthetic/primary"] if name == "pfs_primary" else []
            assert main(["tables", "--quiet", "--results", str(results / f"{name}.json"),
                         "--out", str(reports / "tables"), "--name", name, *extra]) == 0
    assert main(["scorecard", "--quiet", "--no-figure", "--results", str(results),
                 "--out", str(reports)]) == 0
    return reports


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    first = run_pipeline(tmp_path_factory.mktemp("first"))
    second = run_pipeline(tmp_path_factory.mktemp("second"))
    return first, second


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_analysis_script_is_built_by_make():
    scripts = {p.stem for p in (ROOT / "analyses").glob("*.py")} - OTHER_SCRIPTS
    assert scripts == set(ANALYSES)


def test_results_files_are_the_ones_make_expects(runs):
    first, _ = runs
    written = sorted(p.name for p in (first / "results").glob("*.json"))
    assert written == sorted([*RESULTS, "scorecard.json"])


def test_rerun_from_scratch_is_byte_identical(runs):
    first, second = runs
    a, b = _files(first), _files(second)
    assert sorted(a) == sorted(b)
    tables = {name for name in a if name.startswith("tables/")}
    assert {f"tables/{r}--summary.csv" for r in TTE_RESULTS} | {
        f"tables/{r}--response.csv" for r in RESPONSE_RESULTS} | {
        "tables/baseline.csv", "tables/scorecard.csv"} <= tables
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_results_record_relative_inputs(runs):
    import json

    first, _ = runs
    doc = json.loads((first / "results" / "os_final.json").read_text())
    assert doc["inputs"]["adsl"]["path"] == "data/synthetic/final/adsl.csv"


def test_every_scorecard_row_resolves_on_the_synthetic_trial(runs):
    """A row that points into results it cannot find is a typo."""
    first, _ = runs
    card = build_scorecard(find_results([first / "results"]))
    by_record = {s.record: s for s in SPECS}
    unresolved = {r.record: r.note for r in card.rows
                  if r.status == NOT_COMPUTABLE and by_record[r.record].value is not None}
    assert unresolved == {}
    orr = next(r for r in card.rows if r.record == "orr.nejm.lu")
    assert orr.unit == "%" and 5 < orr.reproduced < 40 and "clopper-pearson" in orr.method
    assert card.summary.inside > card.summary.outside > 0


def test_walkthrough_runs(tmp_path, capsys):
    run_analysis("pfs_walkthrough", tmp_path)
    out = capsys.readouterr().out
    assert "predicted 177Lu S(20)" in out and "24 weeks" in out
    assert not any(tmp_path.iterdir())  # it writes no results
