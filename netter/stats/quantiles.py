"""Quantiles of a Kaplan-Meier curve with Brookmeyer-Crowley CIs, equal to R ``quantile.survfit``.

The ``q`` quantile is the first time the curve falls to ``1 - q`` or below; where it
sits at exactly ``1 - q`` (within R's tolerance ``sqrt(.Machine$double.eps)``) over a
flat segment, the midpoint of that segment (profile ``quantile_rule="midpoint"``;
``"sas"`` and ``"first"``: see :func:`km_quantile`).  The
CI applies the same rule to the pointwise band of the curve's transform (the
inverted test of Brookmeyer & Crowley): the lower band gives the lower limit, the
upper band the upper limit.  Not reached = ``None``.

The rule is R's ``quantile.survfit`` step for step.  It differs from the median in
``print(fit)`` (R's ``survmean``) in two known situations, both in the reference data:

* the curve stays at exactly ``1 - q`` up to a censored last observation:
  ``quantile`` takes the midpoint of that last segment, ``print`` its start;
* the upper band, once below ``1 - q``, rises again between event times (the log
  band can when few remain at risk): ``quantile`` sorts the band values before
  searching and may report a later time than the first crossing ``print`` reports
  (R ``aml``, log CI: median upper limit 48 by ``quantile``, 45 by ``print``).

Examples
--------
>>> from netter.stats.km import kaplan_meier
>>> km_quantile(kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], profile="r")).estimate
2.5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.profiles import Profile
from netter.stats.km import KaplanMeier, check_survival_data, kaplan_meier

#: R's ``quantile.survfit`` tolerance, ``sqrt(.Machine$double.eps)``.
TOLERANCE = float(np.sqrt(np.finfo(float).eps))


@dataclass(frozen=True)
class Quantile:
    """A quantile of a survival curve and its CI (``None`` = not reached).

    Attributes
    ----------
    q : float
        Probability of an event by the returned time (R ``probs``; 0.5 = median,
        0.25 = first quartile, where S falls to 0.75).
    estimate, ci_lower, ci_upper : float or None
        Time at which the curve, its lower and its upper band reach ``1 - q``.
    profile : str
        Name of the profile that produced the curve.
    """

    q: float
    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    profile: str


def _step_index(knots: np.ndarray, values: np.ndarray, p: float) -> int | None:
    """R ``approx(knots, values, p, method="constant", f=1)``: index or None if outside."""
    if p < knots[0] or p > knots[-1]:
        return None
    return int(values[np.searchsorted(knots, p, side="left")])


def _findq(x: np.ndarray, y: np.ndarray, p: float, rule: str = "midpoint") -> float | None:
    """R ``survival:::findq``: first x where the cumulative y reaches p, midpoint rule.

    ``rule="sas"``: as R, except that a flat segment at exactly ``p`` running to the
    last time gives ``None`` (SAS LIFETEST: no time with S < 1 - q).
    """
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return None
    xmax = x[-1]
    _, first = np.unique(y, return_index=True)  # R duplicated(): keep first occurrences
    keep = np.sort(first)  # np.unique puts a single nan last, like R keeps one NA
    x, y = x[keep], y[keep]
    idx = np.arange(y.size)
    ok = ~np.isnan(y)
    order = np.argsort(y[ok], kind="stable")  # approx() sorts its x values
    knots, positions = y[ok][order], idx[ok][order]
    i1 = _step_index(knots + TOLERANCE, positions, p)
    i2 = _step_index(knots - TOLERANCE, positions, p)
    # midpoints as a/2 + b/2: no overflow near the largest floats
    quant = None if i1 is None or i2 is None else x[i1] / 2 + x[i2] / 2
    if not np.isnan(y[-1]) and abs(p - y[-1]) < TOLERANCE and i1 is not None:
        quant = None if rule == "sas" else x[i1] / 2 + xmax / 2
    return None if quant is None else float(quant)


def _first_at_or_below(x: np.ndarray, surv: np.ndarray, level: float) -> float | None:
    """lifelines ``qth_survival_time``: the first x with S(x) <= level, exact comparison."""
    hit = np.flatnonzero(surv <= level)
    return float(x[hit[0]]) if hit.size else None


def lifelines_survival(km: KaplanMeier) -> np.ndarray:
    """S(t) computed as lifelines does: exp(cumsum(log(n - d) - log(n))).

    Equal to the product-limit S up to rounding; the rule ``"first"`` compares this
    value with ``1 - q`` so that a curve sitting at exactly ``1 - q`` is decided as
    lifelines decides it (e.g. ``exp(log(3/4) + log(2/3))`` is not exactly 0.5).

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4, 5, 6], [1] * 6, profile="lifelines")
    >>> float(km.survival[2]), float(lifelines_survival(km)[2])
    (0.5, 0.5000000000000001)
    >>> km_quantile(km).estimate  # lifelines median_survival_time_; R gives 3.5
    4.0
    """
    n = km.n_risk.astype(float)
    d = km.n_event.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(np.cumsum(np.log(n - d) - np.log(n)))


def km_quantile(km: KaplanMeier, q: float = 0.5) -> Quantile:
    """The ``q`` quantile of a Kaplan-Meier curve with its Brookmeyer-Crowley CI.

    Equal to R ``quantile(fit, probs=q)`` (estimate, ``lower``, ``upper``) with the CI
    transform and level of the curve's profile; see the module notes for the two
    cases where ``print(fit)`` reports another median.  The profile's
    ``quantile_rule`` decides a curve (or band) at exactly ``1 - q`` over a flat
    segment: ``"midpoint"`` (R), ``"sas"`` (R's midpoint, but ``None`` when the
    segment runs to a censored last time: SAS LIFETEST) or ``"first"`` (the first
    time S <= 1 - q, lifelines ``percentile``; S computed as lifelines does, see
    :func:`lifelines_survival`).

    Parameters
    ----------
    km : KaplanMeier
        A curve from :func:`~netter.stats.km.kaplan_meier`.
    q : float
        Probability of an event, strictly between 0 and 1 (0.5 = median).

    Returns
    -------
    Quantile

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], profile="r")
    >>> m = km_quantile(km)
    >>> m.estimate, m.ci_lower, m.ci_upper
    (4.0, 2.0, None)
    >>> km_quantile(km, 0.25).estimate
    2.0
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must lie strictly between 0 and 1, got {q!r}")
    if km.n == 0:
        return Quantile(float(q), None, None, None, km.profile)
    x = np.concatenate(([0.0], km.time))
    rule = km.quantile_rule
    if rule == "first":
        level = 1.0 - q
        est, lower, upper = (
            _first_at_or_below(x, np.concatenate(([1.0], curve)), level)
            for curve in (lifelines_survival(km), km.ci_lower, km.ci_upper))
        return Quantile(float(q), est, lower, upper, km.profile)
    est, lower, upper = (
        _findq(x, np.concatenate(([0.0], 1.0 - curve)), q, rule)
        for curve in (km.survival, km.ci_lower, km.ci_upper)
    )
    return Quantile(float(q), est, lower, upper, km.profile)


