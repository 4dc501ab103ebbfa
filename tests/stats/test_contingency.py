"""2 x 2 and 2 x 2 x K tables against R fisher.test / mantelhaen.test / prop.test.

The references are tests/reference/response/{tables,strata}.csv, written by
tests/reference/response.R from the inputs in tests/reference/response/inputs/.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.errors import NetterError
from netter.stats.contingency import (
    R_UNIROOT_TOL,
    TableError,
    check_table,
    fisher_exact,
    mantel_haenszel,
    mantel_haenszel_exact,
    risk_difference,
    stratified_tables,
    table_2x2,
    zeroin,
)
from tests.reference_values import close as _close
from tests.reference_values import load_long

REFERENCE = Path(__file__).parents[1] / "reference" / "response"
INPUTS = REFERENCE / "inputs"
RTOL = 1e-8


def close(actual, expected: float) -> bool:
    """``actual`` equals the R value to ``RTOL`` relative (None = not finite)."""
    return _close(actual, expected, RTOL)
PRECISE_TOL = 1e-13


def unidentifiable(tables: np.ndarray) -> bool:
    """Every stratum has an empty row or column: R prints an odds ratio of 0, netter None."""
    tables = tables.reshape(-1, 2, 2)
    return bool(np.all((tables.sum(axis=2) == 0).any(axis=1)
                       | (tables.sum(axis=1) == 0).any(axis=1)))








TABLE_INPUTS = pd.read_csv(INPUTS / "tables.csv").set_index("case")
STRATA_INPUTS = pd.read_csv(INPUTS / "strata.csv")
TABLES = load_long("tables")
STRATA = load_long("strata")


def input_table(case: str) -> np.ndarray:
    r = TABLE_INPUTS.loc[case]
    return table_2x2(r.x1, r.n1, r.x2, r.n2)


def input_strata(case: str) -> np.ndarray:
    rows = STRATA_INPUTS.loc[STRATA_INPUTS["case"] == case].sort_values("stratum")
    return stratified_tables(rows[["x1", "n1", "x2", "n2"]].itertuples(index=False))


def test_reference_files_cover_cases_and_levels():
    assert {level for _, level in TABLES} == {0.95, 0.9}
    assert {case for case, _ in TABLES} == set(TABLE_INPUTS.index)
    assert {case for case, _ in STRATA} == set(STRATA_INPUTS["case"])


# --- 2 x 2 -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(TABLES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_reference_fisher_equals_r(key):
    case, level = key
    ref = TABLES[key]
    table = input_table(case)
    f = fisher_exact(table, conf_level=level)
    assert close(f.p_value, ref["fisher_p"]), (f.p_value, ref["fisher_p"])
    assert close(f.lower, ref["fisher_lower"]), (f.lower, ref["fisher_lower"])
    assert close(f.upper, ref["fisher_upper"]), (f.upper, ref["fisher_upper"])
    if unidentifiable(table):
        assert ref["fisher_estimate"] == 0.0 and f.estimate is None
        assert "not identifiable" in f.not_estimable_reason
    else:
        assert close(f.estimate, ref["fisher_estimate"]), (f.estimate, ref["fisher_estimate"])


@pytest.mark.parametrize("key", sorted(TABLES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_reference_fisher_precise_equals_r_with_tight_uniroot(key):
    case, level = key
    ref = TABLES[key]
    table = input_table(case)
    f = fisher_exact(table, conf_level=level, tol=PRECISE_TOL)
    assert close(f.lower, ref["fisher_precise_lower"])
    assert close(f.upper, ref["fisher_precise_upper"])
    if not unidentifiable(table):
        assert close(f.estimate, ref["fisher_precise_estimate"])


@pytest.mark.parametrize("method", ["newcombe", "miettinen-nurminen"])
@pytest.mark.parametrize("key", sorted(TABLES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_reference_risk_difference_equals_r(key, method):
    case, level = key
    prefix = "newcombe" if method == "newcombe" else "mn"
    ref = TABLES[key]
    d = risk_difference(input_table(case), conf_level=level, method=method)
    assert close(d.estimate, ref[f"{prefix}_estimate"])
    assert close(d.lower, ref[f"{prefix}_lower"]), (d.lower, ref[f"{prefix}_lower"])
    assert close(d.upper, ref[f"{prefix}_upper"]), (d.upper, ref[f"{prefix}_upper"])
    assert d.method == method


def test_r_default_tolerance_differs_visibly_from_the_exact_root():
    """Why netter reproduces uniroot: fisher.test's estimate is ~1e-4 from the true MLE."""
    ref = TABLES[("netter1_like", 0.95)]
    assert abs(ref["fisher_estimate"] / ref["fisher_precise_estimate"] - 1) > 1e-5
    assert fisher_exact(input_table("netter1_like")).estimate != fisher_exact(
        input_table("netter1_like"), tol=PRECISE_TOL).estimate


