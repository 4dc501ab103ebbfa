"""KM quantiles, medians and median follow-up against R survival 3.5.3 (tests/reference/km.R)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.stats.km import kaplan_meier
from netter.stats.quantiles import Quantile, km_quantile, km_quartiles, median_followup
from tests.reference_values import load_km_case as load_case
from tests.reference_values import profile_for

REFERENCE = Path(__file__).parents[1] / "reference"
KEY = ["case", "subset", "conf_type", "conf_level"]
QUANTILES = pd.read_csv(REFERENCE / "km" / "quantiles.csv", float_precision="round_trip")
PRINT_MEDIAN = pd.read_csv(REFERENCE / "km" / "print_median.csv", float_precision="round_trip")
FOLLOWUP = pd.read_csv(REFERENCE / "km" / "median_followup.csv", float_precision="round_trip")
CURVES = sorted(PRINT_MEDIAN.groupby(KEY).groups)

#: Where R's print(fit) median differs from quantile(fit) (netter follows quantile):
#: a curve flat at exactly 0.5 up to a censored last time, and a rising upper band.
PRINT_DIFFERS = {
    ("flat_half_censored_end", "all", "log", 0.95): {"estimate": 2.0},
    ("flat_half_censored_end", "all", "log-log", 0.95): {"estimate": 2.0},
    ("flat_half_censored_end", "all", "plain", 0.95): {"estimate": 2.0},
    ("aml", "all", "log", 0.95): {"ci_upper": 45.0},
}






def as_r(value: float | None) -> float:
    return np.nan if value is None else value


def assert_same(result: Quantile, row: pd.Series) -> None:
    """Estimate and CI equal R's (times are data values or their midpoints: rel 1e-12)."""
    for field, col in (("estimate", "estimate"), ("ci_lower", "lower"), ("ci_upper", "upper")):
        value = getattr(result, field)
        assert (value is None) == bool(np.isnan(row[col])), (field, value, row[col])
        if value is not None:
            assert value == pytest.approx(row[col], rel=1e-12), field


@pytest.mark.parametrize(("case", "subset", "conf_type", "conf_level"), CURVES)
def test_reference_quantiles_match_r_quantile_survfit(case, subset, conf_type, conf_level):
    ref = QUANTILES[(QUANTILES[KEY] == (case, subset, conf_type, conf_level)).all(axis=1)]
    km = kaplan_meier(*load_case(case, subset), profile=profile_for(conf_type, conf_level))
    assert len(ref) == 5
    for _, row in ref.iterrows():
        result = km_quantile(km, row["q"])
        assert result.q == row["q"]
        assert_same(result, row)


@pytest.mark.parametrize(("case", "subset", "conf_type", "conf_level"), CURVES)
def test_reference_median_matches_r_print_but_documented(case, subset, conf_type, conf_level):
    row = PRINT_MEDIAN[(PRINT_MEDIAN[KEY] == (case, subset, conf_type, conf_level)).all(axis=1)]
    row = row.iloc[0]
    km = kaplan_meier(*load_case(case, subset), profile=profile_for(conf_type, conf_level))
    median = km_quantile(km)
    differs = PRINT_DIFFERS.get((case, subset, conf_type, conf_level), {})
    for field, col in (("estimate", "estimate"), ("ci_lower", "lower"), ("ci_upper", "upper")):
        if field in differs:
            assert row[col] == differs[field] and getattr(median, field) != row[col]
        else:
            assert np.array_equal([as_r(getattr(median, field))], [row[col]], equal_nan=True)


@pytest.mark.parametrize(("case", "subset", "conf_type", "conf_level"), CURVES)
def test_reference_median_followup_matches_r_reverse_km(case, subset, conf_type, conf_level):
    row = FOLLOWUP[(FOLLOWUP[KEY] == (case, subset, conf_type, conf_level)).all(axis=1)].iloc[0]
    result = median_followup(*load_case(case, subset), profile=profile_for(conf_type, conf_level))
    assert result.q == 0.5
    assert_same(result, row)


def test_flat_segment_midpoint_rule():
    """S = 0.5 exactly on [2, 3): the median is 2.5; quartiles 1.5 and 3.5."""
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], profile="r")
    first, median, third = km_quartiles(km)
    assert (first.q, median.q, third.q) == (0.25, 0.5, 0.75)
    assert (first.estimate, median.estimate, third.estimate) == (1.5, 2.5, 3.5)
    assert (median.ci_lower, median.ci_upper) == (1.0, None)
    # flat at 0.5 up to a censored last time: midpoint with the last time (R quantile)
    ended = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], profile="r")
    assert km_quantile(ended).estimate == 3.0
    assert km_quantile(ended, 0.75).estimate is None


def test_not_reached_and_degenerate_curves():
    for profile in ("r", "sas"):
        empty = km_quantile(kaplan_meier([], [], profile=profile))
        assert (empty.estimate, empty.ci_lower, empty.ci_upper) == (None, None, None)
        censored = km_quantile(kaplan_meier([1, 2, 5], [0, 0, 0], profile=profile), 0.1)
        assert censored.estimate is None
        one = km_quantile(kaplan_meier([3], [1], profile=profile))
        assert (one.estimate, one.ci_lower, one.ci_upper) == (3.0, None, None)
        assert median_followup([1, 2, 3], [1, 1, 1], profile=profile).estimate is None


def test_quantile_records_profile_and_rejects_bad_q():
    km = kaplan_meier([1, 2, 3], [1, 1, 0], profile="sas")
    assert km_quantile(km).profile == "sas"
    for bad in (0.0, 1.0, -0.5, 2.0):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            km_quantile(km, bad)
    with pytest.raises(dataclasses.FrozenInstanceError):
        km_quantile(km).estimate = 1.0  # type: ignore[misc]