def km_quartiles(km: KaplanMeier) -> tuple[Quantile, Quantile, Quantile]:
    """First quartile, median and third quartile (q = 0.25, 0.5, 0.75).

    Equal to R ``quantile(fit)`` (whose default ``probs`` are these three).

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], profile="r")
    >>> [x.estimate for x in km_quartiles(km)]
    [1.5, 2.5, 3.5]
    """
    first, median, third = (km_quantile(km, q) for q in (0.25, 0.5, 0.75))
    return first, median, third


def median_followup(time, event, *, profile: Profile | str) -> Quantile:
    """Median follow-up by the reverse Kaplan-Meier method (censorings are the events).

    Equal to R ``quantile(survfit(Surv(time, 1 - event) ~ 1, conf.type=...,
    conf.int=...), probs=0.5)``.  ``None`` when fewer than half of the subjects are
    censored before the last observation (e.g. no censoring at all).

    Parameters
    ----------
    time, event : array_like
        As for :func:`~netter.stats.km.kaplan_meier` (1 = event, 0 = censored).
    profile : Profile or str
        Method profile (CI transform and level).

    Returns
    -------
    Quantile

    Examples
    --------
    >>> median_followup([1, 2, 3, 4, 5], [1, 0, 0, 1, 0], profile="r").estimate
    4.0
    """
    t, e = check_survival_data(time, event)
    return km_quantile(kaplan_meier(t, 1 - e, profile=profile), 0.5)
