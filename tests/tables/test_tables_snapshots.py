"""Tables of hand-written documents equal the committed expected files, byte for byte.

The expected files were read and checked by hand.  After an intended change of a
table, regenerate them with ``NETTER_UPDATE_SNAPSHOTS=1 pytest tests/tables`` and
review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from netter.tables.baseline import baseline_table
from netter.tables.response import response_table
from netter.tables.specimen import specimen_baseline, specimen_response, specimen_results
from netter.tables.table import Row, Table
from netter.tables.tte import tte_summary_table

EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture
def results():
    return specimen_results()


@pytest.fixture
def response():
    return specimen_response()


@pytest.fixture
def baseline():
    return specimen_baseline()


def check_snapshot(name: str, text: str) -> None:
    path = EXPECTED / name
    if os.environ.get("NETTER_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("param", ["PFS", "OS"])
def test_tte_summary_snapshot(results, param):
    table = tte_summary_table(results, param)
    check_snapshot(f"{param.lower()}--summary.csv", table.to_csv())
    assert table.id == f"TTET01-{param}"


def test_response_snapshot(response, results):
    table = response_table(response, reference=results.reference_arm, methods=results.methods)
    check_snapshot("response.csv", table.to_csv())


def test_baseline_snapshot(baseline):
    check_snapshot("baseline.csv", baseline_table(baseline).to_csv())


def test_html_snapshot_and_self_contained(results):
    html = tte_summary_table(results, "PFS").to_html()
    check_snapshot("pfs--summary.html", html)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"<script|<link|src=|href=|@import|url\(", html)
    assert "28.2" not in html and "13.5 (9.0–NR)" in html


def test_every_table_names_its_methods(results, response, baseline):
    summary = " ".join(tte_summary_table(results, "PFS").footnotes)
    for needed in ("profile: r", "log-transformed", "Efron ties", "stratified analyses by "
                   "STRAT1R", "Brookmeyer-Crowley", "reference arm"):
        assert needed in summary, needed
    os_notes = " ".join(tte_summary_table(results, "OS").footnotes)
    assert "no stratification" in os_notes and "NE event-free rate" in os_notes
    resp = " ".join(response_table(response).footnotes)
    for needed in ("confirmation", "Clopper-Pearson", "Newcombe", "continuity correction"):
        assert needed in resp, needed
    assert "n - 1 denominator" in " ".join(baseline_table(baseline).footnotes)


def test_response_table_from_the_minimal_block_shape(response):
    minimal = {"confirmed": False,
               "arms": [{k: a[k] for k in ("arm", "n", "responders", "rate", "ci", "ci_method",
                                           "bor_counts", "dcr")} for a in response["arms"]],
               "difference": {k: response["difference"][k] for k in ("estimate", "ci",
                                                                      "method")},
               "odds_ratio": {"estimate": 4.5, "ci": [0.4, None]}, "fisher_p_value": 0.0004,
               "cmh": {"statistic": 3.1, "p_value": None, "correct": True,
                       "strata": ["STRAT1R", "STRAT2R"]}}
    table = response_table(minimal, reference="Octreotide LAR 60 mg")
    cells = {row.label: row.cells for row in table.rows}
    assert cells["Odds ratio (95% CI)"] == ("4.50 (0.40–∞)", "")
    assert cells["Fisher exact test p-value"] == ("<0.001", "")
    assert cells["Cochran-Mantel-Haenszel p-value (STRAT1R, STRAT2R)"] == ("NE", "")
    assert "unconfirmed CR and PR counted" in " ".join(table.footnotes)
    assert "with continuity correction" in " ".join(table.footnotes)


def test_rows_must_fill_every_column():
    with pytest.raises(ValueError, match="does not have 2 cells"):
        Table("X", "x", ("", "a", "b"), (Row("n", ("1",)),), ("note",))


def test_csv_quotes_and_indents_and_html_escapes():
    table = Table("X01", "A <b> & c", ("", "A, B"), (Row('say "hi"', ("1",), indent=2),),
                  ("x < y",))
    assert table.to_csv().splitlines()[:2] == [',"A, B"', '"    say ""hi""",1']
    html = table.to_html()
    assert "A &lt;b&gt; &amp; c" in html and "x &lt; y" in html and 'class="indent2"' in html
