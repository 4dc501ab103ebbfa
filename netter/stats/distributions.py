"""The few distribution functions netter's estimators need, from ``scipy.special``.

``scipy.stats`` costs about a second to import; the normal quantile and tail and the
chi-square tail are the same ``scipy.special`` functions that ``scipy.stats.norm`` and
``scipy.stats.chi2`` call, at a fraction of the import time (a CLI process imports them).

Examples
--------
>>> from scipy import stats
>>> float(normal_quantile(0.975)) == float(stats.norm.ppf(0.975))
True
>>> float(normal_sf(1.5)) == float(stats.norm.sf(1.5))
True
>>> float(chi2_sf(3.2, 2)) == float(stats.chi2.sf(3.2, 2))
True
"""

from __future__ import annotations

from scipy.special import chdtrc, ndtr, ndtri


def normal_quantile(p):
    """The standard normal quantile (``scipy.stats.norm.ppf``; R ``qnorm``)."""
    return ndtri(p)


def normal_sf(x):
    """The standard normal upper tail ``P(Z > x)`` (``scipy.stats.norm.sf``)."""
    return ndtr(-x)


def chi2_sf(x, df):
    """The chi-square upper tail ``P(X > x)`` on ``df`` degrees of freedom
    (``scipy.stats.chi2.sf``; R ``pchisq(x, df, lower.tail = FALSE)``)."""
    return chdtrc(df, x)
