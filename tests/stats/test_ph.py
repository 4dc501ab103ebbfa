"""cox.zph against R survival 3.5.3 (tests/reference/comparisons.R)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.stats.logrank import comparison_data
from netter.stats.ph import TRANSFORMS, CoxZph, cox_zph, time_transform

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-9
ZPH = pd.read_csv(REFERENCE / "comparisons" / "zph.csv", keep_default_na=False,
                  dtype={"value": str})
CASES = sorted(ZPH.groupby(["dataset", "strata", "ties", "transform"]).groups)
REFERENCE_ARM = {"lung": "male", "lung_months": "male", "veteran": "standard",
                 "aml": "Maintained", "ovarian": "A", "colon_death": "Obs"}
PROFILE = {"efron": "r", "breslow": "r+ties=breslow"}  # R conventions, Breslow ties
MONOTONE = {"noevents_arm", "monotone_late", "three_arm_noevents"}


def load_case(name: str) -> pd.DataFrame:
    """A reference dataset, or a hand-made input under comparisons/inputs."""
    path = REFERENCE / "data" / f"{name}.csv"
    if not path.exists():
        path = REFERENCE / "comparisons" / "inputs" / f"{name}.csv"
    return pd.read_csv(path)


def zph(dataset: str, strata: str, ties: str, transform: str) -> CoxZph:
    df = load_case(dataset)
    return cox_zph(
        df["time"], df["event"], df["group"], reference=REFERENCE_ARM.get(dataset, "A"),
        strata=None if strata == "" else [df[c] for c in strata.split("+")],
        profile=PROFILE[ties], transform=transform)


@pytest.mark.parametrize(("dataset", "strata", "ties", "transform"), CASES)
def test_reference_zph_matches_r_cox_zph(dataset, strata, ties, transform):
    ref = ZPH[(ZPH[["dataset", "strata", "ties", "transform"]]
               == (dataset, strata, ties, transform)).all(axis=1)]
    z = zph(dataset, strata, ties, transform)
    rows = {("terms", "group"): z.group, ("terms", "GLOBAL"): z.global_test,
            ("coef", "GLOBAL"): z.global_test}
    rows.update({("coef", a.term): a for a in z.arms})
    assert len(ref) == 3 * len(rows)
    for (terms, term), mine in rows.items():
        r = ref[(ref["terms"] == terms) & (ref["term"] == term)].set_index("stat")["value"]
        assert mine.df == int(r["df"])
        if dataset in MONOTONE:  # R tests its diverged fit; netter: not testable
            assert mine.chisq is None and mine.p_value is None
            assert z.not_testable_reason.startswith("monotone likelihood")
            continue
        for stat, value in (("chisq", mine.chisq), ("p", mine.p_value)):
            assert value == pytest.approx(float(r[stat]), rel=RTOL, abs=1e-14), (terms, term)
    assert z.transform == transform and z.model.ties == ties


@pytest.mark.parametrize("strata", [None, "stratum"])
def test_all_events_at_one_time_is_not_testable(strata):
    # R: "system is exactly singular"; g(t) is constant over the events
    df = load_case("all_tied")
    z = cox_zph(df["time"], df["event"], df["group"], reference="A", profile="r",
                strata=None if strata is None else df[strata])
    assert z.global_test.chisq is None and z.global_test.df == 1
    assert z.not_testable_reason.startswith("singular information")
    assert z.model.effects[0].hazard_ratio is not None


def test_no_events_and_single_arm_are_not_testable():
    z = cox_zph([1, 2, 3], [0, 0, 0], ["a", "b", "a"], reference="a", profile="r")
    assert (z.global_test.chisq, z.not_testable_reason) == (None, "no events")
    z = cox_zph([1, 2, 3], [1, 0, 1], ["a", "a", "a"], reference="a", profile="r")
    assert (z.global_test.chisq, z.global_test.df, z.arms) == (None, 0, ())
    assert z.not_testable_reason == "only one arm"


def test_time_transforms_by_hand():
    d = comparison_data([1, 2, 2, 3, 5], [1, 1, 0, 1, 0], ["a", "b", "a", "b", "a"])
    t = np.array([1.0, 2.0, 3.0, 4.0])
    # KM: S(1) = 4/5, S(2) = 4/5 * 3/4 = 3/5, S(3) = 3/5 * 1/2 = 3/10; g = 1 - S(t-)
    np.testing.assert_allclose(time_transform(d, "km")(t), [0.0, 0.2, 0.4, 0.7])
    # ranks of 1, 2, 2, 3, 5: 1, 2.5, 2.5, 4, 5
    np.testing.assert_allclose(time_transform(d, "rank")(t), [1.0, 2.5, 4.0, 4.5])
    np.testing.assert_allclose(time_transform(d, "log")(t), np.log(t))
    np.testing.assert_allclose(time_transform(d, "identity")(t), t)


def test_invalid_transform_and_log_of_zero():
    with pytest.raises(ValueError, match="unknown transform 'sqrt'"):
        cox_zph([1, 2], [1, 1], ["a", "b"], reference="a", profile="r", transform="sqrt")
    with pytest.raises(ValueError, match="event times > 0"):
        cox_zph([0, 2], [1, 1], ["a", "b"], reference="a", profile="r", transform="log")
    assert set(TRANSFORMS) == {"km", "identity", "rank", "log"}


def test_result_is_frozen():
    z = zph("colon_death", "sex", "efron", "km")
    assert [a.term for a in z.arms] == ["Lev", "Lev+5FU"] and z.group.df == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        z.transform = "rank"
