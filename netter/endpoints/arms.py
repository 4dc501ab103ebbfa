"""Per-arm summaries of one endpoint: counts, quartiles, landmarks, RMST, median follow-up,
the Kaplan-Meier curve itself, the numbers at risk and the counts by event description.

Each function takes the times and event flags of one arm (or of all subjects) and
a :class:`~netter.profiles.Profile`, calls the estimators of :mod:`netter.stats`
and returns the :mod:`netter.results` dataclasses, with ``None`` and a
``not_estimable_reason`` wherever a number cannot be given.

Examples
--------
>>> from netter.profiles import get_profile
>>> arm = summarize_arm("A", [1.0, 2.0, 3.0, 4.0], [True, True, False, True],
...                     profile=get_profile("r"), landmarks=(2.5,), rmst_tau=3.0)
>>> arm.n, arm.events, arm.median.estimate, arm.landmarks[0].survival
(4, 3, 3.0, 0.5)
"""

from __future__ import annotations

import math

import numpy as np

from netter.profiles import Profile
from netter.results import (
    ArmResult,
    AtRisk,
    CurveResult,
    EventCount,
    LandmarkResult,
    QuantileResult,
    RmstResult,
)
from netter.stats.km import KaplanMeier, kaplan_meier, survival_at
from netter.stats.quantiles import TOLERANCE, Quantile, km_quantile, median_followup
from netter.stats.rmst import rmst

#: Probabilities of the quartiles reported per arm (R ``quantile(fit)`` default).
QUARTILES = (0.25, 0.5, 0.75)

NO_SUBJECTS = "no subjects"


def finite(value) -> float | None:
    """``float(value)``, or ``None`` for ``None``, NaN and infinities.

    Examples
    --------
    >>> finite(2), finite(float("nan")), finite(None)
    (2.0, None, None)
    """
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _flat_note(km: KaplanMeier, q: float) -> str | None:
    """Say so when the curve sits exactly at ``1 - q`` over a segment (midpoint rule)."""
    level = 1.0 - q
    flat = np.flatnonzero(np.abs(km.survival - level) < TOLERANCE)
    if flat.size == 0:
        return None
    start = float(km.time[flat[0]])
    later_events = km.time[(km.time > start) & (km.n_event > 0)]
    if later_events.size:
        return (f"S(t) = {level:g} exactly from {start:.6g} to {float(later_events[0]):.6g}: "
                "midpoint of the flat segment (R quantile.survfit; SAS LIFETEST)")
    return (f"S(t) = {level:g} exactly from {start:.6g} to the last observation "
            f"({float(km.time[-1]):.6g}, censored): midpoint of that segment as R "
            "quantile.survfit (print.survfit reports its start)")


def _quantile(quant: Quantile, n: int, note: str | None, not_reached: str) -> QuantileResult:
    reason = None
    if quant.estimate is None:
        reason = NO_SUBJECTS if n == 0 else not_reached
    return QuantileResult(q=float(quant.q), estimate=finite(quant.estimate),
                          ci=(finite(quant.ci_lower), finite(quant.ci_upper)),
                          not_estimable_reason=reason, note=note)


def quantile_result(km: KaplanMeier, q: float) -> QuantileResult:
    """The ``q`` quantile of a curve with its Brookmeyer-Crowley CI (R ``quantile.survfit``).

    Parameters
    ----------
    km : KaplanMeier
    q : float
        Probability of an event (0.5 = median).

    Returns
    -------
    QuantileResult
        ``note`` says when the curve equals ``1 - q`` exactly over a segment.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], profile="r")
    >>> m = quantile_result(km, 0.5)
    >>> m.estimate, m.note
    (3.0, 'S(t) = 0.5 exactly from 2 to the last observation (4, censored): midpoint ...')
    """
    note = _flat_note(km, q) if km.n else None
    return _quantile(km_quantile(km, q), km.n, note,
                     f"not reached: the curve stays above {1.0 - q:g}")


