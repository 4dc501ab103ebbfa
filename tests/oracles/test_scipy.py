"""netter against scipy, live: Clopper-Pearson limits and the exact conditional odds ratio.

``scipy.stats.binomtest(x, n).proportion_ci(method="exact")`` is the Clopper-Pearson
interval of :func:`netter.stats.binomial.clopper_pearson`;
``scipy.stats.contingency.odds_ratio(table, kind="conditional")`` is the conditional
maximum likelihood estimate and exact interval of
:func:`netter.stats.contingency.fisher_exact` (R ``fisher.test``), solved by netter to
full precision (``tol=1e-13``; its default reproduces R's ``uniroot`` tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest
from scipy.stats.contingency import odds_ratio

from netter.stats.binomial import clopper_pearson
from netter.stats.contingency import fisher_exact, table_2x2
from tests.oracles.datasets import rel

TOL = 1e-10


def _cases():
    rng = np.random.default_rng(7)
    fixed = [(18, 116, 3, 113), (56, 70, 48, 80), (0, 10, 3, 12), (5, 5, 2, 9), (1, 40, 1, 40),
             (33, 60, 12, 61), (2, 7, 5, 6)]
    drawn = []
    for _ in range(12):
        n1, n2 = (int(v) for v in rng.integers(5, 150, 2))
        drawn.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    return fixed + drawn


CASES = _cases()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_clopper_pearson_equals_binomtest(case, level):
    x, n = case[0], case[1]
    ours = clopper_pearson(x, n, level)
    theirs = binomtest(x, n).proportion_ci(confidence_level=level, method="exact")
    assert rel([ours.lower, ours.upper], [theirs.low, theirs.high]) < TOL


def _none_inf(value, inf):
    return inf if value is None else value


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_conditional_odds_ratio_equals_scipy(case, level):
    table = table_2x2(*case)
    ours = fisher_exact(table, conf_level=level, tol=1e-13)
    theirs = odds_ratio(table, kind="conditional")
    ci = theirs.confidence_interval(confidence_level=level)
    if ours.estimate is None and ours.not_estimable_reason.startswith("odds ratio not id"):
        # an empty row or column: netter says not identifiable (R prints 0), scipy nan
        assert np.isnan(theirs.statistic)
        return
    assert rel(_none_inf(ours.estimate, np.inf), theirs.statistic) < TOL
    assert rel([ours.lower, _none_inf(ours.upper, np.inf)], [ci.low, ci.high]) < TOL
