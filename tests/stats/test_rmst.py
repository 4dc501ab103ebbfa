"""Restricted mean survival time against R survival 3.5.3 (tests/reference/km.R)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from netter.profiles import get_profile
from netter.stats.rmst import Rmst, rmst, rmst_difference

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-9
ATOL = 1e-13  # only for values R prints as exact zeros
RMST = pd.read_csv(REFERENCE / "km" / "rmst.csv", float_precision="round_trip")
DIFFERENCE = pd.read_csv(REFERENCE / "km" / "rmst_difference.csv", float_precision="round_trip")


def load_case(case: str) -> pd.DataFrame:
    """One reference case (a dataset or a hand-made input) as a data frame."""
    path = REFERENCE / "data" / f"{case}.csv"
    if not path.exists():
        path = REFERENCE / "km" / "inputs" / f"{case}.csv"
    return pd.read_csv(path)


def subset_of(df: pd.DataFrame, subset: str) -> tuple[np.ndarray, np.ndarray]:
    if subset != "all":
        df = df[df["group"].astype(str) == subset]
    return df["time"].to_numpy(float), df["event"].to_numpy(int)


@pytest.mark.parametrize("row", [r for _, r in RMST.iterrows()], ids=lambda r: (
    f"{r['case']}-{r['subset']}-{r['tau']:g}"
))
def test_reference_rmst_matches_r_survmean(row):
    time, event = subset_of(load_case(row["case"]), row["subset"])
    result = rmst(time, event, tau=row["tau"], profile="r")
    assert result.tau == row["tau"]
    assert result.estimate == pytest.approx(row["rmean"], rel=RTOL, abs=ATOL)
    assert result.se == pytest.approx(row["se_rmean"], rel=RTOL, abs=ATOL)
    z = norm.ppf(0.975)
    assert result.ci_lower == pytest.approx(row["rmean"] - z * row["se_rmean"], rel=RTOL, abs=ATOL)
    assert result.ci_upper == pytest.approx(row["rmean"] + z * row["se_rmean"], rel=RTOL, abs=ATOL)
    assert result.extended == (row["tau"] > row["last_time"])


@pytest.mark.parametrize("row", [r for _, r in DIFFERENCE.iterrows()], ids=lambda r: (
    f"{r['case']}-{r['arm']}-{r['tau']:g}-{r['conf_level']:g}"
))
def test_reference_rmst_difference_matches_r(row):
    df = load_case(row["case"])
    profile = get_profile("r", conf_level=row["conf_level"])
    result = rmst_difference(
        df["time"], df["event"], df["group"], tau=row["tau"], reference=row["reference"],
        arm=row["arm"], profile=profile,
    )
    assert (result.arm, result.reference, result.tau) == (row["arm"], row["reference"], row["tau"])
    for field, col in (("estimate", "estimate"), ("se", "se"), ("ci_lower", "lower"),
                       ("ci_upper", "upper")):
        assert getattr(result, field) == pytest.approx(row[col], rel=RTOL, abs=ATOL), field
    if np.isnan(row["p_value"]):
        assert result.p_value is None
    else:
        assert result.p_value == pytest.approx(row["p_value"], rel=RTOL, abs=1e-300)
    assert result.estimate == pytest.approx(
        result.arm_rmst.estimate - result.reference_rmst.estimate, rel=1e-15, abs=ATOL
    )


def test_hand_computed_rmst():
    """S = 0.75, 0.5, 0.25 after t = 1, 2, 3: area to 3 is 1 + 0.75 + 0.5."""
    result = rmst([1, 2, 3, 4], [1, 1, 1, 1], tau=3, profile="r")
    assert result.estimate == 2.25 and not result.extended
    # events at 1 and 2 (the one at 3 has no area after it): A = 1.25, 0.5
    var = 1.25**2 * 1 / (4 * 3) + 0.5**2 * 1 / (3 * 2)
    assert result.se == pytest.approx(np.sqrt(var), rel=1e-15)


def test_tau_past_last_time_carries_the_curve_forward():
    result = rmst([1, 2, 3], [1, 0, 0], tau=5, profile="r")
    assert result.extended and result.estimate == pytest.approx(1 + 4 * 2 / 3, rel=1e-15)
    before_first = rmst([4, 5], [1, 1], tau=2, profile="r")
    assert (before_first.estimate, before_first.se, before_first.extended) == (2.0, 0.0, False)


def test_degenerate_inputs():
    empty = rmst([], [], tau=3, profile="sas")
    assert (empty.estimate, empty.se, empty.ci_lower, empty.profile) == (None, None, None, "sas")
    censored = rmst([2, 6], [0, 0], tau=4, profile="r")
    assert (censored.estimate, censored.se) == (4.0, 0.0)
    same = rmst_difference([5, 6], [1, 1], ["a", "b"], tau=3, reference="a", profile="r")
    assert (same.estimate, same.se, same.p_value) == (0.0, 0.0, None)
    assert isinstance(same.arm_rmst, Rmst) and same.profile == "r"


def test_invalid_arguments():
    with pytest.raises(ValueError, match="tau"):
        rmst([1, 2], [1, 0], tau=0, profile="r")
    with pytest.raises(ValueError, match="tau"):
        rmst([1, 2], [1, 0], tau=float("nan"), profile="r")
    time, event = [1, 2, 3], [1, 0, 1]
    with pytest.raises(ValueError, match="reference arm 'z'"):
        rmst_difference(time, event, ["a", "b", "b"], tau=2, reference="z", profile="r")
    with pytest.raises(ValueError, match="exactly one arm"):
        rmst_difference(time, event, ["a", "b", "c"], tau=2, reference="a", profile="r")
    with pytest.raises(ValueError, match="arm 'a' not found"):
        rmst_difference(time, event, ["a", "b", "c"], tau=2, reference="a", arm="a", profile="r")
    with pytest.raises(ValueError, match="group has 2"):
        rmst_difference(time, event, ["a", "b"], tau=2, reference="a", profile="r")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rmst(time, event, tau=2, profile="r").tau = 3.0  # type: ignore[misc]