def test_newcombe_1998_published_examples():
    """Newcombe (1998) Table II, methods 10 (hybrid score) and 6 (Miettinen-Nurminen)."""
    d = risk_difference(table_2x2(56, 70, 48, 80))
    assert (round(d.lower, 4), round(d.upper, 4)) == (0.0524, 0.3339)
    m = risk_difference(table_2x2(56, 70, 48, 80), method="miettinen-nurminen")
    assert (round(m.lower, 4), round(m.upper, 4)) == (0.0528, 0.3382)
    h = risk_difference(table_2x2(10, 10, 0, 10))
    assert (round(h.lower, 4), h.upper) == (0.6075, 1.0)


def test_zero_responders_in_the_reference_arm():
    f = fisher_exact(table_2x2(10, 50, 0, 50))
    assert f.estimate is None and f.upper is None and f.lower > 1
    assert "infinite" in f.not_estimable_reason and f.p_value < 0.01


def test_zero_responders_in_the_experimental_arm_gives_zero():
    f = fisher_exact(table_2x2(0, 50, 8, 50))
    assert f.estimate == 0.0 and f.lower == 0.0 and 0 < f.upper < 1
    assert f.not_estimable_reason is None


def test_empty_arm_defines_every_value():
    t = table_2x2(3, 5, 0, 0)
    f = fisher_exact(t)
    assert (f.estimate, f.lower, f.upper, f.p_value) == (None, 0.0, None, 1.0)
    d = risk_difference(t)
    assert d.ci == (None, None) and d.estimate is None and d.not_estimable_reason


def test_fisher_p_value_is_symmetric_in_the_arms():
    a = fisher_exact(table_2x2(18, 116, 3, 113))
    b = fisher_exact(table_2x2(3, 113, 18, 116))
    assert math.isclose(a.p_value, b.p_value, rel_tol=1e-12)
    assert math.isclose(a.estimate * b.estimate, 1.0, rel_tol=1e-3)


def test_difference_methods_and_levels_are_checked():
    with pytest.raises(NetterError, match="unknown difference method"):
        risk_difference(table_2x2(1, 2, 1, 2), method="wald")
    with pytest.raises(NetterError, match="conf_level"):
        fisher_exact(table_2x2(1, 2, 1, 2), conf_level=0)


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[1, -2], [3, 4]], [[1.5, 2], [3, 4]],
                                 [[1, 2, 3], [4, 5, 6]], [[np.nan, 1], [1, 1]]])
def test_bad_tables_are_refused(bad):
    with pytest.raises(TableError):
        check_table(bad)


def test_bad_stratified_tables_are_refused():
    with pytest.raises(TableError):
        check_table(np.ones((2, 2)), stratified=True)
    with pytest.raises(TableError, match="no strata"):
        stratified_tables([])


# --- 2 x 2 x K ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(STRATA), ids=lambda k: f"{k[0]}-{k[1]}")
def test_reference_mantel_haenszel_equals_r(key):
    case, level = key
    ref = STRATA[key]
    tables = input_strata(case)
    plain = mantel_haenszel(tables, conf_level=level)
    corrected = mantel_haenszel(tables, correct=True, conf_level=level)
    assert plain.n_strata == ref["n_strata"] == corrected.n_strata
    assert bool(plain.dropped_strata) == bool(ref["r_error_full"])
    if ref["n_strata"] == 0:
        assert plain.statistic is None and plain.p_value is None
        return
    assert not plain.correct and corrected.correct
    for result, tag in ((plain, "uncorrected"), (corrected, "corrected")):
        assert close(result.statistic, ref[f"mh_statistic_{tag}"]), (
            tag, result.statistic, ref[f"mh_statistic_{tag}"])
        assert close(result.p_value, ref[f"mh_p_{tag}"])
    assert close(plain.odds_ratio, ref["mh_estimate"]), (plain.odds_ratio, ref["mh_estimate"])
    assert close(plain.lower, ref["mh_lower"]) and close(plain.upper, ref["mh_upper"])


