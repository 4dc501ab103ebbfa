"""Extrapolation tables (``EXTT01``, kind ``extrapolation``; ``PSMT01``, kind ``psm``):
rows ranked by AIC, numbers as formatted, footnotes, dispatch, safety, determinism.

Documents come from :func:`netter.endpoints.extrapolation.analyze_extrapolation` on the
committed synthetic NETTER-1 cut-offs (final: OS with joint fits; primary: partitioned
survival from PFS and OS).
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from netter.adam.io import load_adam
from netter.artefacts import read_any, write_results
from netter.cli import main
from netter.endpoints.extrapolation import analyze_extrapolation
from netter.endpoints.text import document_text
from netter.results import ArmLabel
from netter.tables import fmt
from netter.tables.extrapolation import (
    INFINITE,
    PSM_TABLE_ID,
    TABLE_ID,
    extrapolation_table,
    psm_table,
    ranked,
)
from netter.tables.outputs import document_tables, write_tables
from netter.tables.specimen import specimen_extrapolation
from tests.netter1 import ARM, FINAL, PRIMARY, REF

DISTS = ("exponential", "weibull", "gompertz", "lognormal", "spline1")


@pytest.fixture(scope="module")
def final():
    doc = analyze_extrapolation(load_adam(FINAL), reference=REF, distributions=DISTS,
                                joint=True)
    return dataclasses.replace(doc, arm_labels=(ArmLabel(ARM, ARM), ArmLabel(REF, REF)))


@pytest.fixture(scope="module")
def psm():
    doc = analyze_extrapolation(load_adam(PRIMARY), reference=REF,
                                distributions=("exponential", "weibull"),
                                psm=("PFS", "OS", "weibull", "weibull"))
    return dataclasses.replace(doc, arm_labels=(ArmLabel(ARM, ARM), ArmLabel(REF, REF)))


def _csv(table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.to_csv())))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _section(table, heading_start: str) -> list:
    rows, inside = [], False
    for row in table.rows:
        if row.section:
            inside = row.label.startswith(heading_start)
            continue
        if inside:
            rows.append(row)
    return rows


def test_one_section_per_arm_in_study_order_then_the_joint_models(final):
    table = extrapolation_table(final)
    assert table.id == TABLE_ID
    assert table.columns == ("Model", "AIC", "ΔAIC", "BIC",
                             "Restricted mean to 240 months (SE)", "Mean",
                             "Model − KM restricted mean within follow-up")
    headings = [r.label for r in table.rows if r.section]
    os_ = final.endpoints["OS"]
    assert headings == [
        f"Overall survival: {ARM} (n={os_.arms[ARM].n}, {os_.arms[ARM].events} events; "
        f"follow-up {fmt.number(os_.arms[ARM].follow_up, 1)} months)",
        f"Overall survival: {REF} (n={os_.arms[REF].n}, {os_.arms[REF].events} events; "
        f"follow-up {fmt.number(os_.arms[REF].follow_up, 1)} months)",
        "Overall survival: joint models (arm as covariate)"]


@pytest.mark.parametrize("arm", [ARM, REF])
def test_arm_rows_are_ranked_by_aic_with_formatted_numbers(final, arm):
    table = extrapolation_table(final)
    rows = _section(table, f"Overall survival: {arm} ")
    models = final.endpoints["OS"].arms[arm].models
    order = sorted(models.values(), key=lambda m: m.fit.aic)
    assert [r.label for r in rows] == [m.fit.label for m in order]
    assert [m.fit.rank_aic for m in order] == list(range(1, len(DISTS) + 1))
    best = order[0].fit.aic
    for row, m in zip(rows, order, strict=True):
        p = m.prediction
        assert row.cells[0] == fmt.number(m.fit.aic, 1)
        assert row.cells[1] == fmt.number(m.fit.aic - best, 1)
        assert row.cells[2] == fmt.number(m.fit.bic, 1)
        assert row.cells[3] == (f"{fmt.number(p.restricted_mean, 1)} "
                                f"({fmt.number(p.restricted_mean_se, 1)})")
        assert row.cells[4] == (INFINITE if p.mean is None else fmt.number(p.mean, 1))
        assert float(row.cells[5]) == pytest.approx(p.difference_from_km, abs=0.051)
    assert rows[0].cells[1] == "0.0"


def test_gompertz_with_a_cured_fraction_has_an_infinite_mean(final):
    gompertz = final.endpoints["OS"].arms[ARM].models["gompertz"]
    assert gompertz.prediction.mean is None  # the data give a negative shape
    row = next(r for r in _section(extrapolation_table(final), f"Overall survival: {ARM} ")
               if r.label == "Gompertz")
    assert row.cells[4] == "Infinite"


def test_joint_models_have_one_row_each_then_a_row_per_arm(final):
    rows = _section(extrapolation_table(final), "Overall survival: joint")
    joint = ranked(final.endpoints["OS"].joint)
    assert [r.label for r in rows if r.indent == 1] == [m.fit.label for _, m in joint]
    first = rows[:3]
    assert [r.indent for r in first] == [1, 2, 2]
    assert [r.label for r in first[1:]] == [ARM, REF]
    assert first[0].cells[3:] == ("", "", "")
    assert first[1].cells[:3] == ("", "", "")
    pred = joint[0][1].arms[ARM]
    assert first[1].cells[3].startswith(fmt.number(pred.restricted_mean, 1))


def test_footnotes_say_horizon_bic_fitting_knots_ci_and_units(final):
    notes = "\n".join(extrapolation_table(final).footnotes)
    assert "horizon, 240 months (20 years)" in notes
    assert "n = subjects" in notes
    assert "newton optimiser, tolerance 1e-10, at most 200 iterations" in notes
    assert "delta method on log(-log S)" in notes
    assert "Spline, 1 knot at " in notes and "boundary knots" in notes
    assert f"{REF} the baseline" in notes
    assert "Times in months (days / 30.4375)." in notes
    assert "AIC: Akaike information criterion" in notes


def test_models_not_in_the_results_and_not_converged_are_footnoted(final):
    arms = dict(final.endpoints["OS"].arms)
    models = dict(arms[ARM].models)
    del models["lognormal"]
    weib = models["weibull"]
    models["weibull"] = dataclasses.replace(
        weib, fit=dataclasses.replace(weib.fit, converged=False))
    arms[ARM] = dataclasses.replace(arms[ARM], models=models)
    doc = dataclasses.replace(final, endpoints={"OS": dataclasses.replace(
        final.endpoints["OS"], arms=arms, joint=None)})
    table = extrapolation_table(doc)
    notes = "\n".join(table.footnotes)
    assert f"Overall survival, {ARM}: not fitted: Log-normal" in notes
    assert f"Overall survival, {ARM}: Weibull did not converge" in notes
    assert "Joint models were asked for but are not in the results." in notes
    assert "Weibull (not converged)" in [r.label for r in table.rows]


def test_psm_table_one_row_per_arm_with_state_means_and_clipping(psm):
    table = psm_table(psm)
    assert table.id == PSM_TABLE_ID
    assert [r.label for r in table.rows] == [ARM, REF]
    occ = psm.partitioned_survival.arms[ARM]
    os_model = psm.endpoints["OS"].arms[ARM].models["weibull"]
    assert table.rows[0].cells == (
        "Weibull", "Weibull", fmt.number(occ.mean_progression_free, 1),
        fmt.number(occ.mean_progressed, 1), fmt.number(occ.mean_dead, 1),
        fmt.number(os_model.prediction.restricted_mean, 1),
        "None" if not occ.clipped_times else table.rows[0].cells[-1])
    notes = "\n".join(table.footnotes)
    assert "trapezoid rule" in notes and "clipped" in notes
    # the PFS models were fitted for the partitioned survival only: said in EXTT01
    ext = "\n".join(extrapolation_table(psm).footnotes)
    assert "fitted for partitioned survival only (Weibull)" in ext


def test_clipping_is_reported_when_present(psm):
    occ = psm.partitioned_survival.arms[REF]
    clipped = dataclasses.replace(occ, clipped_times=(12.0, 13.0, 14.0), clipped_max=0.0123)
    doc = dataclasses.replace(psm, partitioned_survival=dataclasses.replace(
        psm.partitioned_survival, arms={**psm.partitioned_survival.arms, REF: clipped}))
    assert psm_table(doc).rows[1].cells[-1] == "3 grid times, 12.0–14.0; largest excess 0.012"


def test_document_tables_writes_extrapolation_and_psm_only_with_psm(final, psm):
    assert [s for s, _ in document_tables(final, "x")] == ["x--extrapolation"]
    assert [s for s, _ in document_tables(psm, "x")] == ["x--extrapolation", "x--psm"]
    assert [s for s, _ in document_tables(psm, "x", kinds=["psm"])] == ["x--psm"]


def test_not_computable_analysis_and_psm_get_the_not_computable_table(final):
    doc = dataclasses.replace(final, not_computable={"psm": "no PFS records"})
    tables = dict(document_tables(doc, "x"))
    assert tables["x--psm"].rows[0].cells == ("no PFS records",)
    assert tables["x--extrapolation"].id == TABLE_ID
    assert "psm: not computable: no PFS records." in tables["x--extrapolation"].footnotes
    doc = dataclasses.replace(final, not_computable={"analysis": "no ADTTE"})
    tables = dict(document_tables(doc, "x"))
    assert tables["x--extrapolation"].title.endswith("not computable")
    assert tables["x--psm"].rows[0].cells == ("no ADTTE",)


def test_an_endpoint_not_computable_keeps_a_section_with_its_reason(final):
    doc = dataclasses.replace(final, not_computable={"PFS": "no PFS records in ADTTE"})
    rows = extrapolation_table(doc).rows
    labels = [r.label for r in rows]
    assert "PFS: not computable" in labels
    assert labels[labels.index("PFS: not computable") + 1] == "no PFS records in ADTTE"


def test_hostile_labels_are_escaped_in_html_and_neutralised_in_csv(final, tmp_path):
    evil = "=HYPERLINK(\"x\")<script>&"
    doc = dataclasses.replace(final, arm_labels=(ArmLabel(ARM, evil), ArmLabel(REF, REF)),
                              endpoints={"OS": dataclasses.replace(
                                  final.endpoints["OS"], label="+cmd|<b>")})
    table = extrapolation_table(doc)
    html = table.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    cells = [c for row in _csv(table) for c in row]
    assert not any(c.startswith(("=", "+", "@")) and not _number(c) for c in cells)
    assert any(evil in c for c in cells)


def test_tables_are_byte_identical_when_written_twice(psm, tmp_path):
    a = write_tables(tmp_path / "a", "ex", psm)
    b = write_tables(tmp_path / "b", "ex", psm)
    assert [p.name for p in a] == ["ex--extrapolation.csv", "ex--extrapolation.html",
                                   "ex--psm.csv", "ex--psm.html"]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def test_netter_tables_cli_on_a_real_extrapolation_file(psm, tmp_path):
    path = write_results(psm, tmp_path / "ex.json")
    out = tmp_path / "out"
    assert main(["tables", "--quiet", "--results", str(path), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "ex--extrapolation.csv", "ex--extrapolation.html", "ex--psm.csv", "ex--psm.html"]
    assert read_any(path).partitioned_survival is not None


def test_document_text_names_the_best_model_per_arm(final):
    text = document_text(final)
    best = ranked(final.endpoints["OS"].arms[ARM].models)[0][1].fit
    assert f"{ARM}: n " in text and f"best by AIC {best.label}" in text
    assert text.startswith("parametric survival to 240 months")


def test_specimen_table_is_stable():
    table = extrapolation_table(specimen_extrapolation())
    assert [r.label for r in table.rows][:3] == [
        "Overall survival: Drug A (n=10, 6 events; follow-up 30.0 months)", "Weibull",
        "Exponential"]
