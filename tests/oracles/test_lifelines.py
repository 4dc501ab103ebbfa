"""netter against lifelines, live, through netter's ``lifelines`` profile.

``get_profile("lifelines")`` sets netter's options to lifelines' defaults (log-log
"exponential Greenwood" CI collapsing to the point where S = 0 or 1, the first time
S <= 1/2 as the median, Efron ties, lifelines' own Newton iterations and stopping
rules); with it, lifelines' ``KaplanMeierFitter`` (survival, CI, numbers at risk of the
event table, median and its CI), ``CoxPHFitter`` at its defaults (coefficient, SE, Wald
p, log-likelihood, likelihood-ratio test) and ``restricted_mean_survival_time`` (the
mean) agree with netter to 1e-10.  Under netter's own ``r`` profile (converged to
1e-13) the Cox estimates agree with a lifelines fit at ``precision=1e-14`` to 1e-7
and not better: lifelines also stops when the log-likelihood changes by less than 1e-9
(at its default precision the coefficient of the synthetic trial is 4e-5 away).  The
RMST "variance" lifelines returns is another quantity, integrated inaccurately
(``test_library_bugs``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.utils import median_survival_times, restricted_mean_survival_time

from netter.profiles import get_profile
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier
from netter.stats.quantiles import km_quantile
from netter.stats.rmst import rmst
from tests.oracles.datasets import DATASETS, IDS, rel

TOL = 1e-10
LIFELINES = get_profile("lifelines")


@pytest.fixture(params=DATASETS, ids=IDS)
def data(request):
    return request.param()


def _arms(data):
    for label in (data.arm, data.reference):
        t, e = data.of(label)
        yield t, e, KaplanMeierFitter().fit(t, e), kaplan_meier(t, e, profile=LIFELINES)


def test_kaplan_meier_equals_kaplanmeierfitter(data):
    for _t, _e, kmf, km in _arms(data):
        np.testing.assert_array_equal(kmf.survival_function_.index.to_numpy()[1:], km.time)
        assert rel(kmf.survival_function_.to_numpy()[1:, 0], km.survival) < TOL
        np.testing.assert_array_equal(kmf.event_table["at_risk"].to_numpy()[1:], km.n_risk)
        ci = kmf.confidence_interval_survival_function_.to_numpy()[1:]
        assert rel(ci[:, 0], km.ci_lower) < TOL  # edges too: ci_edges=collapse
        assert rel(ci[:, 1], km.ci_upper) < TOL


def test_median_equals_kaplanmeierfitter(data):
    for _t, _e, kmf, km in _arms(data):
        ours = km_quantile(km, 0.5)
        assert ours.estimate == kmf.median_survival_time_  # quantile_rule=first
        lower, upper = median_survival_times(kmf.confidence_interval_).to_numpy()[0]
        assert ours.ci_lower == lower
        assert (ours.ci_upper is None and upper == np.inf) or ours.ci_upper == upper


def test_median_on_a_flat_half():
    """S = 1/2 from 2 to 3: lifelines and netter's lifelines preset 2, netter r 2.5."""
    t, e = [1.0, 2, 3, 4], [1, 1, 1, 1]
    kmf = KaplanMeierFitter().fit(t, e)
    assert kmf.median_survival_time_ == 2.0
    assert km_quantile(kaplan_meier(t, e, profile=LIFELINES)).estimate == 2.0
    assert km_quantile(kaplan_meier(t, e, profile="r")).estimate == 2.5


@pytest.mark.parametrize("stratified", [False, True], ids=["plain", "stratified"])
def test_cox_equals_coxphfitter_at_its_defaults(data, stratified):
    frame = pd.DataFrame({"T": data.time, "E": data.event, "x": data.indicator()})
    if stratified:
        frame["s"] = data.stratum
    fit = CoxPHFitter().fit(frame, "T", "E", strata=["s"] if stratified else None)
    ours = cox_hazard_ratio(data.time, data.event, data.group, reference=data.reference,
                            strata=data.stratum if stratified else None, profile=LIFELINES)
    effect = ours.effects[0]
    assert rel(effect.coef, fit.params_.iloc[0]) < TOL
    assert rel(effect.se, fit.standard_errors_.iloc[0]) < TOL
    assert rel(effect.hazard_ratio, fit.hazard_ratios_.iloc[0]) < TOL
    assert rel(effect.p_value, fit.summary["p"].iloc[0]) < TOL
    assert rel(ours.loglik, fit.log_likelihood_) < TOL
    assert rel(ours.likelihood_ratio.chisq, fit.log_likelihood_ratio_test().test_statistic) < TOL


@pytest.mark.parametrize("stratified", [False, True], ids=["plain", "stratified"])
def test_converged_cox_equals_coxphfitter(data, stratified):
    frame = pd.DataFrame({"T": data.time, "E": data.event, "x": data.indicator()})
    if stratified:
        frame["s"] = data.stratum
    fit = CoxPHFitter().fit(frame, "T", "E", strata=["s"] if stratified else None,
                            fit_options={"precision": 1e-14})
    ours = cox_hazard_ratio(data.time, data.event, data.group, reference=data.reference,
                            strata=data.stratum if stratified else None, profile="r")
    effect = ours.effects[0]
    assert rel(effect.coef, fit.params_.iloc[0]) < 1e-7
    assert rel(effect.se, fit.standard_errors_.iloc[0]) < 1e-7
    assert rel(effect.p_value, fit.summary["p"].iloc[0]) < 1e-7
    assert rel(ours.loglik, fit.log_likelihood_) < 1e-10
    assert rel(ours.likelihood_ratio.chisq, fit.log_likelihood_ratio_test().test_statistic) < 1e-9


def test_rmst_mean_equals_lifelines(data):
    for t, e, kmf, _km in _arms(data):
        for tau in np.quantile(t, [0.3, 0.6, 0.9]):
            ours = rmst(t, e, tau=float(tau), profile=LIFELINES)
            assert rel(ours.estimate, restricted_mean_survival_time(kmf, t=float(tau))) < TOL
