"""Rank-preserving structural failure time model (Robins & Tsiatis 1991), as R ``rpsftm``.

Each subject's observed time ``T`` splits into time off the experimental treatment and
time on it, ``T = T_off + T_on``.  The model says that, had the subject never been
treated, their time would have been the counterfactual

    U(psi) = T_off + exp(psi) * T_on,

the same ``psi`` for everyone (the "common treatment effect"); ``exp(-psi)`` is the
acceleration factor of treatment.  Randomisation makes ``U`` independent of the arm, so
``psi`` is g-estimated as the value at which a test of ``U`` between the arms has
statistic zero: the log-rank test by default (R ``rpsftm(test = survdiff)``), or the
Wald test of a Cox model; stratified when strata are given.

Re-censoring.  Censoring is informative on the ``U`` scale, because a subject's
potential follow-up is stretched or shrunk by their treatment.  With the administrative
censoring time ``C`` of each subject (cut-off date minus randomisation), ``U`` is
re-censored at ``C* = C * min(1, exp(psi))``: ``U`` above ``C*`` becomes ``C*``,
censored (an event is kept when ``U <= C*``).  As R ``rpsftm(autoswitch = TRUE)``,
re-censoring is not applied in an arm whose subjects are all on treatment for their whole
time or all off it: their ``U`` cannot depend on a switching decision.

The statistic is a step function of ``psi`` (the log-rank test depends on the ranks of
``U`` only), so its "roots" are the points where it changes sign.  They are found by a
scan of the search interval on a grid followed by bisection to ``tolerance``; every sign
change is reported, and more than one is a warning.  A level crossed and re-crossed
within one scan step (``grid_step``, 0.02 by default) is not seen.  The confidence
interval is the set of ``psi`` the test does not reject (test inversion): the outermost
points where the statistic crosses ``+z`` and ``-z``.  At a jump, the side of the jump
where the statistic is nearer its target is taken (the counterfactual data differ
between the two sides, and so does the hazard ratio computed from them).

Examples
--------
>>> import numpy as np
>>> t = np.array([5.0, 8, 12, 20, 3, 6, 9, 15, 18, 25])
>>> e = np.array([1, 1, 1, 0, 1, 1, 1, 1, 0, 1])
>>> exp = np.array([True] * 5 + [False] * 5)
>>> on = np.where(exp, t, np.array([0, 0, 0, 0, 0, 0, 4, 10, 10, 15.0]))
>>> fit = g_estimate(t, e, exp, on, censor_time=np.full(10, 30.0), test="logrank")
>>> fit.not_estimable_reason is None, len(fit.roots) >= 1
(True, True)
>>> u, d = counterfactual_times(t, e, on, 0.0)
>>> bool((u == t).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.stats.distributions import normal_quantile

#: The tests ``psi`` can be g-estimated with.
TESTS = ("logrank", "cox")

#: Default search interval for ``psi`` and scan step.
DEFAULT_INTERVAL = (-3.0, 3.0)
DEFAULT_GRID_STEP = 0.02


@dataclass(frozen=True)
class RpsftmFit:
    """The g-estimate of ``psi`` with its test-inversion interval.

    Attributes
    ----------
    psi : float or None
        The root of the test statistic of ``U(psi)`` between the arms (the root nearest
        0 when there are several), ``None`` when there is no root in the interval.
    psi_ci : tuple of (float or None)
        Test-inversion interval at ``conf_level``; an end is ``None`` when the statistic
        does not reach the critical value inside the search interval.
    roots : tuple of float
        Every sign change of the statistic in the interval.
    z_at_zero : float or None
        The signed statistic at ``psi = 0``: the intention-to-treat test.
    test, recensor, interval, tolerance, conf_level
        The choices the estimate was made with.
    warnings : tuple of str
        Several roots, a non-monotone statistic, an interval end not reached.
    not_estimable_reason : str or None
        Why ``psi`` is ``None``.
    """

    psi: float | None
    psi_ci: tuple[float | None, float | None]
    roots: tuple[float, ...]
    z_at_zero: float | None
    test: str
    recensor: bool
    interval: tuple[float, float]
    tolerance: float
    conf_level: float
    warnings: tuple[str, ...] = ()
    not_estimable_reason: str | None = None

    @property
    def acceleration_factor(self) -> float | None:
        """``exp(-psi)``: how much treatment stretches survival time."""
        return None if self.psi is None else float(np.exp(-self.psi))


def counterfactual_times(time, event, time_on, psi: float, censor_time=None,
                         recensor=None) -> tuple[np.ndarray, np.ndarray]:
    """Counterfactual untreated times ``U = T - T_on + exp(psi) T_on``, re-censored.

    Parameters
    ----------
    time, event : array_like
        Observed times and event indicators (1 = event).
    time_on : array_like
        Time on treatment within ``time`` (0 <= time_on <= time).
    psi : float
        The structural parameter.
    censor_time : array_like, optional
        Administrative censoring time of each subject; without it nothing is re-censored.
    recensor : array_like of bool, optional
        Subjects to re-censor (default: all, when ``censor_time`` is given).

    Returns
    -------
    (ndarray, ndarray)
        ``U`` and its event indicator (``int``).

    Examples
    --------
    >>> u, d = counterfactual_times([10.0, 10.0], [1, 1], [10.0, 4.0], np.log(0.5),
    ...                             censor_time=[12.0, 12.0])
    >>> u.tolist(), d.tolist()
    ([5.0, 6.0], [1, 0])
    """
    t = np.asarray(time, dtype=float)
    on = np.asarray(time_on, dtype=float)
    d = np.asarray(event).astype(int)
    u = (t - on) + np.exp(psi) * on
    if censor_time is None:
        return u, d
    c_star = np.asarray(censor_time, dtype=float) * min(1.0, float(np.exp(psi)))
    mask = np.ones(t.size, bool) if recensor is None else np.asarray(recensor, bool)
    cut = mask & (u > c_star)
    return np.where(cut, c_star, u), np.where(cut, 0, d)


def _check(time, event, experimental, time_on, censor_time):
    t = np.asarray(time, dtype=float)
    e = np.asarray(event)
    x = np.asarray(experimental, dtype=bool)
    on = np.asarray(time_on, dtype=float)
    n = t.size
    for name, a in (("event", e), ("experimental", x), ("time_on", on)):
        if a.shape != (n,):
            raise SurvivalDataError(f"{name} has {a.size} values, time {n}")
    if not (np.isfinite(t).all() and (t >= 0).all()):
        raise SurvivalDataError("times must be finite and >= 0")
    if not np.isin(e, (0, 1)).all():
        raise SurvivalDataError("event must be 0 or 1")
    if not (np.isfinite(on).all() and (on >= 0).all() and (on <= t + 1e-9 * (1 + t)).all()):
        raise SurvivalDataError("time on treatment must lie between 0 and the observed time")
    c = None
    if censor_time is not None:
        c = np.asarray(censor_time, dtype=float)
        if c.shape != (n,) or not (np.isfinite(c).all() and (c >= 0).all()):
            raise SurvivalDataError("censor_time must be one finite time >= 0 per subject")
        if (t > c * (1 + 1e-9) + 1e-9).any():
            raise SurvivalDataError("an observed time is after its administrative censoring "
                                    "time")
    return t, e.astype(int), x, np.minimum(on, t), c


def recensor_mask(experimental, time, time_on) -> np.ndarray:
    """Subjects to re-censor, as R ``rpsftm(autoswitch = TRUE)``.

    An arm whose subjects are all on treatment for their whole time, or all off it, is
    left alone; every subject of the other arm(s) is re-censored.

    Examples
    --------
    >>> recensor_mask([True, True, False, False], [5.0, 6, 7, 8], [5.0, 6, 0, 3]).tolist()
    [False, False, True, True]
    """
    x = np.asarray(experimental, bool)
    t = np.asarray(time, float)
    on = np.asarray(time_on, float)
    mask = np.zeros(x.size, bool)
    for arm in (True, False):
        m = x == arm
        rx_all_on = bool(np.all(on[m] >= t[m]))
        rx_all_off = bool(np.all(on[m] <= 0))
        if not (rx_all_on or rx_all_off):
            mask[m] = True
    return mask


class _Statistic:
    """The signed test statistic of ``U(psi)`` between the arms (experimental minus
    expected, over its SE; or the Cox Wald z of the experimental arm)."""

    def __init__(self, t, e, x, on, c, mask, strata, test, ties):
        self.t, self.e, self.x, self.on, self.c, self.mask = t, e, x, on, c, mask
        self.strata, self.test, self.ties = strata, test, ties
        self.group = np.where(x, "experimental", "control")

    def __call__(self, psi: float) -> float:
        from netter.stats.cox import cox_hazard_ratio
        from netter.stats.logrank import logrank_test

        u, d = counterfactual_times(self.t, self.e, self.on, psi, self.c, self.mask)
        if self.test == "logrank":
            res = logrank_test(u, d, self.group, strata=self.strata)
            if res.chisq is None or len(res.groups) != 2:
                return float("nan")
            k = res.groups.index("experimental")
            diff = res.observed[k] - res.expected[k]
            var = res.variance[k][k]
            return float(diff / np.sqrt(var)) if var > 0 else float("nan")
        model = cox_hazard_ratio(u, d, self.group, reference="control", strata=self.strata,
                                 profile=_ties_profile(self.ties))
        effect = model.effects[0] if model.effects else None
        if effect is None or effect.z is None:
            return float("nan")
        return float(effect.z)


def _ties_profile(ties: str):
    from netter.profiles import get_profile

    return get_profile("r", options={"ties": ties})


def _crossings(grid: np.ndarray, values: np.ndarray, target: float) -> list[int]:
    """Indices i where ``values - target`` changes sign between grid[i] and grid[i+1]."""
    out = []
    v = values - target
    finite = np.flatnonzero(np.isfinite(v))
    for a, b in zip(finite[:-1], finite[1:], strict=True):
        if v[a] == 0:
            out.append(int(a))
        elif v[a] * v[b] < 0:
            out.append(int(a))
    if finite.size and v[finite[-1]] == 0:
        out.append(int(finite[-1]))
    return out


def _bisect(f, lo: float, hi: float, flo: float, target: float, tolerance: float) -> float:
    """The sign change of ``f - target`` in [lo, hi] to ``tolerance``.

    The statistic is a step function, so the sign change is usually a jump; the two
    ends of the final bracket lie on either side of it, and the counterfactual data (and
    so the hazard ratio) differ between them.  The end where the statistic is nearer the
    target is returned, which makes the estimate a definite point of one side.
    """
    if flo == target:
        return lo
    fhi = f(hi)
    while hi - lo > tolerance:
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if not np.isfinite(fm):
            break
        if fm == target:
            return mid
        if (fm - target) * (flo - target) < 0:
            hi, fhi = mid, fm
        else:
            lo, flo = mid, fm
    if np.isfinite(fhi) and abs(fhi - target) < abs(flo - target):
        return hi
    return lo


def g_estimate(time, event, experimental, time_on, *, censor_time=None, strata=None,
               test: str = "logrank", ties: str = "efron", recensor: bool = True,
               interval: tuple[float, float] = DEFAULT_INTERVAL,
               grid_step: float = DEFAULT_GRID_STEP, tolerance: float = 1e-10,
               conf_level: float = 0.95, interval_wanted: bool = True) -> RpsftmFit:
    """G-estimate ``psi`` of the RPSFTM, with its test-inversion interval.

    Parameters
    ----------
    time, event : array_like
        Observed times and event indicators of all subjects (both arms).
    experimental : array_like of bool
        True for subjects randomised to the experimental arm.
    time_on : array_like
        Time on the experimental treatment within ``time`` (all of it for the
        experimental arm by default; from the switch on for control switchers).
    censor_time : array_like, optional
        Administrative censoring times; required when ``recensor`` is true.
    strata : array_like or list of array_like, optional
        Strata of the test.
    test : {"logrank", "cox"}
        The randomisation test of ``U`` between arms.
    ties : {"efron", "breslow"}
        Ties of the Cox test (unused by the log-rank test).
    recensor : bool
        Re-censor ``U`` (see the module notes).
    interval : (float, float)
        Search interval for ``psi``.
    grid_step : float
        Scan step over the interval.
    tolerance : float
        Bisection tolerance on ``psi``.
    conf_level : float
        Level of the test-inversion interval.
    interval_wanted : bool
        Solve for the interval's ends too (a bootstrap needs the estimate only).

    Returns
    -------
    RpsftmFit

    Examples
    --------
    >>> t = np.array([4.0, 7, 9, 12, 3, 5, 6, 8])
    >>> fit = g_estimate(t, [1] * 8, [True] * 4 + [False] * 4, np.r_[t[:4], [0, 0, 2, 3]],
    ...                  recensor=False)
    >>> fit.test, fit.recensor, fit.psi is not None
    ('logrank', False, True)
    """
    if test not in TESTS:
        raise ValueError(f"test must be one of {', '.join(TESTS)}, not {test!r}")
    if recensor and censor_time is None:
        raise SurvivalDataError("re-censoring needs each subject's administrative censoring "
                                "time")
    t, e, x, on, c = _check(time, event, experimental, time_on, censor_time)
    lo, hi = float(interval[0]), float(interval[1])
    if not lo < hi:
        raise ValueError(f"the search interval must have lo < hi, not {interval}")
    mask = recensor_mask(x, t, on) if recensor else np.zeros(t.size, bool)
    f = _Statistic(t, e, x, on, c if recensor else None, mask, strata, test, ties)
    base = dict(test=test, recensor=bool(recensor), interval=(lo, hi), tolerance=tolerance,
                conf_level=conf_level)
    z0 = f(0.0)
    z0_out = float(z0) if np.isfinite(z0) else None
    if not (x.any() and (~x).any()):
        return RpsftmFit(None, (None, None), (), z0_out, **base,
                         not_estimable_reason="both arms are needed")
    n_steps = max(int(np.ceil((hi - lo) / grid_step)), 2)
    grid = np.linspace(lo, hi, n_steps + 1)
    values = np.array([f(p) for p in grid])
    if not np.isfinite(values).any():
        return RpsftmFit(None, (None, None), (), z0_out, **base,
                         not_estimable_reason="the test statistic is not defined on the "
                         "search interval (no events?)")

    def solve(target: float) -> list[float]:
        return [_bisect(f, grid[i], grid[min(i + 1, grid.size - 1)], values[i], target,
                        tolerance) for i in _crossings(grid, values, target)]

    roots = solve(0.0)
    z = normal_quantile(0.5 + conf_level / 2)
    upper_cross = solve(z) if interval_wanted else []  # Z decreases: +z at the lower end
    lower_cross = solve(-z) if interval_wanted else []
    warnings = []
    # A step function always wiggles a little; what matters is whether it crosses a
    # level it is solved for more than once.
    for name, found in ((f"+{z:.3f}", upper_cross), (f"-{z:.3f}", lower_cross)):
        if len(found) > 1:
            warnings.append(f"the estimating function is not monotone: it crosses {name} "
                            f"{len(found)} times; the outermost crossing is the limit")
    if len(roots) > 1:
        warnings.append(f"the estimating function has {len(roots)} roots in the search "
                        f"interval ({', '.join(f'{r:.4f}' for r in roots)}); the one "
                        "nearest 0 is reported")
    if not roots:
        return RpsftmFit(None, (None, None), (), z0_out, **base, warnings=tuple(warnings),
                         not_estimable_reason=f"no root of the {test} statistic in the "
                         f"search interval [{lo:g}, {hi:g}]")
    psi = float(min(roots, key=abs))
    ends = [float(v) for v in upper_cross + lower_cross]
    ci_lo = min(ends) if ends else None
    ci_hi = max(ends) if ends else None
    if ci_lo is not None and ci_lo > psi:
        ci_lo = None
    if ci_hi is not None and ci_hi < psi:
        ci_hi = None
    for end, name in ((ci_lo, "lower"), (ci_hi, "upper")):
        if end is None and interval_wanted:
            warnings.append(f"the {name} confidence limit of psi is outside the search "
                            f"interval [{lo:g}, {hi:g}]")
    return RpsftmFit(float(psi), (ci_lo, ci_hi), tuple(float(r) for r in roots), z0_out,
                     **base, warnings=tuple(warnings))


def preserved_p_interval(log_hr: float, z_itt: float, conf_level: float = 0.95
                         ) -> tuple[float, float] | None:
    """Hazard-ratio interval whose Wald p-value equals the intention-to-treat test's.

    The standard error is set to ``|log HR| / |z_ITT|`` (Latimer's approach: the
    adjustment must not create evidence the randomised comparison does not have).

    Examples
    --------
    >>> lo, hi = preserved_p_interval(np.log(0.5), 1.96)
    >>> round(lo, 4), round(hi, 4)
    (0.25, 1.0)
    """
    if z_itt is None or not np.isfinite(z_itt) or z_itt == 0 or not np.isfinite(log_hr):
        return None
    se = abs(log_hr) / abs(z_itt)
    z = normal_quantile(0.5 + conf_level / 2)
    return float(np.exp(log_hr - z * se)), float(np.exp(log_hr + z * se))
