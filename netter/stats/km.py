"""Kaplan-Meier estimator with Greenwood variance and pointwise CIs, equal to R ``survfit``.

Every number here matches R ``survival`` 3.5.3 ``survfit(Surv(time, event) ~ 1,
conf.type=..., conf.int=...)`` and ``summary(fit, times=..., extend=TRUE)``; the
reference values live in ``tests/reference/km/`` (``tests/reference/km.R``).

Conventions
-----------
* The curve has one row per distinct observed time, events and censorings alike;
  ``n_risk`` at ``t`` is ``#{time >= t}`` (R and SAS), so a censoring tied with an
  event time is at risk for that event.
* Where R gives ``NA`` (the log CI at S = 0; the log-log CI at S = 0 or S = 1; the
  standard error of S at S = 0) the arrays hold ``nan``; scalars handed out
  (:class:`Landmark`) hold ``None``.  R's ``std.err`` (Greenwood SE of -log S) is
  ``inf`` where S drops to 0, as in R.

Examples
--------
>>> km = kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1], profile="r")
>>> km.survival.round(4).tolist()
[0.75, 0.5, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError  # defined there; still importable from here
from netter.profiles import Profile, get_profile
from netter.stats.distributions import normal_quantile

CONF_TYPES = ("log", "log-log", "plain")
QUANTILE_RULES = ("midpoint", "sas", "first")
LANDMARK_RULES = ("none", "carry", "ne")
CI_EDGES = ("na", "collapse")
AT_RISK_RULES = ("ge", "gt")


def check_survival_data(time, event) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``(time, event)`` and return them as float times and 0/1 integer events.

    Parameters
    ----------
    time : array_like
        Follow-up times, finite and >= 0.
    event : array_like
        1 (or True) for an event, 0 (or False) for a censoring.

    Returns
    -------
    tuple of numpy.ndarray
        ``time`` as float64 and ``event`` as int64, both one-dimensional.

    Raises
    ------
    SurvivalDataError
        A ``ValueError`` (and ``NetterError``) naming the problem.

    Examples
    --------
    >>> t, e = check_survival_data([3, 1.5], [True, False])
    >>> t.tolist(), e.tolist()
    ([3.0, 1.5], [1, 0])
    """
    t = np.asarray(time, dtype=float)
    e_raw = np.asarray(event)
    if t.ndim != 1 or e_raw.ndim != 1:
        raise SurvivalDataError("time and event must be one-dimensional")
    if t.shape != e_raw.shape:
        raise SurvivalDataError(f"time has {t.size} values but event has {e_raw.size}")
    if not np.all(np.isfinite(t)):
        raise SurvivalDataError("time must be finite (no missing or infinite values)")
    if np.any(t < 0):
        raise SurvivalDataError(f"time must be >= 0; smallest is {t.min()!r}")
    try:
        e = e_raw.astype(float)
    except (TypeError, ValueError) as err:
        raise SurvivalDataError("event must be 0/1 or boolean") from err
    if not np.all((e == 0) | (e == 1)):
        raise SurvivalDataError("event must be 0/1 or boolean")
    return t, e.astype(np.int64)


def resolve_profile(profile: Profile | str) -> Profile:
    """Return ``profile`` as a :class:`~netter.profiles.Profile`, checking what it asks for.

    Examples
    --------
    >>> resolve_profile("sas").conf_type
    'log-log'
    """
    prof = get_profile(profile) if isinstance(profile, str) else profile
    if prof.conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {prof.conf_type!r}")
    if prof.variance != "greenwood":
        raise ValueError(f"only the Greenwood variance is implemented, got {prof.variance!r}")
    for option, allowed in (("landmark_rule", LANDMARK_RULES), ("ci_edges", CI_EDGES),
                            ("at_risk", AT_RISK_RULES)):
        if getattr(prof, option) not in allowed:
            raise ValueError(f"{option} must be one of {allowed}, got {getattr(prof, option)!r}")
    if prof.quantile_rule not in QUANTILE_RULES:
        raise ValueError(f"quantile_rule must be one of {QUANTILE_RULES}, "
                         f"got {prof.quantile_rule!r}")
    return prof


