"""netter against statsmodels, live, where both compute the same statistic the same way.

Log-rank (``survdiff``, plain and stratified), Cox (``PHReg``, Efron and Breslow, plain
and stratified: coefficient, SE, hazard ratio and CI, log-likelihoods, the three tests),
Kaplan-Meier (``SurvfuncRight``: S, Greenwood SE, median and its CI under the log and
log-log transforms), Cochran-Mantel-Haenszel (``StratifiedTable``) and Newcombe's
difference interval (``confint_proportions_2indep(method="newcomb")``).  Agreement is
asserted to 1e-10 (relative, absolute below 1); the largest difference measured on
these datasets is given in ``docs/methods.md`` ("Library oracles").

Conventions that differ (not bugs) are asserted as such: statsmodels' median is the
first time S(t) < 1/2 (strict), netter's takes the midpoint of a flat segment at 1/2;
where the upper band never reaches 1/2 but the curve drops to 0, statsmodels' upper limit
of the median is that time and R's (netter's) is "not reached".
"""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.proportion import confint_proportions_2indep

from netter.stats.contingency import mantel_haenszel, risk_difference, stratified_tables, table_2x2
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier
from netter.stats.logrank import logrank_test
from netter.stats.quantiles import km_quantile
from tests.oracles.datasets import DATASETS, IDS, rel

TOL = 1e-10


@pytest.fixture(params=DATASETS, ids=IDS)
def data(request):
    return request.param()


@pytest.mark.parametrize("stratified", [False, True], ids=["plain", "stratified"])
def test_logrank_equals_survdiff(data, stratified):
    strata = data.stratum if stratified else None
    chisq, p = survdiff(data.time, data.event, data.group, strata=strata)
    ours = logrank_test(data.time, data.event, data.group, strata=strata)
    assert rel(ours.chisq, chisq) < TOL
    assert rel(ours.p_value, p) < TOL


def _phreg(data, ties, stratified):
    model = PHReg(data.time, data.indicator()[:, None], status=data.event, ties=ties,
                  strata=data.stratum if stratified else None)
    return model, model.fit(tol=1e-14, maxiter=200, disp=False)


@pytest.mark.parametrize("stratified", [False, True], ids=["plain", "stratified"])
@pytest.mark.parametrize(("ties", "profile"), [("efron", "r"), ("breslow", "r+ties=breslow")])
def test_cox_equals_phreg(data, ties, profile, stratified):
    model, fit = _phreg(data, ties, stratified)
    ours = cox_hazard_ratio(data.time, data.event, data.group, reference=data.reference,
                            strata=data.stratum if stratified else None, profile=profile)
    effect = ours.effects[0]
    assert ours.ties == ties and effect.arm == data.arm
    assert rel(effect.coef, fit.params[0]) < TOL
    assert rel(effect.se, fit.bse[0]) < TOL
    assert rel(effect.hazard_ratio, np.exp(fit.params[0])) < TOL
    assert rel([effect.ci_lower, effect.ci_upper], np.exp(fit.conf_int()[0])) < TOL
    assert rel(effect.p_value, fit.pvalues[0]) < TOL
    assert rel(ours.loglik, fit.llf) < TOL
    null = model.loglike(np.zeros(1))
    assert rel(ours.loglik_null, null) < TOL
    assert rel(ours.likelihood_ratio.chisq, 2.0 * (fit.llf - null)) < TOL
    score = model.score(np.zeros(1))
    info = -model.hessian(np.zeros(1))
    assert rel(ours.score.chisq, float(score @ np.linalg.solve(info, score))) < TOL


def test_kaplan_meier_equals_survfuncright(data):
    for label in (data.arm, data.reference):
        t, e = data.of(label)
        sm = SurvfuncRight(t, e)
        km = kaplan_meier(t, e, profile="r")
        rows = km.n_event > 0  # statsmodels keeps event times only
        np.testing.assert_array_equal(km.time[rows], sm.surv_times)
        np.testing.assert_array_equal(km.n_risk[rows], sm.n_risk)
        assert rel(km.survival[rows], sm.surv_prob) < TOL
        finite = np.isfinite(sm.surv_prob_se)
        np.testing.assert_array_equal(np.isfinite(km.std_err[rows]), finite)
        assert rel(km.std_err[rows][finite], sm.surv_prob_se[finite]) < TOL