def landmark_results(km: KaplanMeier, times, unit: str = "months"
                     ) -> tuple[LandmarkResult, ...]:
    """The curve read at each landmark time (R ``summary(fit, times=)``).

    After the last observation of a curve that ends censored above 0 the survival is
    ``None`` (R would carry the last value forward).  ``events`` counts the events at
    or before each time (e.g. deaths by two years).

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3], [1, 0, 0], profile="r")
    >>> [(lm.survival, lm.n_risk, lm.carried) for lm in landmark_results(km, (1.5, 4.0))]
    [(0.6666666666666666, 2, None), (0.6666666666666666, 0, True)]
    >>> km = kaplan_meier([1, 2, 3], [1, 0, 0], profile="sas")
    >>> landmark_results(km, (4.0,))[0].survival is None
    True
    """
    if len(times) == 0:
        return ()
    out = []
    for lm in survival_at(km, times):
        reason = None
        if lm.survival is None:
            reason = NO_SUBJECTS if km.n == 0 else (
                f"after the last observation ({float(km.time[-1]):.6g} {unit}), "
                "where the curve ends censored above 0")
        out.append(LandmarkResult(time=lm.time, survival=finite(lm.survival),
                                  se=finite(lm.std_err),
                                  ci=(finite(lm.ci_lower), finite(lm.ci_upper)),
                                  n_risk=lm.n_risk, not_estimable_reason=reason,
                                  events=int(km.n_event[km.time <= lm.time].sum()),
                                  carried=True if lm.carried else None))
    return tuple(out)


def rmst_result(time, event, *, tau: float, profile: Profile) -> RmstResult:
    """RMST up to ``tau`` with R's standard error and a normal CI.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> rmst_result([1, 2, 3, 4], [1, 1, 1, 1], tau=3.0, profile=get_profile("r")).estimate
    2.25
    """
    r = rmst(time, event, tau=tau, profile=profile)
    return RmstResult(tau=r.tau, estimate=finite(r.estimate), se=finite(r.se),
                      ci=(finite(r.ci_lower), finite(r.ci_upper)), extended=r.extended,
                      not_estimable_reason=NO_SUBJECTS if r.estimate is None else None)


def followup_result(time, event, *, profile: Profile) -> QuantileResult:
    """Median follow-up by reverse Kaplan-Meier (censorings as events).

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> followup_result([1, 2, 3, 4, 5], [1, 0, 0, 1, 0], profile=get_profile("r")).estimate
    4.0
    """
    quant = median_followup(time, event, profile=profile)
    return _quantile(quant, len(time), None,
                     "not reached: the reverse Kaplan-Meier curve stays above 0.5")


def curve_result(km: KaplanMeier) -> CurveResult:
    """The curve's rows as R ``survfit`` prints them (``None`` where R gives ``NA``).

    Examples
    --------
    >>> c = curve_result(kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1], profile="r"))
    >>> c.time, c.n_risk, c.survival, c.ci_upper[-1]
    ((1.0, 2.0, 3.0), (4, 3, 1), (0.75, 0.5, 0.0), None)
    """
    return CurveResult(
        time=tuple(float(t) for t in km.time), n_risk=tuple(int(n) for n in km.n_risk),
        n_event=tuple(int(d) for d in km.n_event), n_censor=tuple(int(c) for c in km.n_censor),
        survival=tuple(float(s) for s in km.survival),
        ci_lower=tuple(finite(v) for v in km.ci_lower),
        ci_upper=tuple(finite(v) for v in km.ci_upper),
        conf_type=km.conf_type, conf_level=float(km.conf_level))