def _frozen(values, dtype=float) -> np.ndarray:
    arr = np.array(values, dtype=dtype)
    arr.setflags(write=False)
    return arr


def _none_if_nan(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A Kaplan-Meier curve, one entry per distinct observed time (read-only arrays).

    Attributes
    ----------
    profile : str
        Name of the profile that produced the curve.
    conf_type, conf_level : str, float
        Pointwise CI transform and level (R ``conf.type``, ``conf.int``).
    n : int
        Number of subjects.
    time : numpy.ndarray
        Distinct times, events and censorings (R ``time``).
    n_risk, n_event, n_censor : numpy.ndarray
        ``#{time >= t}``, events and censorings at ``t`` (R ``n.risk``, ``n.event``,
        ``n.censor``).
    survival : numpy.ndarray
        S(t) (R ``surv``).
    std_err : numpy.ndarray
        Greenwood standard error of S(t) (R ``summary(fit)$std.err``); ``nan`` at S = 0.
    std_err_log_surv : numpy.ndarray
        Greenwood standard error of -log S(t) (R ``fit$std.err``); ``inf`` at S = 0.
    ci_lower, ci_upper : numpy.ndarray
        Pointwise CI (R ``lower``, ``upper``); ``nan`` where R gives ``NA`` (profile
        ``ci_edges="na"``), S itself there with ``ci_edges="collapse"`` (lifelines).
    quantile_rule, landmark_rule, at_risk : str
        The profile's options that reading the curve needs (:func:`survival_at`,
        :func:`netter.stats.quantiles.km_quantile`).
    """

    profile: str
    conf_type: str
    conf_level: float
    n: int
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    std_err_log_surv: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    quantile_rule: str = "midpoint"
    landmark_rule: str = "none"
    at_risk: str = "ge"


def pointwise_ci(
    surv: np.ndarray, se_log: np.ndarray, *, conf_type: str, conf_level: float,
    edges: str = "na",
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise CI for S from S and the SE of -log S, as R ``survfit_confint``.

    ``"log"``: S exp(-+z se), upper capped at 1, ``nan`` at S = 0.  ``"log-log"``:
    exp(-exp(log(-log S) -+ z se / log S)), ``nan`` at S = 0 and S = 1.  ``"plain"``:
    S -+ z S se clipped to [0, 1], ``nan`` where S se is undefined (S = 0).
    ``edges="collapse"`` (lifelines) puts S itself in both limits wherever the
    interval is ``nan``: (1, 1) at S = 1 and (0, 0) at S = 0, as lifelines'
    ``confidence_interval_`` (its NaN filled with 1; 0 where S = 0).

    Examples
    --------
    >>> lo, up = pointwise_ci(np.array([0.5]), np.array([0.5]), conf_type="log-log",
    ...                       conf_level=0.95)
    >>> round(float(lo[0]), 6), round(float(up[0]), 6)
    (0.057847, 0.844861)
    """
    z = normal_quantile(1.0 - (1.0 - conf_level) / 2.0)
    lower = np.full(surv.shape, np.nan)
    upper = np.full(surv.shape, np.nan)
    if conf_type == "log":
        ok = surv > 0
        log_s = np.log(surv[ok])
        lower[ok] = np.exp(log_s - z * se_log[ok])
        upper[ok] = np.minimum(np.exp(log_s + z * se_log[ok]), 1.0)
    elif conf_type == "log-log":
        ok = (surv > 0) & (surv < 1)
        log_s = np.log(surv[ok])
        se2 = z * se_log[ok] / log_s
        lower[ok] = np.exp(-np.exp(np.log(-log_s) - se2))
        upper[ok] = np.exp(-np.exp(np.log(-log_s) + se2))
    elif conf_type == "plain":
        ok = np.isfinite(se_log)
        se2 = se_log[ok] * surv[ok] * z
        lower[ok] = np.maximum(surv[ok] - se2, 0.0)
        upper[ok] = np.minimum(surv[ok] + se2, 1.0)
    else:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {conf_type!r}")
    if edges == "collapse":
        undefined = np.isnan(lower) | np.isnan(upper)
        lower[undefined] = surv[undefined]
        upper[undefined] = surv[undefined]
    elif edges != "na":
        raise ValueError(f"edges must be one of {CI_EDGES}, got {edges!r}")
    return lower, upper


