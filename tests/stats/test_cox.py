"""Cox model against R survival 3.5.3 ``coxph``/``summary`` (tests/reference/comparisons.R)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.profiles import get_profile
from netter.stats.cox import CoxModel, cox_hazard_ratio

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-9
ATOL = 1e-12  # for values that are zero in exact arithmetic (R prints ~1e-16)
COXPH = pd.read_csv(REFERENCE / "comparisons" / "coxph.csv", keep_default_na=False,
                    dtype={"value": str})
CASES = sorted(COXPH.groupby(["dataset", "strata", "ties"]).groups)
REFERENCE_ARM = {"lung": "male", "lung_months": "male", "veteran": "standard",
                 "aml": "Maintained", "ovarian": "A", "colon_death": "Obs"}
PROFILE = {"efron": "r", "breslow": "r+ties=breslow"}  # R conventions, Breslow ties


def load_case(name: str) -> pd.DataFrame:
    """A reference dataset, or a hand-made input under comparisons/inputs."""
    path = REFERENCE / "data" / f"{name}.csv"
    if not path.exists():
        path = REFERENCE / "comparisons" / "inputs" / f"{name}.csv"
    return pd.read_csv(path)


def fit(dataset: str, strata: str, ties: str, conf_level: float | None = None) -> CoxModel:
    df = load_case(dataset)
    return cox_hazard_ratio(
        df["time"], df["event"], df["group"],
        reference=REFERENCE_ARM.get(dataset, "A"),
        strata=None if strata == "" else [df[c] for c in strata.split("+")],
        profile=get_profile(PROFILE[ties], conf_level=conf_level))


def reference_values(dataset: str, strata: str, ties: str) -> dict[tuple[str, str], float]:
    ref = COXPH[(COXPH["dataset"] == dataset) & (COXPH["strata"] == strata)
                & (COXPH["ties"] == ties)]
    return {(r.term, r.stat): float("nan") if r.value == "NA" else float(r.value)
            for r in ref.itertuples()}


def assert_close(actual, expected, what) -> None:
    assert actual is not None, what
    assert abs(actual - expected) <= RTOL * abs(expected) + ATOL, (what, actual, expected)


@pytest.mark.parametrize(("dataset", "strata", "ties"), CASES)
def test_reference_cox_matches_r_coxph(dataset, strata, ties):
    r = reference_values(dataset, strata, ties)
    m = fit(dataset, strata, ties)
    assert (m.n, m.events, m.ties) == (r[("", "n")], r[("", "nevent")], ties)
    assert_close(m.loglik_null, r[("", "loglik0")], "loglik0")
    if m.events == 0:  # R: NA coefficient, every test 0; netter: not estimable
        assert all(e.not_estimable_reason == "no events" for e in m.effects)
        assert (m.score.chisq, m.likelihood_ratio.chisq, m.wald.chisq) == (None, None, None)
        return
    # score and likelihood-ratio tests exist even for a monotone likelihood
    assert_close(m.loglik, r[("", "loglik")], "loglik")
    for name, test in (("score", m.score), ("lr", m.likelihood_ratio)):
        assert_close(test.chisq, r[("", name)], name)
        assert_close(test.p_value, r[("", f"{name}_p")], f"{name}_p")
        assert test.df == r[("", "df")]
    for e in m.effects:
        if e.not_estimable_reason is not None:
            # R warns and stops with a huge coefficient: the likelihood is monotone
            assert r[("", "warning")] == 1 and abs(r[(e.arm, "coef")]) > 20
            assert e.hazard_ratio is e.ci_lower is e.ci_upper is e.se is None
            continue
        for field, stat in (("coef", "coef"), ("se", "se"), ("hazard_ratio", "hr"),
                            ("ci_lower", "lower95"), ("ci_upper", "upper95"), ("z", "z"),
                            ("p_value", "p")):
            assert_close(getattr(e, field), r[(e.arm, stat)], (e.arm, stat))
    if m.estimable:
        assert_close(m.wald.chisq, r[("", "wald")], "wald")
        assert_close(m.wald.p_value, r[("", "wald_p")], "wald_p")
        assert m.converged and r[("", "warning")] == 0
    else:
        assert m.wald.chisq is None and m.covariance is None


@pytest.mark.parametrize(("dataset", "strata", "ties"),
                         [("lung", "ecog", "efron"), ("colon_death", "", "breslow"),
                          ("veteran", "celltype+prior", "breslow"), ("aml", "", "efron")])
def test_reference_conf_level_from_profile_matches_r(dataset, strata, ties):
    r = reference_values(dataset, strata, ties)
    m = fit(dataset, strata, ties, conf_level=0.90)
    assert m.conf_level == 0.90
    for e in m.effects:
        assert_close(e.ci_lower, r[(e.arm, "lower90")], "lower90")
        assert_close(e.ci_upper, r[(e.arm, "upper90")], "upper90")


def test_hand_calculation_score_test():
    """hand8.csv: score test at beta = 0, by hand (same for Efron and Breslow here).

    U = O_B - E_B = 3 - (1/2 + 4/7 + 1 + 2/3 + 1/2) = -5/21.
    Breslow information: sum d * pB * (1 - pB) over event times
      = 1/4 + 12/49 + 2 * 1/4 + 2/9 + 1/4 = 647/441;
    Efron at t=3 (A and B die, 3 + 3 at risk): both terms have pB = 1/2, so also 1/2.
    chisq = (5/21)^2 / (647/441) = 25/647.
    """
    df = load_case("hand8")
    for profile in ("r", "sas"):
        m = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="A",
                             profile=profile)
        assert m.score.chisq == pytest.approx(25 / 647, rel=1e-13)
        assert m.score.df == 1


def test_swapping_reference_inverts_hazard_ratio():
    df = load_case("veteran")
    a = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="standard",
                         profile="r")
    b = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="test", profile="r")
    assert a.effects[0].hazard_ratio == pytest.approx(1 / b.effects[0].hazard_ratio, rel=1e-12)
    assert a.effects[0].ci_lower == pytest.approx(1 / b.effects[0].ci_upper, rel=1e-12)
    assert a.score.chisq == pytest.approx(b.score.chisq, rel=1e-12)


def test_monotone_likelihood_reasons():
    df = load_case("monotone_late")
    m = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="A", profile="r")
    assert m.effects[0].not_estimable_reason == (
        "monotone likelihood: hazard ratio of 'B' vs 'A' tends to 0")
    m = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="B", profile="r")
    assert "tends to infinity" in m.effects[0].not_estimable_reason
    df = load_case("three_arm_noevents")
    m = cox_hazard_ratio(df["time"], df["event"], df["group"], reference="A", profile="sas")
    b, c = m.effects
    assert b.not_estimable_reason is None and b.hazard_ratio is not None
    assert c.not_estimable_reason.endswith("(no events in arm 'C')")
    assert not m.estimable and m.score.chisq is not None


def test_never_at_risk_together_is_not_identifiable():
    # arm "c" is censored before the first event: no information at all
    m = cox_hazard_ratio([1, 5, 6, 7, 8, 9], [0, 1, 1, 0, 1, 1],
                         ["c", "a", "b", "a", "b", "a"], reference="a", profile="r")
    effects = {e.arm: e for e in m.effects}
    assert "not identifiable" in effects["c"].not_estimable_reason
    assert effects["b"].hazard_ratio is not None
    assert m.score.df == 1  # only arm "b" carries information


def test_degenerate_inputs_never_raise_or_give_nan():
    cases = [
        ([1, 2, 3], [0, 0, 0], ["a", "b", "a"], None),  # no events
        ([1, 2, 3], [1, 1, 0], ["a", "a", "a"], None),  # one arm
        ([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"], ["s", "s", "t", "u"]),  # singletons
        ([5, 5, 5, 5], [1, 1, 1, 1], ["a", "b", "a", "b"], None),  # all die together
    ]
    for time, event, group, strata in cases:
        m = cox_hazard_ratio(time, event, group, reference="a", strata=strata, profile="r")
        for v in dataclasses.astuple(m):
            assert not (isinstance(v, float) and np.isnan(v))


def test_invalid_input():
    with pytest.raises(ValueError, match="reference arm 'X' not present; arms are A, B"):
        cox_hazard_ratio([1, 2], [1, 1], ["A", "B"], reference="X", profile="r")
    with pytest.raises(ValueError, match="time has 2 values but event has 1"):
        cox_hazard_ratio([1, 2], [1], ["A", "B"], reference="A", profile="r")
    with pytest.raises(ValueError, match=">= 0"):
        cox_hazard_ratio([1, -2], [1, 1], ["A", "B"], reference="A", profile="r")
    odd = dataclasses.replace(get_profile("r"), ties="exact")
    with pytest.raises(ValueError, match="unknown ties"):
        cox_hazard_ratio([1, 2], [1, 1], ["A", "B"], reference="A", profile=odd)


def test_result_is_frozen_and_records_profile():
    m = fit("aml", "", "breslow")
    assert (m.profile, m.ties, m.reference) == ("r+ties=breslow", "breslow", "Maintained")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.loglik = 0.0
    assert hash(m)  # tuples only: hashable
