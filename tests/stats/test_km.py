"""Kaplan-Meier curve and landmarks against R survival 3.5.3 (tests/reference/km.R)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.errors import NetterError
from netter.profiles import get_profile
from netter.stats.km import (
    KaplanMeier,
    SurvivalDataError,
    kaplan_meier,
    pointwise_ci,
    survival_at,
)
from tests.reference_values import load_km_case as load_case
from tests.reference_values import profile_for

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-9
ATOL = 1e-13  # only for values R prints as exact zeros
KEY = ["case", "subset", "conf_type", "conf_level"]






def assert_matches(actual, expected, rtol: float = RTOL) -> None:
    """Equal NA/inf pattern; finite values within ``rtol`` relative (``None`` = NA)."""
    a = np.array([np.nan if v is None else v for v in np.atleast_1d(actual)], dtype=float)
    e = np.atleast_1d(np.asarray(expected, dtype=float))
    np.testing.assert_array_equal(np.isnan(a), np.isnan(e))
    np.testing.assert_array_equal(np.isinf(a), np.isinf(e))
    finite = np.isfinite(e)
    np.testing.assert_allclose(a[finite], e[finite], rtol=rtol, atol=ATOL)


SURVFIT = pd.read_csv(REFERENCE / "km" / "survfit.csv", float_precision="round_trip")
LANDMARKS = pd.read_csv(REFERENCE / "km" / "landmarks.csv", float_precision="round_trip")
CURVES = sorted(SURVFIT.groupby(KEY).groups)


@pytest.mark.parametrize(("case", "subset", "conf_type", "conf_level"), CURVES)
def test_reference_curve_matches_r_survfit(case, subset, conf_type, conf_level):
    ref = SURVFIT[(SURVFIT[KEY] == (case, subset, conf_type, conf_level)).all(axis=1)]
    km = kaplan_meier(*load_case(case, subset), profile=profile_for(conf_type, conf_level))
    np.testing.assert_array_equal(km.time, ref["time"])
    for col in ("n_risk", "n_event", "n_censor"):
        np.testing.assert_array_equal(getattr(km, col), ref[col])
    assert_matches(km.survival, ref["surv"])
    assert_matches(km.std_err_log_surv, ref["std_err_log_surv"])
    assert_matches(km.ci_lower, ref["lower"])
    assert_matches(km.ci_upper, ref["upper"])
    # R summary()'s std.err is surv * std.err: NaN where S = 0 (0 * Inf)
    assert_matches(km.std_err, ref["surv"] * ref["std_err_log_surv"])
    assert km.n == len(load_case(case, subset)[0])
    assert (km.conf_type, km.conf_level) == (conf_type, conf_level)


@pytest.mark.parametrize(("case", "subset", "conf_type", "conf_level"), CURVES)
def test_reference_landmarks_match_r_summary_extend(case, subset, conf_type, conf_level):
    ref = LANDMARKS[(LANDMARKS[KEY] == (case, subset, conf_type, conf_level)).all(axis=1)]
    km = kaplan_meier(*load_case(case, subset), profile=profile_for(conf_type, conf_level))
    marks = survival_at(km, ref["time"].to_numpy())
    assert [m.time for m in marks] == ref["time"].tolist()
    assert [m.n_risk for m in marks] == ref["n_risk"].tolist()
    ends_censored = km.survival[-1] > 0
    beyond = (ref["time"] > km.time[-1]).to_numpy() & ends_censored
    # the r preset is R's extend=TRUE everywhere, past a censored end too (carried)
    assert_matches([m.survival for m in marks], ref["surv"])
    assert_matches([m.std_err for m in marks], ref["std_err"])
    assert_matches([m.ci_lower for m in marks], ref["lower"])
    assert_matches([m.ci_upper for m in marks], ref["upper"])
    assert [m.carried for m in marks] == beyond.tolist()
    # landmark_rule=none leaves those times without a value
    none = survival_at(kaplan_meier(*load_case(case, subset), profile=dataclasses.replace(
        profile_for(conf_type, conf_level), landmark_rule="none")), ref["time"].to_numpy())
    for mark, past in zip(none, beyond, strict=True):
        if past:
            assert (mark.survival, mark.std_err, mark.ci_lower, mark.ci_upper) == (None,) * 4


def test_hand_example_by_hand():
    """Eight subjects; numbers checked on paper (tests/reference/km/inputs/hand.csv)."""
    km = kaplan_meier(*load_case("hand", "all"), profile="r")
    assert km.time.tolist() == [1, 2, 3, 4, 5, 6]
    assert km.n_risk.tolist() == [8, 7, 5, 4, 3, 1]
    assert km.n_event.tolist() == [1, 1, 1, 0, 2, 0]
    assert km.n_censor.tolist() == [0, 1, 0, 1, 0, 1]
    expected = [7 / 8, 7 / 8 * 6 / 7, 0.75 * 4 / 5, 0.6, 0.6 / 3, 0.2]
    np.testing.assert_allclose(km.survival, expected, rtol=1e-15)
    var = np.cumsum([1 / 56, 1 / 42, 1 / 20, 0, 2 / 3, 0])
    np.testing.assert_allclose(km.std_err_log_surv, np.sqrt(var), rtol=1e-15)
    np.testing.assert_allclose(km.std_err, np.array(expected) * np.sqrt(var), rtol=1e-15)


def test_curve_reaching_zero_has_undefined_ci_and_se():
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], profile="r")
    assert km.survival[-1] == 0
    assert np.isinf(km.std_err_log_surv[-1]) and np.isnan(km.std_err[-1])
    assert np.isnan(km.ci_lower[-1]) and np.isnan(km.ci_upper[-1])
    at_end, after = survival_at(km, [4, 10])
    assert (at_end.survival, at_end.std_err, at_end.ci_lower, at_end.ci_upper) == (
        0.0, None, None, None,
    )
    assert (after.survival, after.n_risk) == (0.0, 0)


def test_log_log_ci_undefined_at_one_but_landmark_before_first_time_is_one():
    km = kaplan_meier([2, 3, 5], [0, 1, 0], profile="sas")
    assert np.isnan(km.ci_lower[0]) and np.isnan(km.ci_upper[0])
    before, at_censoring = survival_at(km, [1, 2])
    assert (before.survival, before.std_err, before.ci_lower, before.ci_upper) == (1, 0, 1, 1)
    assert (at_censoring.survival, at_censoring.ci_lower, at_censoring.ci_upper) == (1, None, None)


@pytest.mark.parametrize("profile", ["r", "sas"])
def test_degenerate_inputs_give_defined_results(profile):
    empty = kaplan_meier([], [], profile=profile)
    assert empty.n == 0 and empty.time.size == 0
    assert survival_at(empty, [0, 1])[1].survival is None
    censored = kaplan_meier([2, 3, 3], [0, 0, 0], profile=profile)
    assert censored.survival.tolist() == [1, 1] and censored.std_err.tolist() == [0, 0]
    one = kaplan_meier([3], [1], profile=profile)
    assert one.survival.tolist() == [0.0] and one.n_risk.tolist() == [1]
    assert survival_at(one, 2)[0].survival == 1.0


def test_result_is_frozen_and_records_profile():
    km = kaplan_meier([1, 2, 3], [True, False, True], profile=get_profile("sas", conf_level=0.9))
    assert isinstance(km, KaplanMeier) and km.profile == "sas" and km.conf_level == 0.9
    with pytest.raises(ValueError, match="read-only"):
        km.survival[0] = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        km.n = 4  # type: ignore[misc]
    assert survival_at(km, 1)[0].profile == "sas"


@pytest.mark.parametrize(
    ("time", "event", "message"),
    [
        ([1, -2], [1, 0], ">= 0"),
        ([1, np.nan], [1, 0], "finite"),
        ([1, 2], [1], "event has 1"),
        ([1, 2], [1, 2], "0/1"),
        ([[1, 2]], [[1, 0]], "one-dimensional"),
    ],
)
def test_invalid_input_raises(time, event, message):
    with pytest.raises(SurvivalDataError, match=message) as err:
        kaplan_meier(time, event, profile="r")
    assert isinstance(err.value, ValueError) and isinstance(err.value, NetterError)


def test_invalid_landmark_times_and_profile():
    km = kaplan_meier([1, 2], [1, 0], profile="r")
    with pytest.raises(ValueError, match=">= 0"):
        survival_at(km, [-1])
    with pytest.raises(NetterError, match="unknown profile"):
        kaplan_meier([1], [1], profile="stata")
    with pytest.raises(ValueError, match="conf_type"):
        pointwise_ci(np.ones(1), np.zeros(1), conf_type="logit", conf_level=0.95)