def greenwood_terms(n_risk: np.ndarray, n_event: np.ndarray) -> np.ndarray:
    """Greenwood increments d / (n (n - d)); ``inf`` where every subject at risk fails.

    Examples
    --------
    >>> greenwood_terms(np.array([4, 2, 1]), np.array([1, 0, 1])).tolist()
    [0.08333333333333333, 0.0, inf]
    """
    n = n_risk.astype(float)
    d = n_event.astype(float)
    denom = n * (n - d)
    terms = np.divide(d, denom, out=np.zeros_like(n), where=denom > 0)
    terms[(d > 0) & (n == d)] = np.inf
    return terms


def kaplan_meier(time, event, *, profile: Profile | str) -> KaplanMeier:
    """Kaplan-Meier estimate with Greenwood SE and the profile's pointwise CI.

    Equal to R ``survfit(Surv(time, event) ~ 1, conf.type=profile.conf_type,
    conf.int=profile.conf_level)``.

    Parameters
    ----------
    time : array_like
        Follow-up times (>= 0).
    event : array_like
        1/True = event, 0/False = censored.
    profile : Profile or str
        Method profile (``"r"``: log CI; ``"sas"``: log-log CI).

    Returns
    -------
    KaplanMeier
        Empty input gives a curve with no rows.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], profile="sas")
    >>> km.n_risk.tolist(), km.n_censor.tolist()
    ([5, 4, 2, 1], [0, 1, 0, 1])
    >>> round(float(km.ci_lower[0]), 6)
    0.203809
    """
    prof = resolve_profile(profile)
    t, e = check_survival_data(time, event)
    uniq, inverse = np.unique(t, return_inverse=True)
    n_total = np.bincount(inverse, minlength=uniq.size)
    n_event = np.bincount(inverse, weights=e, minlength=uniq.size).astype(np.int64)
    n_risk = (t.size - (np.cumsum(n_total) - n_total)).astype(np.int64)
    surv = np.cumprod((n_risk - n_event) / np.maximum(n_risk, 1))
    se_log = np.sqrt(np.cumsum(greenwood_terms(n_risk, n_event)))
    se = np.full(surv.shape, np.nan)
    np.multiply(surv, se_log, out=se, where=np.isfinite(se_log))
    lower, upper = pointwise_ci(surv, se_log, conf_type=prof.ci_transform,
                                conf_level=prof.conf_level, edges=prof.ci_edges)
    return KaplanMeier(
        profile=prof.name,
        conf_type=prof.conf_type,
        conf_level=prof.conf_level,
        n=int(t.size),
        time=_frozen(uniq),
        n_risk=_frozen(n_risk, np.int64),
        n_event=_frozen(n_event, np.int64),
        n_censor=_frozen(n_total - n_event, np.int64),
        survival=_frozen(surv),
        std_err=_frozen(se),
        std_err_log_surv=_frozen(se_log),
        ci_lower=_frozen(lower),
        ci_upper=_frozen(upper),
        quantile_rule=prof.quantile_rule,
        landmark_rule=prof.landmark_rule,
        at_risk=prof.at_risk,
    )


@dataclass(frozen=True)
class Landmark:
    """The Kaplan-Meier curve read at one time (``None`` = not estimable).

    Attributes
    ----------
    time : float
        Requested time.
    n_risk : int
        ``#{time >= t}`` (profile ``at_risk="ge"``) or ``#{time > t}`` (``"gt"``).
    survival, std_err, ci_lower, ci_upper : float or None
        S(t), its Greenwood SE, and the pointwise CI of the curve's profile.
    profile : str
        Name of the profile that produced the curve.
    carried : bool
        ``t`` lies after a censored end of the curve and the last values were carried
        forward (profile ``landmark_rule="carry"``, R ``extend=TRUE``).
    """

    time: float
    n_risk: int
    survival: float | None
    std_err: float | None
    ci_lower: float | None
    ci_upper: float | None
    profile: str
    carried: bool = False