def _on_flat_half(km) -> bool:
    return bool(np.any(np.abs(km.survival - 0.5) < 1e-8))


@pytest.mark.parametrize(("method", "profile"),
                         [("log", "r"), ("cloglog", "r+ci_transform=log-log")])
def test_median_ci_equals_quantile_ci(data, method, profile):
    """Brookmeyer-Crowley limits: statsmodels' transform g = netter's CI transform."""
    checked = 0
    for label in (data.arm, data.reference):
        t, e = data.of(label)
        sm = SurvfuncRight(t, e)
        km = kaplan_meier(t, e, profile=profile)
        ours = km_quantile(km, 0.5)
        with np.errstate(divide="ignore", invalid="ignore"):  # g(0), g(1) at the ends
            lower, upper = sm.quantile_ci(0.5, method=method)
        assert ours.ci_lower == lower
        if ours.ci_upper is None and km.survival[-1] == 0.0:
            # a convention: the band is undefined where S = 0; R and netter say "not
            # reached", statsmodels gives the time the curve drops to 0
            assert upper == km.time[-1]
        else:
            assert (ours.ci_upper is None and upper == np.inf) or ours.ci_upper == upper
        if not _on_flat_half(km):
            checked += 1
            median = sm.quantile(0.5)
            assert (ours.estimate is None and np.isnan(median)) or ours.estimate == median
    assert checked >= 1


def test_median_on_a_flat_half_is_a_convention():
    """S = 1/2 exactly from t = 2 to 3: R and netter take 2.5, statsmodels 3 (strict <)."""
    t, e = np.array([1.0, 2, 3, 4]), np.array([1, 1, 1, 1])
    assert km_quantile(kaplan_meier(t, e, profile="r")).estimate == 2.5
    assert SurvfuncRight(t, e).quantile(0.5) == 3.0


def _tables(data, responders):
    counts = []
    for s in sorted(set(data.stratum)):
        m = data.stratum == s
        a, r = m & (data.group == data.arm), m & (data.group == data.reference)
        counts.append((int(responders[a].sum()), int(a.sum()),
                       int(responders[r].sum()), int(r.sum())))
    return stratified_tables(counts)


@pytest.mark.parametrize("correct", [False, True], ids=["uncorrected", "corrected"])
def test_cmh_equals_stratifiedtable(data, correct):
    """Event before the median follow-up as a binary 'response', by stratum."""
    tables = _tables(data, (data.event == 1) & (data.time < np.median(data.time)))
    ours = mantel_haenszel(tables, correct=correct)
    st = StratifiedTable(np.moveaxis(tables, 0, -1).astype(float))
    test = st.test_null_odds(correction=correct)
    assert rel(ours.statistic, test.statistic) < TOL
    assert rel(ours.p_value, test.pvalue) < TOL
    assert rel(ours.odds_ratio, st.oddsratio_pooled) < TOL
    assert rel([ours.lower, ours.upper], st.oddsratio_pooled_confint()) < TOL


NEWCOMBE_CASES = [(18, 116, 3, 113), (56, 70, 48, 80), (0, 10, 3, 12), (5, 5, 2, 9),
                  (1, 40, 1, 40), (33, 60, 12, 61), (0, 20, 0, 25)]


@pytest.mark.parametrize("case", NEWCOMBE_CASES)
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_newcombe_equals_confint_proportions_2indep(case, level):
    ours = risk_difference(table_2x2(*case), conf_level=level)
    lower, upper = confint_proportions_2indep(*case, method="newcomb", compare="diff",
                                              alpha=1.0 - level)
    assert ours.method == "newcombe"
    assert rel([ours.lower, ours.upper], [lower, upper]) < TOL