@pytest.mark.parametrize("tol", [R_UNIROOT_TOL, PRECISE_TOL], ids=["r-default", "precise"])
@pytest.mark.parametrize("key", sorted(STRATA), ids=lambda k: f"{k[0]}-{k[1]}")
def test_reference_exact_mantel_haenszel_equals_r(key, tol):
    case, level = key
    ref = STRATA[key]
    tables = input_strata(case)
    exact = mantel_haenszel_exact(tables, conf_level=level, tol=tol)
    assert exact.n_strata == ref["n_strata"]
    if ref["n_strata"] == 0:
        assert (exact.estimate, exact.p_value) == (None, 1.0)
        return
    tag = "exact_" if tol == R_UNIROOT_TOL else "exact_precise_"
    assert exact.statistic == ref["exact_statistic"]
    assert close(exact.p_value, ref["exact_p"]), (exact.p_value, ref["exact_p"])
    assert close(exact.lower, ref[f"{tag}lower"]), (exact.lower, ref[f"{tag}lower"])
    assert close(exact.upper, ref[f"{tag}upper"]), (exact.upper, ref[f"{tag}upper"])
    if unidentifiable(tables[tables.sum(axis=(1, 2)) >= 2]):
        assert ref[f"{tag}estimate"] == 0.0 and exact.estimate is None
    else:
        assert close(exact.estimate, ref[f"{tag}estimate"]), (
            exact.estimate, ref[f"{tag}estimate"])


def test_strata_with_fewer_than_two_subjects_are_dropped_and_listed():
    tables = input_strata("singleton")
    m = mantel_haenszel(tables)
    assert m.dropped_strata == (1,) and m.n_strata == 2
    without = mantel_haenszel(tables[[0, 2]])
    assert (m.statistic, m.odds_ratio, m.ci) == (without.statistic, without.odds_ratio,
                                                 without.ci)
    assert mantel_haenszel_exact(tables).dropped_strata == (1,)


def test_a_stratum_with_one_arm_empty_changes_nothing():
    tables = input_strata("one_arm_empty")
    m, without = mantel_haenszel(tables), mantel_haenszel(tables[[0, 2]])
    assert m.dropped_strata == () and m.n_strata == 3
    assert math.isclose(m.statistic, without.statistic, rel_tol=1e-14)
    assert math.isclose(m.odds_ratio, without.odds_ratio, rel_tol=1e-14)
    e, e_without = mantel_haenszel_exact(tables), mantel_haenszel_exact(tables[[0, 2]])
    assert e.statistic == e_without.statistic + 2
    assert math.isclose(e.p_value, e_without.p_value, rel_tol=1e-12)


def test_single_stratum_equals_the_unstratified_table():
    table = table_2x2(18, 116, 3, 113)
    exact = mantel_haenszel_exact(table[np.newaxis])
    fisher = fisher_exact(table)
    assert math.isclose(exact.p_value, fisher.p_value, rel_tol=1e-9)
    precise = mantel_haenszel_exact(table[np.newaxis], tol=PRECISE_TOL)
    assert math.isclose(precise.estimate, fisher_exact(table, tol=PRECISE_TOL).estimate,
                        rel_tol=1e-9)


def test_no_stratum_with_two_subjects_is_not_estimable():
    tables = stratified_tables([(1, 1, 0, 0), (0, 0, 0, 1)])
    m = mantel_haenszel(tables)
    assert (m.statistic, m.p_value, m.odds_ratio, m.n_strata) == (None, None, None, 0)
    assert m.dropped_strata == (0, 1) and m.not_estimable_reason
    e = mantel_haenszel_exact(tables)
    assert (e.estimate, e.lower, e.upper, e.p_value) == (None, None, None, 1.0)


def test_continuity_correction_only_applies_when_delta_is_half_or_more():
    m = mantel_haenszel(input_strata("balanced"), correct=True)
    assert m.correct and not m.continuity_applied and m.delta == 0.0
    assert mantel_haenszel(input_strata("basic"), correct=True).continuity_applied


def test_zero_variance_gives_no_statistic():
    m = mantel_haenszel(input_strata("no_responders"))
    assert m.statistic is None and m.p_value is None and "zero variance" in (
        m.not_estimable_reason)


# --- the zero finder ---------------------------------------------------------------------


def test_zeroin_returns_exact_roots_at_the_ends_and_refuses_no_sign_change():
    assert zeroin(lambda t: t, 0.0, 1.0) == 0.0
    assert zeroin(lambda t: t - 1.0, 0.0, 1.0) == 1.0
    with pytest.raises(ArithmeticError):
        zeroin(lambda t: t + 1.0, 0.0, 1.0)


def test_zeroin_handles_infinite_values_as_r():
    root = zeroin(lambda t: math.inf if t <= 0 else 0.5 - t, 0.0, 1.0, tol=1e-14)
    assert math.isclose(root, 0.5, rel_tol=1e-12)
