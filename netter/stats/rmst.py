"""Restricted mean survival time (RMST) and the difference between two arms, as R ``survival``.

The RMST up to ``tau`` is the area under the Kaplan-Meier curve on [0, tau]; its
standard error is R's (``survmean``, used by ``print(fit, rmean=tau)`` and
``summary(fit, rmean=tau)$table``)::

    se^2 = sum over event times t_j <= tau of A_j^2 d_j / (n_j (n_j - d_j))

where A_j is the area under the curve from t_j to tau (terms with n_j = d_j are 0).
No n/(n-1) correction is applied, as in R.

``tau`` past an arm's last observation: as R, the curve is carried forward at its last
value up to ``tau`` (exact if it dropped to 0, an extrapolation if it ends censored);
:attr:`Rmst.extended` flags it.  Choose ``tau`` no later than the shortest arm's last
follow-up to avoid extrapolating.

Examples
--------
>>> r = rmst([1, 2, 3, 4], [1, 1, 1, 1], tau=3, profile="r")
>>> r.estimate, r.extended
(2.25, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netter.profiles import Profile
from netter.stats.distributions import normal_quantile, normal_sf
from netter.stats.km import (
    check_survival_data,
    greenwood_terms,
    kaplan_meier,
    resolve_profile,
)


@dataclass(frozen=True)
class Rmst:
    """Restricted mean survival time of one curve.

    Attributes
    ----------
    tau : float
        Restriction time.
    estimate, se : float or None
        RMST and its standard error (R ``rmean``, ``se(rmean)``); ``None`` for no data.
    ci_lower, ci_upper : float or None
        Normal (plain) CI, ``estimate -+ z se`` at the profile's level.
    extended : bool
        ``tau`` lies after the last observation and the curve was carried forward.
    profile : str
        Name of the profile used.
    not_estimable_reason : str or None
        Why the estimate is ``None`` (profile ``landmark_rule="ne"``: ``tau`` after a
        censored end of the curve).
    """

    tau: float
    estimate: float | None
    se: float | None
    ci_lower: float | None
    ci_upper: float | None
    extended: bool
    profile: str
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class RmstDifference:
    """Difference of restricted means, ``arm`` minus ``reference``.

    Attributes
    ----------
    tau : float
        Restriction time (common to both arms).
    arm, reference : str
        Group labels.
    estimate, se : float or None
        Difference and ``sqrt(se_arm^2 + se_reference^2)``.
    ci_lower, ci_upper : float or None
        Normal CI at the profile's level.
    p_value : float or None
        Two-sided Wald p-value; ``None`` when ``se`` is 0.
    arm_rmst, reference_rmst : Rmst
        The two per-arm results the difference is made of.
    profile : str
        Name of the profile used.
    """

    tau: float
    arm: str
    reference: str
    estimate: float | None
    se: float | None
    ci_lower: float | None
    ci_upper: float | None
    p_value: float | None
    arm_rmst: Rmst
    reference_rmst: Rmst
    profile: str


#: Values of the profile option ``rmst_variance``.
RMST_VARIANCES = ("greenwood", "lifelines")


def _z(conf_level: float) -> float:
    return float(normal_quantile(1.0 - (1.0 - conf_level) / 2.0))


def _check_tau(tau: float) -> float:
    tau = float(tau)
    if not np.isfinite(tau) or tau <= 0:
        raise ValueError(f"tau must be finite and > 0, got {tau!r}")
    return tau


def rmst(time, event, *, tau: float, profile: Profile | str) -> Rmst:
    """Restricted mean survival time up to ``tau`` with R's standard error.

    Equal to R ``summary(survfit(Surv(time, event) ~ 1), rmean=tau)$table`` columns
    ``rmean`` and ``se(rmean)`` (also shown by ``print(fit, rmean=tau)``); the CI
    is the normal one, ``estimate -+ z se``.  ``tau`` before the first observation
    gives ``tau`` with SE 0 (R's ``survmean``; ``print`` refuses such a ``tau``).

    Profile options: ``rmst_variance`` (``"greenwood"``: R's SE of the estimate;
    ``"lifelines"``: the square root of lifelines' variance, that of min(T, tau)
    under the curve, E[min(T, tau)^2] - RMST^2, integrated exactly where lifelines
    uses ``scipy.integrate.quad``); ``landmark_rule="ne"`` makes a ``tau`` after a
    censored end not estimable (SAS, survRM2) instead of carrying the curve.

    Parameters
    ----------
    time, event : array_like
        Follow-up times (>= 0) and 1 = event / 0 = censored.
    tau : float
        Restriction time, > 0; see the module notes when it exceeds the last time.
    profile : Profile or str
        Method profile (confidence level, ``rmst_variance``, ``landmark_rule``).

    Returns
    -------
    Rmst
        With ``None`` estimates for empty input.

    Examples
    --------
    >>> r = rmst([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], tau=4, profile="r")
    >>> round(r.estimate, 6), round(r.se, 6)
    (2.7, 0.506952)
    >>> round(rmst([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], tau=4, profile="lifelines").se, 6)
    1.1
    >>> rmst([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], tau=5, profile="sas").estimate is None
    True
    """
    tau = _check_tau(tau)
    prof = resolve_profile(profile)
    if prof.rmst_variance not in RMST_VARIANCES:
        raise ValueError(f"rmst_variance must be one of {RMST_VARIANCES}, "
                         f"got {prof.rmst_variance!r}")
    km = kaplan_meier(*check_survival_data(time, event), profile=prof)
    if km.n == 0:
        return Rmst(tau, None, None, None, None, False, prof.name, "no subjects")
    extended = bool(tau > km.time[-1])
    if extended and km.survival[-1] > 0 and prof.landmark_rule == "ne":
        return Rmst(tau, None, None, None, None, True, prof.name,
                    f"tau ({tau:.6g}) after the last observation ({float(km.time[-1]):.6g}), "
                    "where the curve ends censored above 0 (landmark_rule=ne)")
    keep = km.time <= tau
    knots = np.concatenate(([0.0], km.time[keep], [tau]))
    level = np.concatenate(([1.0], km.survival[keep]))
    area = np.diff(knots) * level
    estimate = float(np.sum(area))
    if prof.rmst_variance == "lifelines":
        # E[min(T, tau)^2] = 2 int_0^tau t S(t) dt, exactly over the steps
        second = float(np.sum(level * (knots[1:] ** 2 - knots[:-1] ** 2)))
        with np.errstate(over="ignore", invalid="ignore"):
            se = float(np.sqrt(max(second - estimate**2, 0.0)))
    else:
        tail_area = np.cumsum(area[::-1])[::-1][1:]  # area from each kept time to tau
        terms = greenwood_terms(km.n_risk[keep], km.n_event[keep])
        terms[~np.isfinite(terms)] = 0.0  # n = d: R sets the term to 0 (the area after is 0)
        with np.errstate(over="ignore", invalid="ignore"):
            se = float(np.sqrt(np.sum(tail_area**2 * terms)))
    z = _z(prof.conf_level)
    if not math.isfinite(se):  # areas beyond ~1e154: the variance overflows
        return Rmst(tau, estimate, None, None, None, extended, prof.name)
    return Rmst(tau, estimate, se, estimate - z * se, estimate + z * se, extended, prof.name)


def rmst_difference(
    time,
    event,
    group,
    *,
    tau: float,
    reference: str,
    profile: Profile | str,
    arm: str | None = None,
) -> RmstDifference:
    """Difference in RMST between two arms (``arm`` minus ``reference``) up to ``tau``.

    Each arm's RMST and SE are those of :func:`rmst`; the difference has SE
    ``sqrt(se_arm^2 + se_ref^2)``, a normal CI and a two-sided p-value
    ``2 * norm.sf(|estimate| / se)`` (``None`` when ``se`` is 0).

    Parameters
    ----------
    time, event : array_like
        Follow-up times and 1 = event / 0 = censored.
    group : array_like
        Arm label of each subject (compared as strings).
    tau : float
        Restriction time, common to both arms.
    reference : str
        Label of the reference arm.
    profile : Profile or str
        Method profile (confidence level).
    arm : str, optional
        The other arm; required when ``group`` holds more than two labels.

    Returns
    -------
    RmstDifference

    Examples
    --------
    >>> d = rmst_difference([1, 2, 3, 2, 4, 6], [1, 1, 1, 1, 1, 0], ["a"] * 3 + ["b"] * 3,
    ...                     tau=3, reference="a", profile="r")
    >>> d.arm, round(d.estimate, 6)
    ('b', 0.666667)
    """
    tau = _check_tau(tau)
    prof = resolve_profile(profile)
    t, e = check_survival_data(time, event)
    labels = np.asarray(group).astype(str)
    if labels.shape != t.shape:
        raise ValueError(f"group has {labels.size} values but time has {t.size}")
    reference = str(reference)
    others = [g for g in np.unique(labels).tolist() if g != reference]
    if reference not in labels:
        raise ValueError(f"reference arm {reference!r} not found in group")
    if arm is None:
        if len(others) != 1:
            raise ValueError(f"group must hold exactly one arm besides {reference!r}: {others}")
        arm = others[0]
    arm = str(arm)
    if arm not in others:
        raise ValueError(f"arm {arm!r} not found in group (or equal to the reference)")
    a, r = (rmst(t[labels == g], e[labels == g], tau=tau, profile=prof) for g in (arm, reference))
    if a.estimate is None or r.estimate is None or a.se is None or r.se is None:
        return RmstDifference(tau, arm, reference, None, None, None, None, None, a, r,
                              prof.name)
    estimate = a.estimate - r.estimate
    se = float(np.sqrt(a.se**2 + r.se**2))
    z = _z(prof.conf_level)
    p_value = float(2.0 * normal_sf(abs(estimate) / se)) if se > 0 else None
    return RmstDifference(
        tau, arm, reference, estimate, se, estimate - z * se, estimate + z * se, p_value, a, r,
        prof.name,
    )