def n_at_risk(km: KaplanMeier, t: float, rule: str | None = None) -> int:
    """Subjects at risk at ``t``: ``#{time >= t}`` (``"ge"``) or ``#{time > t}`` (``"gt"``).

    ``rule`` defaults to the curve's profile option ``at_risk``.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1], profile="r")
    >>> n_at_risk(km, 2), n_at_risk(km, 2, "gt")
    (3, 1)
    """
    rule = km.at_risk if rule is None else rule
    if rule not in AT_RISK_RULES:
        raise ValueError(f"at_risk must be one of {AT_RISK_RULES}, got {rule!r}")
    row = int(np.searchsorted(km.time, t, side="left" if rule == "ge" else "right"))
    return int(km.n_risk[row]) if row < km.time.size else 0


def _landmark(km: KaplanMeier, t: float) -> Landmark:
    n_risk = n_at_risk(km, t)
    row = int(np.searchsorted(km.time, t, side="right")) - 1
    if km.n == 0:
        return Landmark(t, n_risk, None, None, None, None, km.profile)
    if row < 0:  # before the first observation: R's survfit0 row at time 0
        return Landmark(t, n_risk, 1.0, 0.0, 1.0, 1.0, km.profile)
    values = (km.survival[row], km.std_err[row], km.ci_lower[row], km.ci_upper[row])
    if t > km.time[-1] and km.survival[-1] > 0:  # past a censored end
        if km.landmark_rule != "carry":
            return Landmark(t, n_risk, None, None, None, None, km.profile)
        return Landmark(t, n_risk, *(_none_if_nan(v) for v in values), km.profile, True)
    return Landmark(t, n_risk, *(_none_if_nan(v) for v in values), km.profile)


def survival_at(km: KaplanMeier, times) -> tuple[Landmark, ...]:
    """Read the curve at given times, as R ``summary(fit, times=..., extend=TRUE)``.

    S is right-continuous: a time equal to an event time gets S after that event;
    ``n_risk`` is ``#{time >= t}`` (profile ``at_risk="ge"``, R and SAS) or
    ``#{time > t}`` (``"gt"``, lifelines).  Before the first observed time S = 1 with
    SE 0 and CI (1, 1), whatever the transform (R's ``survfit0`` row at time 0).

    Past the last observed time of a curve that ends censored (S > 0 there), the
    profile's ``landmark_rule`` decides: ``"none"`` and ``"ne"`` give ``None`` for S,
    SE and CI (not estimable, as SAS; R's ``summary`` without ``extend`` drops the
    time), ``"carry"`` carries the last S, SE and CI forward as R ``extend=TRUE``
    (``carried`` is then ``True``); ``n_risk`` is 0.  If S reached 0, S = 0 is
    returned under every rule (SE and CI are ``None``, R's ``NaN``/``NA``).  At every
    other time the values equal R's.

    Parameters
    ----------
    km : KaplanMeier
        A curve from :func:`kaplan_meier`.
    times : float or array_like
        Times (>= 0, finite); results come back in the order given.

    Returns
    -------
    tuple of Landmark

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], profile="r")
    >>> [round(lm.survival, 6) for lm in survival_at(km, [0.5, 2, 4, 5])]
    [1.0, 0.6, 0.3, 0.3]
    >>> survival_at(km, 5)[0].carried, survival_at(km, 2.5)[0].n_risk
    (True, 2)
    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], profile="sas")
    >>> survival_at(km, 5)[0].survival is None
    True
    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], profile="lifelines")
    >>> lm = survival_at(km, 5)[0]
    >>> round(lm.survival, 6), lm.carried, survival_at(km, 2)[0].n_risk
    (0.3, True, 2)
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and >= 0")
    return tuple(_landmark(km, float(x)) for x in t)
