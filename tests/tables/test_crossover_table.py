"""Crossover table (``XOVT01``): rows, numbers as formatted, footnotes, dispatch, safety.

Documents come from :func:`netter.endpoints.crossover.analyze_crossover` on the committed
synthetic NETTER-1 final cut-off (43 switchers from the octreotide arm) and on rpsftm's
``immdef`` trial (no PFS: two-stage estimation is not estimable).
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from netter.adam.io import load_adam
from netter.artefacts import read_any, write_results
from netter.cli import main
from netter.endpoints.crossover import analyze_crossover, empty_crossover
from netter.endpoints.text import document_text
from netter.results import ArmLabel, CrossoverDocument, ResultsDocument
from netter.results.crossover import METHODS
from netter.scorecard.paths import READABLE
from netter.tables import fmt
from netter.tables.crossover import (
    NAIVE_HEADING,
    TABLE_ID,
    ci_short,
    crossover_table,
    method_rows,
)
from netter.tables.outputs import document_tables, write_tables
from netter.tables.specimen import specimen_crossover, specimen_results
from tests.netter1 import ARM, FINAL, REF, ROOT

IMMDEF = ROOT / "tests" / "reference" / "data" / "immdef"
COVARIATES = ("STRAT1R", "STRAT2R")


@pytest.fixture(scope="module")
def final():
    return load_adam(FINAL)


@pytest.fixture(scope="module")
def every_method(final):
    """Every method on the final cut-off, covariates as ``netter crossover --study``."""
    return analyze_crossover(final, param="OS", reference=REF, methods=METHODS,
                             covariates=COVARIATES)


@pytest.fixture(scope="module")
def no_root(final):
    """RPSFTM searched where its estimating function has no root: not estimable."""
    return analyze_crossover(final, param="OS", reference=REF, methods=("rpsftm", "ipcw"),
                             rpsftm_interval=(1.0, 3.0), covariates=COVARIATES)


@pytest.fixture(scope="module")
def immdef():
    return analyze_crossover(load_adam(IMMDEF), param="OS", reference="Deferred",
                             time_unit="years")


def _rows(table):
    return {row.label: row for row in table.rows}


def _csv(table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.to_csv())))


def test_one_row_per_method_itt_first_naive_last_under_a_biased_heading(every_method):
    table = crossover_table(every_method)
    assert table.id == TABLE_ID
    assert table.columns == ("Method", "HR (95% CI)", "CI method", "Key parameter")
    assert [(r.label, r.section, r.indent) for r in table.rows] == [
        ("ITT (as randomised)", False, 0),
        ("Adjusted for switching", True, 0),
        ("RPSFTM, re-censored", False, 1),
        ("RPSFTM, not re-censored", False, 1),
        ("IPCW", False, 1),
        ("Two-stage estimation", False, 1),
        (NAIVE_HEADING, True, 0),
        ("Switchers censored at switch (naive)", False, 1),
        ("Switchers excluded (naive)", False, 1)]
    assert NAIVE_HEADING == "Naive comparators (biased)"
    assert table.title == (f"OS: hazard ratio of {ARM} vs {REF} adjusted for treatment "
                           "switching")


def test_hazard_ratios_and_key_parameters_are_the_document_formatted(every_method):
    doc, rows = every_method, _rows(crossover_table(every_method))
    m = doc.methods
    itt = doc.itt.hazard_ratio
    assert rows["ITT (as randomised)"].cells == (
        fmt.ratio_ci(itt.estimate, itt.ci), "Wald, model SE",
        f"{ARM}: 117 (69); {REF}: 114 (78)")
    # the R-validated estimates (tests/endpoints/test_crossover.py), as the tables write them
    assert rows["ITT (as randomised)"].cells[0] == "0.72 (0.52–0.99)"
    assert rows["RPSFTM, re-censored"].cells == (
        "0.66 (0.45–0.98)", "Preserved ITT p-value", "psi -0.48 (-1.01–-0.01); AF 1.61")
    psi = m.rpsftm_no_recensor.psi
    assert rows["RPSFTM, not re-censored"].cells[2] == (
        f"psi {fmt.estimate_ci(psi.estimate, psi.ci, 2)}; "
        f"AF {fmt.number(m.rpsftm_no_recensor.acceleration_factor, 2)}")
    w = m.ipcw.weights
    assert rows["IPCW"].cells == (
        fmt.ratio_ci(m.ipcw.hazard_ratio.estimate, m.ipcw.hazard_ratio.ci), "Wald, robust SE",
        f"weights {fmt.number(w.minimum, 2)}–{fmt.number(w.maximum, 2)}; robust SE "
        f"{fmt.number(m.ipcw.hazard_ratio.se_robust, 3)}")
    af = m.tse.acceleration_factor
    assert rows["Two-stage estimation"].cells == (
        fmt.ratio_ci(m.tse.hazard_ratio.estimate, m.tse.hazard_ratio.ci),
        "Wald, naive SE (ignores stage 1)", f"AF {fmt.ratio_ci(af.estimate, af.ci)}")
    # naive comparators: their own patients (events): the excluded switchers are gone
    assert rows["Switchers censored at switch (naive)"].cells[2] == (
        f"{ARM}: 117 (69); {REF}: 114 (56)")
    assert rows["Switchers excluded (naive)"].cells[1:] == (
        "Wald, model SE", f"{ARM}: 117 (69); {REF}: 71 (56)")


def test_footnotes_give_switchers_settings_and_every_assumption_in_full(every_method):
    notes = crossover_table(every_method).footnotes
    text = "\n".join(notes)
    assert (f"Switchers: 43 (37.7%) of the 114 patients randomised to {REF} switched to the "
            "experimental treatment.") in notes
    assert "Method profile: r; Efron ties; confidence level 95%; Cox models and tests " \
           "unstratified." in notes
    assert "log-rank test, searched in [-3, 3] (tolerance 1e-10)" in text
    assert "on treatment: experimental arm their whole follow-up, switchers from the switch" \
        in text
    assert "person-intervals of 1 month" in text and "weights not truncated" in text
    assert "Weibull AFT model" in text and "(n=64, 39 events)" in text
    assert "Covariates of the switching and AFT models: STRAT1R=3, STRAT1R=4, " \
           "STRAT2R=>6 months." in notes
    assert "ITT: Cox model of the randomised arms; log-rank p=0.042." in notes
    assert "Bootstrap" not in text  # none was run
    # the document's own words: every assumption of every method, whole
    for key in METHODS:
        for assumption in getattr(every_method.methods, key).assumptions:
            assert assumption in text, assumption
    # shared assumptions are written once and referred to by number after
    assert text.count(every_method.methods.rpsftm.assumptions[0]) == 1
    assert any(n.startswith("Assumptions of RPSFTM, not re-censored: (1)–(4) as above; (6) ")
               for n in notes)
    # how each CI was made, in the document's words
    assert every_method.methods.rpsftm.hazard_ratio.ci_method in text
    assert every_method.methods.tse.warnings[0] in text


def test_not_estimable_rpsftm_keeps_its_row_and_says_why(no_root):
    table = crossover_table(no_root)
    rows = _rows(table)
    assert rows["RPSFTM, re-censored"].cells == ("NE", "", "psi NE; AF NE")
    assert ("RPSFTM, re-censored: not estimable: no root of the logrank statistic in the "
            "search interval [1, 3].") in table.footnotes
    assert "searched in [1, 3]" in "\n".join(table.footnotes)
    assert [r.label for r in table.rows] == ["ITT (as randomised)", "Adjusted for switching",
                                             "RPSFTM, re-censored", "IPCW"]


def test_trial_without_progression_two_stage_not_estimable_in_years(immdef):
    table = crossover_table(immdef)
    rows = _rows(table)
    assert rows["Two-stage estimation"].cells == ("NE", "", "AF NE")
    assert rows["ITT (as randomised)"].cells[2] == "Immediate: 500 (143); Deferred: 500 (169)"
    notes = "\n".join(table.footnotes)
    assert ("Two-stage estimation: not estimable: no progression times (the progression "
            "parameter is missing).") in table.footnotes
    assert "person-intervals of 0.0833 years" in notes
    assert "Switchers: 189 (37.8%) of the 500 patients randomised to Deferred" in notes


def test_bootstrap_adds_a_column_and_its_settings(final):
    doc = analyze_crossover(final, param="OS", reference=REF, methods=("rpsftm", "censor"),
                            bootstrap=5, seed=3)
    table = crossover_table(doc)
    assert table.columns[-1] == "Bootstrap 95% CI"
    boot = doc.methods.rpsftm.hazard_ratio.bootstrap_ci
    assert _rows(table)["RPSFTM, re-censored"].cells[3] == fmt.interval(boot, 2)
    assert _rows(table)["ITT (as randomised)"].cells[3] == ""
    assert "Bootstrap: 5 resamples within arms (seed 3), percentile CIs." in table.footnotes


def test_ci_short_names():
    assert ci_short("Wald 95%, naive model SE: it ignores the uncertainty of stage 1 "
                    "(use --bootstrap)") == "Wald, naive SE (ignores stage 1)"
    assert ci_short("bootstrap percentile, 20 of 20 resamples within arms (seed 7)") == \
        "Bootstrap percentile"
    assert ci_short("not estimable: no events") == ""


def test_arm_labels_replace_arm_values_in_the_study_order(every_method):
    doc = dataclasses.replace(every_method, arm_labels=(
        ArmLabel(REF, "Octreotide"), ArmLabel(ARM, "Lutetium")))
    table = crossover_table(doc)
    assert _rows(table)["ITT (as randomised)"].cells[2] == "Octreotide: 114 (78); " \
                                                          "Lutetium: 117 (69)"
    assert table.title == "OS: hazard ratio of Lutetium vs Octreotide adjusted for " \
                          "treatment switching"
    assert ("Comparisons: Lutetium vs Octreotide (reference arm, the arm switchers come "
            "from); HR < 1 favours Lutetium.") in table.footnotes
    assert ARM not in table.to_csv() and REF not in table.to_csv()


def test_hostile_arm_labels_are_neutralised_in_csv_and_escaped_in_html(every_method):
    formula, script = '=HYPERLINK("http://x")', "<script>alert('x')</script>"
    doc = dataclasses.replace(every_method, arm_labels=(
        ArmLabel(REF, formula), ArmLabel(ARM, script)), param_label="@SUM(A1)")
    table = crossover_table(doc)
    rows = _csv(table)
    itt = next(r for r in rows if r and r[0] == "ITT (as randomised)")
    assert itt[3].startswith("'=HYPERLINK")  # quoted: a spreadsheet shows it as text
    assert not any(cell.startswith(("=", "@", "+")) for row in rows for cell in row)
    page = table.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_specimen_table_marks_its_not_estimable_method():
    table = crossover_table(specimen_crossover())
    assert _rows(table)["Two-stage estimation"].cells == ("NE", "", "AF NE")
    assert [r.key for r in method_rows(specimen_crossover())] == ["itt", *METHODS]


def test_read_any_reads_a_crossover_document_never_a_results_one(every_method, tmp_path):
    path = write_results(every_method, tmp_path / "xo.json")
    doc = read_any(path)
    assert isinstance(doc, CrossoverDocument) and not isinstance(doc, ResultsDocument)
    assert doc == every_method
    assert "netter.crossover/1" in READABLE
    assert document_text(doc).splitlines()[0].startswith(
        f"OS: hazard ratio of {ARM} vs {REF} adjusted for switching")


def test_netter_tables_writes_the_crossover_table_byte_identically(every_method, tmp_path):
    path = write_results(every_method, tmp_path / "os_crossover.json")
    for out in ("a", "b"):
        assert main(["tables", "--results", str(path), "--out", str(tmp_path / out),
                     "--quiet"]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["os_crossover--crossover.csv", "os_crossover--crossover.html"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = (tmp_path / "a" / "os_crossover--crossover.csv").read_text(encoding="utf-8")
    assert text.startswith("Method,HR (95% CI),CI method,Key parameter\n")
    assert "Table XOVT01: OS: hazard ratio" in text
    # --kinds: the crossover table is its own kind; a param does not apply to it
    assert main(["tables", "--results", str(path), "--out", str(tmp_path / "c"), "--quiet",
                 "--kinds", "summary"]) == 0
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").iterdir())
    assert main(["tables", "--results", str(path), "--out", str(tmp_path / "d"), "--quiet",
                 "--name", "xo", "--kinds", "crossover", "--param", "PFS"]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [
        "xo--crossover.csv", "xo--crossover.html"]


def test_results_document_has_no_crossover_table(tmp_path):
    assert write_tables(tmp_path, "x", specimen_results(), param="PFS",
                        kinds=["crossover"]) == []


def test_not_computable_crossover_analysis_is_a_not_computable_table():
    doc = empty_crossover("OS", "TRT01P", REF, "r", "months", "ADSL has no variable XOVERFL")
    [(stem, table)] = document_tables(doc, "os_xo")
    assert stem == "os_xo--crossover"
    assert table.title == "Crossover adjustment: not computable"
    assert table.rows[0].cells == ("ADSL has no variable XOVERFL",)
