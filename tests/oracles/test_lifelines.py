"""netter against lifelines, live, through netter's ``lifelines`` profile.

``get_profile("lifelines")`` sets netter's options to lifelines' defaults (log-log
"exponential Greenwood" CI, Efron ties); with it, lifelines' ``KaplanMeierFitter``
(survival, CI, numbers at risk of the event table, median and its CI),
``CoxPHFitter`` (coefficient, SE, Wald p, likelihood-ratio test) and
``restricted_mean_survival_time`` (the mean) agree with netter.  lifelines' Cox fit
stops on its own criteria (step below ``precision``, relative log-likelihood change
below 1e-9), so its estimates agree to 1e-7 with ``precision=1e-14`` and not better;
at its default precision (1e-7) the coefficient of the synthetic trial is off by 4e-5.
The RMST "variance" lifelines returns is another quantity (``test_library_bugs``).
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
        inside = (km.survival > 0) & (km.survival < 1)
        assert rel(ci[inside, 0], km.ci_lower[inside]) < TOL
        assert rel(ci[inside, 1], km.ci_upper[inside]) < TOL


def test_median_equals_kaplanmeierfitter(data):
    for _t, _e, kmf, km in _arms(data):
        ours = km_quantile(km, 0.5)
        if not np.any(np.abs(km.survival - 0.5) < 1e-8):  # no flat segment at 1/2
            assert ours.estimate == kmf.median_survival_time_
        lower, upper = median_survival_times(kmf.confidence_interval_).to_numpy()[0]
        assert ours.ci_lower == lower
        if ours.ci_upper is None and km.survival[-1] == 0.0:
            assert upper == km.time[-1]  # lifelines' band collapses to 0 where S = 0
        else:
            assert (ours.ci_upper is None and upper == np.inf) or ours.ci_upper == upper


@pytest.mark.parametrize("stratified", [False, True], ids=["plain", "stratified"])
def test_cox_equals_coxphfitter(data, stratified):
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
