"""A study's analyses end to end, twice, into temporary folders: byte-identical results,
figures' inputs and tables, as ``make report`` builds them.

Each notebook the study's plan runs (its own under ``studies/<id>/notebooks/``, the
generic ``analyses/analysis.py`` for the others) executes in this process as a script
(``python <script> --study S --results DIR``, as a kernel would), from the repository
root so results record the same relative input paths as ``make``; then ``netter tables``
and ``netter scorecard`` read the results and write their tables.  Nothing under
``reports/`` is read or written.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import pytest

from netter.cli import main
from netter.report.plan import analysis_outputs, notebook_runs
from netter.scorecard import build_scorecard, find_results, load_mapping
from netter.scorecard.build import NOT_COMPUTABLE
from tests.netter1 import study

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "analyses" / "analysis.py"
#: Notebooks that save no results (an educator's walkthrough, the reconstruction example,
#: the engines explainer, the design studies: they write design/ folders).
NO_RESULTS = {"pfs_walkthrough", "reconstruction", "explain_engines", "design_scans",
              "design_crossover", "design_sample_size"}


def run_notebook(run, results: Path) -> None:
    """One notebook of the plan, as a script, in this process."""
    script = Path(run.script) if run.script else GENERIC
    argv = [str(script), "--study", "netter1", "--results", str(results)]
    if run.generic:
        argv += ["--analysis", run.analyses[0]]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setattr(sys, "argv", argv)
        runpy.run_path(str(ROOT / script), run_name="__main__")


def run_pipeline(reports: Path) -> Path:
    """Every notebook that saves results, then the tables and the scorecard (the commands
    of the Makefile)."""
    results = reports / "results"
    for run in notebook_runs(study()):
        if run.analyses:
            run_notebook(run, results)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for analysis in study().analyses:
            if analysis_outputs(analysis).tables:
                assert main(["tables", "--quiet", "--results",
                             str(results / f"{analysis.name}.json"), "--out",
                             str(reports / "tables"), "--name", analysis.name]) == 0
    assert main(["scorecard", "--quiet", "--no-figure", "--study", "netter1", "--results",
                 str(results), "--out", str(reports)]) == 0
    return reports


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    first = run_pipeline(tmp_path_factory.mktemp("first"))
    second = run_pipeline(tmp_path_factory.mktemp("second"))
    return first, second


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_analysis_is_saved_by_one_notebook():
    runs = notebook_runs(study())
    saved = [a for run in runs for a in run.analyses]
    assert sorted(saved) == sorted(a.name for a in study().analyses)
    assert {run.name for run in runs if not run.analyses} == NO_RESULTS


def test_results_files_are_the_ones_the_plan_expects(runs):
    first, _ = runs
    written = sorted(p.stem for p in (first / "results").glob("*.json"))
    assert written == sorted([*(a.name for a in study().analyses), "scorecard"])


def test_tables_are_the_ones_the_plan_expects(runs):
    first, _ = runs
    written = sorted(p.stem for p in (first / "tables").glob("*.csv"))
    expected = [t for a in study().analyses for t in analysis_outputs(a).tables]
    assert written == sorted([*expected, "scorecard"])


def test_rerun_from_scratch_is_byte_identical(runs):
    first, second = runs
    a, b = _files(first), _files(second)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_results_record_the_study_and_relative_inputs(runs):
    first, _ = runs
    doc = json.loads((first / "results" / "os_final.json").read_text())
    assert doc["inputs"]["adsl"]["path"] == "data/synthetic/netter1/final/adsl.csv"
    assert doc["data"] == "data/synthetic/netter1/final"
    assert doc["study"] == {"id": "netter1", "title": study().title, "analysis": "os_final",
                            "analysis_title": "Overall survival, final analysis",
                            "cutoff": {"name": "final", "date": "2021-01-14"}}
    assert [a["value"] for a in doc["arm_labels"]] == list(study().arm_values)


def test_every_scorecard_row_resolves_on_the_synthetic_trial(runs):
    """A row that points into results it cannot find is a typo."""
    first, _ = runs
    card = build_scorecard(study(), find_results([first / "results"]))
    by_record = {s.record: s for s in load_mapping(study()).specs}
    unresolved = {r.record: r.note for r in card.rows
                  if r.status == NOT_COMPUTABLE and by_record[r.record].value is not None}
    assert unresolved == {}
    orr = next(r for r in card.rows if r.record == "orr.nejm.lu")
    assert orr.unit == "%" and 5 < orr.reproduced < 40 and "clopper-pearson" in orr.method
    assert card.summary.inside > card.summary.outside > 0
    assert card.summary.not_computable == 0


def test_walkthrough_runs(tmp_path, capsys):
    walkthrough = next(r for r in notebook_runs(study()) if r.name == "pfs_walkthrough")
    run_notebook(walkthrough, tmp_path)
    out = capsys.readouterr().out
    assert "predicted 177Lu S(20)" in out and "24 weeks" in out
    assert not any(tmp_path.iterdir())  # it writes no results
