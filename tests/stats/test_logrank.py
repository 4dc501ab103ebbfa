"""Log-rank test against R survival 3.5.3 ``survdiff`` (tests/reference/comparisons.R)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.stats.logrank import (
    LogRankTest,
    arm_reach,
    comparison_data,
    logrank_test,
    merge_near_ties,
)

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-10
SURVDIFF = pd.read_csv(REFERENCE / "comparisons" / "survdiff.csv", keep_default_na=False,
                       dtype={"value": str})
CASES = sorted(SURVDIFF.groupby(["dataset", "strata"]).groups)


def load_case(name: str) -> pd.DataFrame:
    """A reference dataset, or a hand-made input under comparisons/inputs."""
    path = REFERENCE / "data" / f"{name}.csv"
    if not path.exists():
        path = REFERENCE / "comparisons" / "inputs" / f"{name}.csv"
    return pd.read_csv(path)


def strata_of(df: pd.DataFrame, spec: str):
    """``None`` or the list of stratum columns named by ``"a+b"``."""
    return None if spec == "" else [df[c].to_numpy() for c in spec.split("+")]


def r_value(ref: pd.DataFrame, term: str, stat: str) -> float | None:
    """One R value (``None`` for NA/NaN)."""
    v = ref.loc[(ref["term"] == term) & (ref["stat"] == stat), "value"]
    assert len(v) == 1, (term, stat)
    x = float(v.iloc[0]) if v.iloc[0] not in ("NA", "NaN") else None
    return x


def close(actual, expected, rtol=RTOL, atol=1e-13) -> bool:
    return abs(actual - expected) <= rtol * abs(expected) + atol


@pytest.mark.parametrize(("dataset", "strata"), CASES)
def test_reference_logrank_matches_r_survdiff(dataset, strata):
    ref = SURVDIFF[(SURVDIFF["dataset"] == dataset) & (SURVDIFF["strata"] == strata)]
    df = load_case(dataset)
    res = logrank_test(df["time"], df["event"], df["group"], strata=strata_of(df, strata))
    for i, g in enumerate(res.groups):
        assert res.n[i] == r_value(ref, g, "n")
        assert res.observed[i] == r_value(ref, g, "observed")
        assert close(res.expected[i], r_value(ref, g, "expected"))
        for j, h in enumerate(res.groups):
            assert close(res.variance[i][j], r_value(ref, f"{g}|{h}", "var"))
    r_chisq, r_df = r_value(ref, "", "chisq"), int(r_value(ref, "", "df"))
    assert res.df == max(r_df, 0)
    if r_df < 1:  # R: chisq 0 on -1 df, p NaN; netter: not estimable
        assert res.chisq is None and res.p_value is None
    else:
        assert close(res.chisq, r_chisq)
        assert close(res.p_value, r_value(ref, "", "p"))
    assert (res.strata is None) == (strata == "")


def test_hand_calculation_two_arms():
    """hand8.csv, unstratified, worked by hand.

    time  1A* 2B* 3A* 3B* 4A 5B* 6A* 7B  (* event); nA, nB at risk; d deaths:
      t=1: nA=4 nB=4 d=1 (A)    E_A = 4/8 = 1/2   V = 1 * 7/7 * 1/2 * 1/2 = 1/4
      t=2: nA=3 nB=4 d=1 (B)    E_A = 3/7         V = 3/7 * 4/7        = 12/49
      t=3: nA=3 nB=3 d=2 (A,B)  E_A = 2*3/6 = 1   V = 2 * 4/5 * 1/4    = 2/5
      t=5: nA=1 nB=2 d=1 (B)    E_A = 1/3         V = 1/3 * 2/3        = 2/9
      t=6: nA=1 nB=1 d=1 (A)    E_A = 1/2         V = 1/2 * 1/2        = 1/4
    O_A = 3, E_A = 58/21, V = 6029/4410, chisq = (5/21)^2 / V = 250/6029.
    """
    df = load_case("hand8")
    res = logrank_test(df["time"], df["event"], df["group"])
    e_a = Fraction(1, 2) + Fraction(3, 7) + 1 + Fraction(1, 3) + Fraction(1, 2)
    v = Fraction(1, 4) + Fraction(12, 49) + Fraction(2, 5) + Fraction(2, 9) + Fraction(1, 4)
    assert (e_a, v) == (Fraction(58, 21), Fraction(6029, 4410))
    assert res.observed == (3, 3)
    assert res.expected[0] == pytest.approx(58 / 21, rel=1e-14)
    assert res.expected[1] == pytest.approx(6 - 58 / 21, rel=1e-14)
    assert res.variance[0][0] == pytest.approx(6029 / 4410, rel=1e-14)
    assert res.variance[0][1] == pytest.approx(-6029 / 4410, rel=1e-14)
    assert res.chisq == pytest.approx(250 / 6029, rel=1e-14)


def test_no_events_is_not_estimable_with_df_defined():
    res = logrank_test([2, 3, 4], [0, 0, 0], ["a", "b", "a"])
    assert (res.chisq, res.p_value, res.df) == (None, None, 0)
    assert res.expected == (0.0, 0.0)


def test_single_group_is_not_estimable():
    res = logrank_test([2, 3, 4], [1, 0, 1], ["a", "a", "a"])
    assert (res.groups, res.chisq, res.p_value, res.df) == (("a",), None, None, 0)


def test_arm_without_expected_events_is_dropped_like_r():
    # arm "c" is censored before the first event: E = 0, left out of the test (R)
    res = logrank_test([1, 5, 6, 7, 8, 9], [0, 1, 1, 0, 1, 1], ["c", "a", "b", "a", "b", "a"])
    assert res.expected[res.groups.index("c")] == 0.0
    assert res.df == 1
    two = logrank_test([5, 6, 7, 8, 9], [1, 1, 0, 1, 1], ["a", "b", "a", "b", "a"])
    assert res.chisq == pytest.approx(two.chisq, rel=1e-14)


def test_strata_forms_are_equivalent():
    df = load_case("lung")
    t, e, g = df["time"], df["event"], df["group"]
    as_list = logrank_test(t, e, g, strata=[df["ecog"], df["inst"]])
    as_frame = logrank_test(t, e, g, strata=df[["ecog", "inst"]])
    as_2d = logrank_test(t, e, g, strata=df[["ecog", "inst"]].to_numpy())
    combined = logrank_test(t, e, g, strata=(df["ecog"].astype(str) + "/" + df["inst"].astype(str)))
    assert as_list == as_frame == as_2d
    assert as_list.chisq == pytest.approx(combined.chisq, rel=1e-13)
    assert as_list.strata[0] == "0, 1" and sum(as_list.strata_n) == len(df)


def test_near_equal_times_tie_like_r_timefix():
    months = np.array([61.0, 61.0, 90.0, 120.0, 200.0, 250.0]) / 30.4375
    nudged = months.copy()
    nudged[1] = np.nextafter(nudged[1], 10.0) * (1 + 1e-12)
    e, g = [1, 1, 1, 0, 1, 1], ["a", "b", "a", "b", "a", "b"]
    assert logrank_test(nudged, e, g) == logrank_test(months, e, g)
    assert merge_near_ties(np.array([1.0, 1.0 + 1e-9, 1.5])).tolist() == [1.0, 1.0, 1.5]


def test_group_order_is_sorted_and_stable():
    res = logrank_test([1, 2, 3, 4], [1, 1, 1, 1], ["b", "a", "c", "a"])
    assert res.groups == ("a", "b", "c")
    assert res.n == (2, 1, 1)


@pytest.mark.parametrize(
    ("time", "event", "group", "strata", "message"),
    [
        ([1, 2], [1, 0, 1], ["a", "b"], None, "time has 2 values but event has 3"),
        ([1, -2], [1, 0], ["a", "b"], None, ">= 0"),
        ([1, np.nan], [1, 0], ["a", "b"], None, "finite"),
        ([1, 2], [1, 2], ["a", "b"], None, "0/1"),
        ([1, 2], [1, 0], ["a"], None, "group must be one-dimensional with 2 values"),
        ([1, 2], [1, 0], ["a", None], None, "group has missing values"),
        ([1, 2], [1, 0], ["a", "b"], ["s"], "strata must be one-dimensional with 2"),
        ([1, 2], [1, 0], ["a", "b"], [1.0, np.nan], "strata has missing values"),
        ([], [], [], None, "empty"),
    ],
)
def test_invalid_input_raises_value_error(time, event, group, strata, message):
    with pytest.raises(ValueError, match=message):
        logrank_test(time, event, group, strata=strata)


def test_results_are_frozen_and_never_nan():
    df = load_case("colon_death")
    res = logrank_test(df["time"], df["event"], df["group"], strata=df["sex"])
    assert isinstance(res, LogRankTest)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.chisq = 0.0
    values = [res.chisq, res.p_value, *res.expected, *np.ravel(res.variance)]
    assert all(v is not None and np.isfinite(v) for v in values)
    data = comparison_data(df["time"], df["event"], df["group"])
    assert not data.time.flags.writeable and not data.group.flags.writeable


def test_arm_reach_detects_one_sided_links():
    df = load_case("monotone_late")
    data = comparison_data(df["time"], df["event"], df["group"])
    # B's events all happen after every A subject has left: A -> B only
    assert arm_reach(data).tolist() == [[True, True], [False, True]]
