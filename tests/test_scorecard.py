"""The scorecard: rows cover the published reference, status rules, paths, files, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import netter.scorecard.build
import netter.scorecard.output
import netter.scorecard.paths
from netter.artefacts import dumps, write_results
from netter.cli import main
from netter.endpoints.study import run_analysis
from netter.errors import NetterError
from netter.scorecard import (
    build_scorecard,
    find_results,
    load_mapping,
    read_scorecard,
    write_scorecard_files,
)
from netter.scorecard.build import (
    INSIDE,
    NOT_COMPARED,
    NOT_COMPUTABLE,
    OUTSIDE,
    RULE_COUNT,
    RULE_EXACT,
    RULE_NOT_REACHED,
    RULE_PUBLISHED_CI,
    RULE_REPRODUCED_CI,
    judge,
)
from netter.scorecard.output import scorecard_csv, scorecard_html
from netter.scorecard.paths import PathError, resolve
from netter.scorecard.statistics import KINDS, QUANTILE
from tests.netter1 import DATA, study

SYNTHETIC = DATA
MAPPING = load_mapping(study())
SPECS = MAPPING.specs
NOT_SCORED = MAPPING.not_scored


def spec_for(record: str):
    return next(s for s in SPECS if s.record == record)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """Two analyses of the shipped synthetic trial, as the study declares them."""
    folder = tmp_path_factory.mktemp("results")
    for name in ("pfs_primary", "os_final"):
        write_results(run_analysis(study(), name, SYNTHETIC), folder / f"{name}.json")
    return folder


@pytest.fixture(scope="module")
def card(results):
    return build_scorecard(study(), find_results([results]))


def _row(card, record):
    return next(r for r in card.rows if r.record == record)


# --- the rows ---------------------------------------------------------------------------


def test_every_published_record_is_a_row_or_set_aside_with_a_reason():
    rows = [s.record for s in SPECS]
    assert len(rows) == len(set(rows))
    assert not set(rows) & set(NOT_SCORED)
    assert sorted(set(rows) | set(NOT_SCORED)) == sorted(MAPPING.published)
    assert all(reason for reason in NOT_SCORED.values())


def test_unverified_records_are_rows_too():
    unverified = [k for k, r in MAPPING.published.items() if not r.is_target]
    assert unverified and all(any(s.record == k for s in SPECS) for k in unverified)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.record)
def test_row_is_well_formed(spec):
    cutoffs = {c.name for c in study().cutoffs}
    assert spec.kind in KINDS and spec.cutoff in cutoffs and spec.label and spec.endpoint
    assert (spec.value is None) == (spec.reason is not None)
    if spec.value is not None:
        assert spec.method
    if spec.kind == "count":
        assert spec.n is not None


def test_rows_say_which_cox_model():
    assert "stratified Cox" in spec_for("pfs.primary.hr_nejm").method
    assert spec_for("pfs.primary.hr_nejm").value.endswith("cox_stratified.hazard_ratio")
    assert spec_for("os.final.hr").method.startswith("unstratified Cox")


# --- the status rules ---------------------------------------------------------------------


@pytest.mark.parametrize("case, expected", [
    (dict(published=0.21, published_ci=(0.13, 0.33), reproduced=0.18,
          reproduced_ci=(0.1, 0.3)), (INSIDE, RULE_PUBLISHED_CI)),
    (dict(published=0.21, published_ci=(0.13, 0.33), reproduced=0.34,
          reproduced_ci=(0.2, 0.5)), (OUTSIDE, RULE_PUBLISHED_CI)),
    (dict(published=0.21, published_ci=(0.13, 0.33), reproduced=0.33,
          reproduced_ci=(0.2, 0.5)), (INSIDE, RULE_PUBLISHED_CI)),   # limits included
    (dict(published=0.406, published_ci=None, reproduced=0.42,
          reproduced_ci=(0.28, 0.64)), (INSIDE, RULE_REPRODUCED_CI)),
    (dict(published=0.063, published_ci=None, reproduced=0.19,
          reproduced_ci=(0.096, 0.39)), (OUTSIDE, RULE_REPRODUCED_CI)),
    (dict(published=0.3, published_ci=None, reproduced=0.2,
          reproduced_ci=(0.1, None)), (NOT_COMPUTABLE, RULE_REPRODUCED_CI)),
    (dict(published=None, published_ci=(5.8, 9.1), reproduced=8.3,
          reproduced_ci=(5.8, 11.0)), (INSIDE, RULE_PUBLISHED_CI)),
    (dict(published=None, published_ci=None, reproduced=1.0,
          reproduced_ci=(0.5, 2.0)), (NOT_COMPUTABLE, None)),
    (dict(published=0.5, published_ci=None, reproduced=None,
          reproduced_ci=None), (NOT_COMPUTABLE, None)),
])
def test_judge_estimates(case, expected):
    assert judge("estimate", **case) == expected


def test_judge_quantiles_treat_not_reached_as_infinite():
    # published 28.8 inside (8.4, NR); published 6.1 outside (5.4, 5.7)
    assert judge(QUANTILE, published=28.8, published_ci=None, reproduced=16.8,
                 reproduced_ci=(8.4, None)) == (INSIDE, RULE_REPRODUCED_CI)
    assert judge(QUANTILE, published=6.1, published_ci=None, reproduced=5.6,
                 reproduced_ci=(5.4, 5.7))[0] == OUTSIDE
    # reproduced median not reached: +inf, outside a published CI
    assert judge(QUANTILE, published=48.0, published_ci=(37.4, 55.2), reproduced=None,
                 reproduced_ci=(40.0, None), reproduced_not_reached=True)[0] == OUTSIDE
    # a lower limit not reached is +inf as well: the published point lies below it
    assert judge(QUANTILE, published=30.0, published_ci=None, reproduced=None,
                 reproduced_ci=(None, None), reproduced_not_reached=True)[0] == OUTSIDE


@pytest.mark.parametrize("reproduced_nr, status", [(True, INSIDE), (False, OUTSIDE)])
def test_judge_published_not_reached(reproduced_nr, status):
    got = judge(QUANTILE, published=None, published_ci=None,
                reproduced=None if reproduced_nr else 28.2, reproduced_ci=(24.8, None),
                published_not_reached=True, reproduced_not_reached=reproduced_nr)
    assert got == (status, RULE_NOT_REACHED)


def test_judge_counts_exact_and_p_values():
    assert judge("count", published=23, published_ci=None, reproduced=21,
                 reproduced_ci=(13.4, 30.5)) == (INSIDE, RULE_COUNT)
    assert judge("exact", published=116, published_ci=None, reproduced=116,
                 reproduced_ci=None) == (INSIDE, RULE_EXACT)
    assert judge("exact", published=116, published_ci=None, reproduced=115,
                 reproduced_ci=None) == (OUTSIDE, RULE_EXACT)
    assert judge("p_value", published=0.004, published_ci=None, reproduced=0.004,
                 reproduced_ci=None)[0] == NOT_COMPARED


# --- paths ---------------------------------------------------------------------------------


DOC = {"reference_arm": "Control", "endpoints": {"OS": {"arms": [
    {"arm": "Lu", "n": 3, "landmarks": [{"time": 12.0, "survival": 0.9}]},
    {"arm": "Control", "n": 4, "landmarks": [{"time": 12.0, "survival": 0.8}]}],
    "rmst_difference": {"tau": 24.0, "estimate": 1.5}}}}


@pytest.mark.parametrize("path, value", [
    ("endpoints.OS.arms[arm=Lu].n", 3), ("endpoints.OS.arms[reference].n", 4),
    ("endpoints.OS.arms[arm=Lu].landmarks[time=12].survival", 0.9),
    ("endpoints.OS.arms[1].landmarks[0].survival", 0.8),
    ("endpoints.OS.rmst_difference[tau=24].estimate", 1.5),
])
def test_resolve(path, value):
    assert resolve(DOC, path) == value


@pytest.mark.parametrize("path, message", [
    ("endpoints.PFS.arms[arm=Lu].n", "no endpoints.PFS"),
    ("endpoints.OS.arms[arm=Lu].landmarks[time=20].survival", "0 elements with time 20"),
    ("endpoints.OS.rmst_difference[tau=12].estimate", "tau 24.0, not 12"),
    ("endpoints.OS.arms[5].n", "has 2 elements"),
])
def test_resolve_errors_name_the_path(path, message):
    with pytest.raises(PathError, match=message.replace("[", r"\[")):
        resolve(DOC, path)


def test_arm_values_with_dots_and_unknown_selectors():
    doc = {"reference_arm": "C", "arms": [{"arm": "A 2.5 mg", "n": 1}, {"arm": "C", "n": 2}]}
    assert resolve(doc, "arms[arm=A 2.5 mg].n") == 1
    with pytest.raises(PathError, match="unknown selector"):
        resolve(doc, "arms[lu]")


# --- on the synthetic trial -----------------------------------------------------------------


def test_hazard_ratio_row_reads_the_stratified_cox_model(card, results):
    doc = json.loads((results / "pfs_primary.json").read_text())
    row = _row(card, "pfs.primary.hr_nejm")
    cox = doc["endpoints"]["PFS"]["cox_stratified"]
    assert row.reproduced == cox["hazard_ratio"] and list(row.reproduced_ci) == cox["ci"]
    assert row.published == 0.21 and row.published_ci == (0.13, 0.33)
    assert row.rule == RULE_PUBLISHED_CI and row.status == INSIDE and row.counted
    assert "STRAT1R, STRAT2R" in row.method and "Efron" in row.method
    assert row.results == "pfs_primary.json: endpoints.PFS.cox_stratified.hazard_ratio"


def test_rates_are_percentages_and_counts_get_an_exact_interval(card):
    rate = _row(card, "pfs.primary.rate_month20.lu")
    assert rate.unit == "%" and 50 < rate.reproduced < 90 and rate.reproduced_ci[0] > 1
    events = _row(card, "pfs.primary.events_snmmi2016.control")
    assert events.rule == RULE_COUNT and events.reproduced == 66
    assert events.reproduced_ci[0] < 66 < events.reproduced_ci[1]


def test_published_not_reached_median(card):
    row = _row(card, "pfs.primary.median.lu")
    assert row.published_not_reached and row.published is None
    assert row.rule == RULE_NOT_REACHED and row.status in (INSIDE, OUTSIDE)


def test_missing_results_are_not_computable(card):
    row = _row(card, "qol.ttd.global_health_status.hr")
    assert row.status == NOT_COMPUTABLE and row.note == "no results file qol.json"
    assert not row.counted
    crossover = _row(card, "os.final.crossover_control_to_rlt")
    assert crossover.status == NOT_COMPUTABLE and crossover.note == (
        "no results file crossover.json")


def test_crossover_count_from_the_description_of_the_final_cut_off(tmp_path):
    write_results(run_analysis(study(), "crossover", SYNTHETIC), tmp_path / "crossover.json")
    card = build_scorecard(study(), find_results([tmp_path]))
    row = _row(card, "os.final.crossover_control_to_rlt")
    assert row.status == INSIDE and row.rule == RULE_COUNT and row.published == 41
    assert row.reproduced == 43 and row.reproduced_ci[0] < 41 < row.reproduced_ci[1]


def test_a_missing_block_is_not_computable_with_the_path(card):
    row = _row(card, "os.final.rmst_2y.lu")
    assert row.status in (INSIDE, OUTSIDE)
    doc = json.loads((SYNTHETIC / "MANIFEST.json").read_text())  # no "endpoints" at all
    spec = spec_for("os.final.hr")
    got = netter.scorecard.build.score_row(spec, doc, MAPPING.published["os.final.hr"])
    assert got.status == NOT_COMPUTABLE and got.note == "os_final.json: no endpoints"


def test_unverified_rows_are_shown_and_never_counted(card):
    row = _row(card, "os.final.deaths.lu")
    assert row.flag == "U" and row.verification == "unverified, not counted"
    assert row.status in (INSIDE, OUTSIDE) and not row.counted
    summary = card.summary
    verified = [r for r in card.rows if r.flag in ("V", "V2")]
    assert summary.unverified == len(card.rows) - len(verified) > 0
    assert summary.inside == sum(r.status == INSIDE for r in verified)
    assert summary.inside + summary.outside == sum(r.counted for r in card.rows)
    assert (summary.inside + summary.outside + summary.not_computable + summary.not_compared
            == summary.verified)


def test_no_results_at_all():
    empty = build_scorecard(study(), {})
    assert {r.status for r in empty.rows} == {NOT_COMPUTABLE}
    assert all(r.note for r in empty.rows)
    assert empty.summary.inside == empty.summary.outside == 0


# --- files ------------------------------------------------------------------------------------


def test_files_are_canonical_and_reproducible(card, results, tmp_path):
    again = build_scorecard(study(), find_results([results]))
    assert dumps(again) == dumps(card)
    written = write_scorecard_files(card, tmp_path, figure=False)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == ["results/scorecard.json", "tables/scorecard.csv", "tables/scorecard.html"]
    text = (tmp_path / "results" / "scorecard.json").read_text()
    assert "NaN" not in text and text.endswith("}\n")
    data = json.loads(text)
    assert data["schema"] == "netter.scorecard/1"
    assert json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text
    assert read_scorecard(tmp_path / "results" / "scorecard.json") == card
    assert set(data["results"]) == {"os_final", "pfs_primary"}
    assert data["results"]["pfs_primary"]["path"] == "pfs_primary.json"


def test_csv_table(card):
    rows = list(csv.DictReader(scorecard_csv(card).splitlines()))
    assert len(rows) == len(SPECS)
    hr = next(r for r in rows if r["record"] == "pfs.primary.hr_nejm")
    assert hr["published"] == "0.21" and hr["published CI"] == "0.13–0.33"
    assert hr["reproduced"] == "0.18" and hr["status"] == INSIDE
    assert hr["endpoint"] == "PFS" and hr["cutoff"] == "primary (2015-07-24)"
    assert next(r for r in rows if r["record"] == "orr.label.lu")["verification"] == (
        "unverified, not counted (U)")


def test_html_table_has_no_external_resources(card):
    page = scorecard_html(card)
    assert "http" not in page and "<script" not in page
    assert page.count("<tr class=") == len(SPECS)
    assert 'class="outside' in page or 'class="inside' in page


def test_figure_files(card, tmp_path):
    from netter.scorecard.figure import figure_frame, save_scorecard_figure

    frame = figure_frame(card)
    plotted = {r.label for r in card.rows if r.status in (INSIDE, OUTSIDE) and r.published}
    assert len(frame) == len(plotted) > 0
    assert frame[["ratio", "pub_lo", "pub_hi", "rep_lo", "rep_hi"]].stack().between(
        0.25, 4.0).all()
    paths = save_scorecard_figure(card, tmp_path / "scorecard--summary")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert "<dc:date>" not in paths[1].read_text()


# --- command line -------------------------------------------------------------------------------


def test_cli_writes_every_file(results, tmp_path, capsys):
    code = main(["scorecard", "--no-figure", "--results", str(results / "pfs_primary.json"),
                 str(results / "os_final.json"), "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "verified published numbers" in out
    for name in ("results/scorecard.json", "tables/scorecard.csv", "tables/scorecard.html"):
        assert (tmp_path / name).is_file(), name
    assert not (tmp_path / "figures").exists()  # the figure: test_figure_files


def test_cli_reads_folders_and_skips_its_own_output(results, tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for path in results.glob("*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    assert main(["scorecard", "--quiet", "--no-figure", "--results", str(folder),
                 "--out", str(tmp_path)]) == 0
    first = (folder / "scorecard.json").read_bytes()
    assert main(["scorecard", "--quiet", "--no-figure", "--results", str(folder),
                 "--out", str(tmp_path)]) == 0
    assert (folder / "scorecard.json").read_bytes() == first


def test_cli_refuses_a_file_that_is_not_results(tmp_path, capsys):
    other = tmp_path / "other.json"
    other.write_text('{"schema": "something/1"}')
    assert main(["scorecard", "--results", str(other), "--out", str(tmp_path)]) == 1
    assert "not a results document" in capsys.readouterr().err
    assert main(["scorecard", "--results", str(tmp_path / "nope"), "--out",
                 str(tmp_path)]) == 1


def test_two_results_files_with_one_name(results, tmp_path):
    (tmp_path / "pfs_primary.json").write_bytes((results / "pfs_primary.json").read_bytes())
    with pytest.raises(NetterError, match="two results files named pfs_primary"):
        find_results([results / "pfs_primary.json", tmp_path / "pfs_primary.json"])


def test_a_published_ci_with_an_open_end():
    """"22.8 (19.4-NE)": a quantile's open upper limit is +infinity; for another kind an
    open end leaves the published CI unusable and the reproduced CI decides."""
    assert judge(QUANTILE, published=22.8, published_ci=(19.4, None), reproduced=22.0,
                 reproduced_ci=(19.1, 30.2)) == (INSIDE, RULE_PUBLISHED_CI)
    assert judge(QUANTILE, published=22.8, published_ci=(19.4, None), reproduced=18.0,
                 reproduced_ci=(15.0, 25.0)) == (OUTSIDE, RULE_PUBLISHED_CI)
    assert judge(QUANTILE, published=22.8, published_ci=(19.4, None), reproduced=None,
                 reproduced_ci=(20.0, None), reproduced_not_reached=True)[0] == INSIDE
    assert judge("estimate", published=0.5, published_ci=(0.3, None), reproduced=0.45,
                 reproduced_ci=(0.4, 0.6)) == (INSIDE, RULE_REPRODUCED_CI)
