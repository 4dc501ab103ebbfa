"""The profile options against their agreement targets (tests/reference/conventions.R).

Each convention where R, SAS and lifelines differ is reproduced by an option, and
tested against R's value and SAS's (published by CAMIS, or SAS's documented formula by
hand) - see docs/methods.md "Conventions and options".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.endpoints.response import _odds_ratio
from netter.errors import NetterError
from netter.profiles import OPTIONS, PROFILES, get_profile
from netter.stats.contingency import sample_odds_ratio, table_2x2
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier, n_at_risk, survival_at
from netter.stats.lifetest import exponential_lr_test, wilcoxon_test
from netter.stats.quantiles import km_quantile
from netter.stats.rmst import rmst

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
VALUES = pd.read_csv(REFERENCE / "conventions" / "values.csv", keep_default_na=False,
                     dtype={"value": str})
CAMIS10 = pd.read_csv(REFERENCE / "conventions" / "camis10.csv")
WHAS = pd.read_csv(REFERENCE / "data" / "whas500" / "whas_export.csv")
LUNG = pd.read_csv(REFERENCE / "data" / "camis" / "lung_cancer.csv")
RATS = pd.read_csv(REFERENCE / "conventions" / "rats.csv")


def ref(case: str, quantity: str, source: str = "R") -> float | None:
    row = VALUES[(VALUES.case == case) & (VALUES.quantity == quantity)
                 & (VALUES.source == source)]
    assert len(row) == 1, (case, quantity, source)
    value = row.iloc[0]["value"]
    return None if value == "NA" else float(value)


def camis10(profile):
    return kaplan_meier(CAMIS10.time, CAMIS10.status, profile=profile)


# (a) median on a flat segment that runs to a censored end ------------------------------

def test_quantile_rule_midpoint_is_r_and_sas_is_ne():
    r_rule = get_profile("r", options={"ci_transform": "log-log"})
    median = km_quantile(camis10(r_rule))
    assert median.estimate == ref("camis10", "median") == 102.5
    assert median.ci_lower == ref("camis10", "median_lower")
    assert median.ci_upper is None and ref("camis10", "median_upper") is None
    sas = km_quantile(camis10("sas"))
    assert sas.estimate is None and ref("camis10", "median", "SAS") is None
    assert sas.ci_lower == ref("camis10", "median_lower")  # the band crosses: as R
    for q, name in ((0.25, "q25"), (0.75, "q75")):  # no flat segment: rules agree
        assert km_quantile(camis10("sas"), q).estimate == ref("camis10", name)


def test_quantile_rule_sas_keeps_the_midpoint_between_event_times():
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], profile="sas")
    assert km_quantile(km).estimate == 2.5  # S = 0.5 on [2, 3): SAS's (t_j + t_j+1) / 2


def test_quantile_rule_first_is_lifelines():
    lifelines = pytest.importorskip("lifelines")
    for times, events in ((CAMIS10.time, CAMIS10.status), ([1, 2, 3, 4, 5, 6], [1] * 6),
                          (WHAS.LENFOL, WHAS.FSTAT)):
        kmf = lifelines.KaplanMeierFitter().fit(times, events)
        ours = km_quantile(kaplan_meier(times, events, profile="lifelines"))
        assert ours.estimate == kmf.median_survival_time_
        bands = lifelines.utils.median_survival_times(kmf.confidence_interval_)
        lower, upper = (float(v) for v in np.asarray(bands).ravel())
        assert (ours.ci_lower if ours.ci_lower is not None else np.inf) == lower
        assert (ours.ci_upper if ours.ci_upper is not None else np.inf) == upper


# (b) landmark past a censored end ------------------------------------------------------

def test_landmark_rule_carry_is_r_extend_and_ne_is_sas():
    carry = get_profile("r", options=["ci_transform=log-log", "landmark_rule=carry"])
    for t in (80, 100, 120):
        lm = survival_at(camis10(carry), t)[0]
        assert lm.survival == pytest.approx(ref("camis10", f"surv_{t}"), rel=1e-12)
        assert lm.ci_lower == pytest.approx(ref("camis10", f"lower_{t}"), rel=1e-12)
        assert lm.ci_upper == pytest.approx(ref("camis10", f"upper_{t}"), rel=1e-12)
        assert lm.n_risk == ref("camis10", f"n_risk_{t}")
    assert survival_at(camis10(carry), 120)[0].carried
    # the r preset is R's extend=TRUE (its CI transform log, as R's default)
    r_preset = survival_at(camis10("r"), 120)[0]
    assert r_preset.carried and r_preset.survival == pytest.approx(
        ref("camis10", "surv_120"), rel=1e-12)
    for profile in ("sas", "r+landmark_rule=none"):  # ne (SAS) and none give no value
        lm = survival_at(camis10(profile), 120)[0]
        assert lm.survival is None and lm.ci_lower is None and lm.n_risk == 0
    assert ref("camis10", "surv_120", "SAS") is None
    assert survival_at(camis10("sas"), 100)[0].survival == 0.5  # before the end: estimable


def test_none_and_ne_differ_on_the_rmst():
    none = rmst(CAMIS10.time, CAMIS10.status, tau=130, profile="r")
    ne = rmst(CAMIS10.time, CAMIS10.status, tau=130, profile="sas")
    assert none.extended and none.estimate == pytest.approx(
        54 + 21 * 0.9 + 2 * 0.8 + 7 * 0.7 + 3 * 0.6 + 43 * 0.5, rel=1e-12)
    assert ne.estimate is None and "landmark_rule=ne" in ne.not_estimable_reason
    assert rmst(CAMIS10.time, CAMIS10.status, tau=118, profile="sas").estimate == \
        rmst(CAMIS10.time, CAMIS10.status, tau=118, profile="r").estimate


# (c) Cox convergence: PHREG's GCONV stops one Newton step before R --------------------

def whas_cox(profile):
    return cox_hazard_ratio(WHAS.LENFOL, WHAS.FSTAT.astype(int), WHAS.AFB.astype(int),
                            reference="0", profile=profile)


def test_convergence_gconv_is_phreg_and_r_is_coxph():
    r = whas_cox(get_profile("r", options=["ties=breslow", "convergence=r"])).effects[0]
    assert r.coef == pytest.approx(ref("whas500_breslow", "coef"), rel=1e-12)
    assert r.se == pytest.approx(ref("whas500_breslow", "se"), rel=1e-12)
    assert r.z**2 == pytest.approx(ref("whas500_breslow", "wald_exact"), rel=1e-12)
    assert round(r.z**2, 6) == 10.614223
    sas_model = whas_cox("sas")
    sas = sas_model.effects[0]
    assert sas_model.ties == "breslow" and sas_model.iterations == 3
    assert round(sas.z**2, 4) == ref("whas500_breslow", "wald", "SAS") == 10.6143
    assert sas.z**2 == pytest.approx(ref("whas500_breslow_early", "wald_exact"), rel=1e-10)
    assert sas.coef == pytest.approx(ref("whas500_breslow_early", "coef"), rel=1e-10)
    assert round(sas.coef, 4) == round(r.coef, 4) and round(sas.se, 4) == round(r.se, 4)
    assert abs(sas.z**2 - r.z**2) > 1e-4  # the difference is real, not rounding


def test_convergence_strict_and_r_agree_with_the_converged_fit():
    strict = whas_cox(get_profile("r", options=["ties=breslow"])).effects[0]
    assert strict.coef == pytest.approx(ref("whas500_breslow", "coef"), rel=1e-10)


def test_convergence_lifelines_is_coxphfitter():
    lifelines = pytest.importorskip("lifelines")
    cph = lifelines.CoxPHFitter().fit(WHAS[["LENFOL", "FSTAT", "AFB"]], "LENFOL", "FSTAT")
    ours = whas_cox("lifelines").effects[0]
    assert ours.coef == pytest.approx(float(cph.params_.iloc[0]), rel=1e-12, abs=0)
    assert ours.se == pytest.approx(float(cph.standard_errors_.iloc[0]), rel=1e-12)
    assert ours.coef != pytest.approx(ref("whas500_efron", "coef"), rel=1e-9)  # not R's


# (d) odds ratio: sample with Woolf CI (PROC FREQ) vs conditional MLE (fisher.test) ------

def test_odds_ratio_sample_is_proc_freq_and_conditional_is_fisher():
    a, b, c, d = (int(ref("adcibc_or", k)) for k in "abcd")
    table = table_2x2(a, a + b, c, c + d)
    s = sample_odds_ratio(table)
    for mine, key in ((s.estimate, "sample"), (s.lower, "sample_lower"),
                      (s.upper, "sample_upper")):
        assert mine == pytest.approx(ref("adcibc_or", key, "hand"), rel=1e-12)
    cond, _ = _odds_ratio(table, 0.95, "conditional")
    assert cond.estimate == pytest.approx(ref("adcibc_or", "conditional"), rel=1e-6)
    assert cond.ci[0] == pytest.approx(ref("adcibc_or", "conditional_lower"), rel=1e-6)
    assert cond.ci[1] == pytest.approx(ref("adcibc_or", "conditional_upper"), rel=1e-6)
    sample, _ = _odds_ratio(table, 0.95, "sample")
    assert sample.estimate == s.estimate and "Woolf" in sample.method


# (e) LIFETEST's Wilcoxon and -2Log(LR) ------------------------------------------------

CASES = {
    "whas500_afb": (WHAS.LENFOL, WHAS.FSTAT.astype(int), WHAS.AFB.astype(int), WHAS.GENDER),
    "lung_trt": (LUNG.time, (LUNG.status == 2).astype(int), LUNG.trt01p, LUNG.sex),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wilcoxon_and_lr_match_the_hand_formulas(case):
    time, event, group, strata = CASES[case]
    w = wilcoxon_test(time, event, group)
    assert w.chisq == pytest.approx(ref(case, "wilcoxon", "hand"), rel=1e-12)
    assert w.score[0] == pytest.approx(ref(case, "wilcoxon_score_first", "hand"), rel=1e-12)
    ws = wilcoxon_test(time, event, group, strata=strata)
    assert ws.chisq == pytest.approx(ref(case, "wilcoxon_stratified", "hand"), rel=1e-12)
    lr = exponential_lr_test(time, event, group)
    assert lr.chisq == pytest.approx(ref(case, "lr_exponential", "hand"), rel=1e-12)
    assert lr.chisq == pytest.approx(ref(case, "lr_exponential", "R"), rel=1e-9)
    assert w.chisq != pytest.approx(ref(case, "peto_peto"), rel=1e-3)  # not survdiff(rho=1)


def test_wilcoxon_is_lifetest_on_whas500():
    time, event, group, _ = CASES["whas500_afb"]
    assert round(wilcoxon_test(time, event, group).chisq, 4) == ref(
        "whas500_afb", "wilcoxon", "SAS") == 8.2593


def test_lifetest_tests_on_the_rats_data():
    lr = exponential_lr_test(RATS.days, RATS.status, RATS.group)
    assert round(lr.chisq, 4) == 0.0775  # SAS documentation's example as recalled (see .R)
    assert lr.chisq == pytest.approx(ref("rats", "lr_exponential", "hand"), rel=1e-12)
    w = wilcoxon_test(RATS.days, RATS.status, RATS.group)
    assert w.chisq == pytest.approx(ref("rats", "wilcoxon", "hand"), rel=1e-12)


# lifelines' other conventions --------------------------------------------------------

def test_at_risk_gt_is_lifelines_add_at_risk_counts():
    km = kaplan_meier([1, 2, 2, 3, 5], [1, 1, 0, 1, 0], profile="lifelines")
    assert [n_at_risk(km, t) for t in (0, 1, 2, 2.5, 5, 6)] == [5, 4, 2, 2, 0, 0]
    assert [n_at_risk(km, t, "ge") for t in (0, 1, 2, 2.5, 5, 6)] == [5, 5, 4, 2, 1, 0]


def test_ci_edges_collapse_and_rmst_variance_are_lifelines():
    lifelines = pytest.importorskip("lifelines")
    from lifelines.utils import restricted_mean_survival_time
    time, event = [1, 2, 2, 3, 4, 4, 6], [1, 1, 0, 1, 1, 0, 1]
    kmf = lifelines.KaplanMeierFitter().fit(time, event)
    km = kaplan_meier(time, event, profile="lifelines")
    ci = kmf.confidence_interval_.loc[km.time].to_numpy()
    assert np.allclose(km.ci_lower, ci[:, 0], rtol=1e-12, atol=0)
    assert np.allclose(km.ci_upper, ci[:, 1], rtol=1e-12, atol=0)
    assert km.ci_lower[-1] == 0.0  # S = 0: R gives NA
    for tau in (2.5, 4.0, 6.0):
        mean, var = restricted_mean_survival_time(kmf, t=tau, return_variance=True)
        ours = rmst(time, event, tau=tau, profile="lifelines")
        assert ours.estimate == pytest.approx(mean, rel=1e-12)
        assert ours.se**2 == pytest.approx(var, rel=1e-7)  # lifelines integrates with quad


# the API -------------------------------------------------------------------------------

def test_every_option_is_described_and_every_preset_value_allowed():
    for name, option in OPTIONS.items():
        assert option.meaning and option.r and option.sas and option.lifelines
        for preset in PROFILES.values():
            value = preset.options()[name]
            assert name == "conf_level" or value in option.values, (name, value)


def test_bad_options_name_the_option_and_the_allowed_values():
    with pytest.raises(NetterError, match="option quantile_rule: unknown value 'median'; "
                                          "allowed: midpoint, sas, first"):
        get_profile("r", options={"quantile_rule": "median"})
    with pytest.raises(NetterError, match="unknown option 'quantile'; options: quantile_rule"):
        get_profile("r", options=["quantile=sas"])
    with pytest.raises(NetterError, match="unknown profile 'stata'"):
        get_profile("stata")


def test_names_show_overridden_options_and_read_back():
    p = get_profile("sas", options={"quantile_rule": "midpoint", "ties": "breslow"})
    assert p.name == "sas+quantile_rule=midpoint"  # ties=breslow is the preset's own
    assert get_profile(p.name) == p
    assert get_profile("r", conf_level=0.9).name == "r"
    assert p.options()["convergence"] == "gconv" and p.conf_type == "log-log"