def risk_table(time, times, rule: str = "ge") -> tuple[AtRisk, ...]:
    """Subjects at risk at each of ``times``: ``#{time >= t}`` (``rule="ge"``, the R / SAS
    rule) or ``#{time > t}`` (``"gt"``, lifelines ``add_at_risk_counts``; the profile
    option ``at_risk``).

    Examples
    --------
    >>> [(r.time, r.n_risk) for r in risk_table([1.0, 4.0, 4.0, 9.5], (0.0, 4.0, 8.0))]
    [(0.0, 4), (4.0, 3), (8.0, 1)]
    >>> [r.n_risk for r in risk_table([1.0, 4.0, 4.0, 9.5], (0.0, 4.0, 8.0), "gt")]
    [4, 1, 1]
    """
    time = np.asarray(time, dtype=float)
    if rule not in ("ge", "gt"):
        raise ValueError(f"at_risk must be 'ge' or 'gt', got {rule!r}")
    count = (lambda t: np.sum(time >= t)) if rule == "ge" else (lambda t: np.sum(time > t))
    return tuple(AtRisk(time=float(t), n_risk=int(count(t))) for t in times)


def count_descriptions(descriptions, keep, missing: str) -> tuple[EventCount, ...]:
    """How many of the kept subjects carry each description (sorted by description).

    Parameters
    ----------
    descriptions : array_like of str or None
        ADTTE ``EVNTDESC`` (or ``CNSDTDSC``) of each subject; blank or missing
        counts as ``missing``.
    keep : array_like of bool
        Subjects to count (e.g. the events).
    missing : str
        Description of subjects without one.

    Examples
    --------
    >>> counts = count_descriptions(["Death", "Disease progression", None, "Death"],
    ...                             [True, True, True, False], "not described")
    >>> [(c.description, c.count) for c in counts]
    [('Death', 1), ('Disease progression', 1), ('not described', 1)]
    """
    values = [str(d).strip() if isinstance(d, str) and str(d).strip() else missing
              for d, k in zip(descriptions, keep, strict=True) if k]
    return tuple(EventCount(d, values.count(d)) for d in sorted(set(values)))


def summarize_arm(arm: str, time, event, *, profile: Profile, landmarks=(),
                  rmst_tau: float | None = None, risk_times=(),
                  event_types=None, censor_types=None, unit: str = "months") -> ArmResult:
    """All per-arm numbers of one endpoint.

    Parameters
    ----------
    arm : str
        Arm label.
    time, event : array_like
        Times (in ``unit``) and event flags of the arm's subjects.
    profile : Profile
    landmarks : sequence of float
        Times at which to read the curve.
    rmst_tau : float, optional
        Restriction time; no RMST when ``None``.
    risk_times : sequence of float
        Times of the numbers-at-risk table (``risk_table``).
    event_types, censor_types : array_like of str, optional
        ADTTE ``EVNTDESC`` / ``CNSDTDSC`` of the arm's subjects; counted over the
        events / censorings (``event_types`` / ``censor_types``; left out when ``None``).
    unit : str
        Time unit, named in messages.

    Returns
    -------
    ArmResult
        With the Kaplan-Meier ``curve``.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    km = kaplan_meier(time, event, profile=profile)
    quartiles = tuple(quantile_result(km, q) for q in QUARTILES)
    return ArmResult(
        arm=str(arm),
        n=int(time.size),
        events=int(event.sum()),
        censored=int((~event).sum()),
        last_time=finite(time.max()) if time.size else None,
        median=quartiles[QUARTILES.index(0.5)],
        quartiles=quartiles,
        landmarks=landmark_results(km, landmarks, unit),
        median_followup=followup_result(time, event.astype(int), profile=profile),
        rmst=None if rmst_tau is None else rmst_result(time, event, tau=rmst_tau,
                                                         profile=profile),
        curve=curve_result(km),
        risk_table=risk_table(time, risk_times, profile.at_risk),
        event_types=None if event_types is None else count_descriptions(
            event_types, event, "event not described"),
        censor_types=None if censor_types is None else count_descriptions(
            censor_types, ~event, "censoring not described"),
    )
