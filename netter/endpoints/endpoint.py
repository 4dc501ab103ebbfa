"""One time-to-event endpoint analysed end to end: :func:`analyze_tte`.

The composition is fixed: per arm (Kaplan-Meier quartiles, landmarks, RMST,
median follow-up), pooled median follow-up, then the comparisons with the
reference arm by each method of :mod:`netter.endpoints.methods` (log-rank, Cox, PH
test, RMST difference, and any other method asked for), unstratified and, when
stratification variables are named, stratified.  Nothing is dropped silently:
the subjects :func:`netter.adam.tte.derive_tte` left out are listed in
``excluded`` with their reasons.

The numbers-at-risk table steps every ``risk_step`` (in the analysis's time unit);
without one, the step is a round number chosen from the follow-up
(:func:`risk_step_for`), so a one-year study in months gets 2-month steps.

Examples
--------
>>> import pandas as pd
>>> from netter.adam.tte import derive_tte
>>> adsl = pd.DataFrame({"USUBJID": list("ABCDEF"), "TRT01P": ["x", "y"] * 3})
>>> adtte = pd.DataFrame({"USUBJID": list("ABCDE"), "PARAMCD": ["OS"] * 5,
...                       "AVAL": [30.0, 60.0, 90.0, 120.0, 150.0], "CNSR": [0, 0, 1, 0, 0]})
>>> result = analyze_tte(derive_tte(adsl, adtte, paramcd="OS"), profile="r", reference="y")
>>> result.n, result.events, [a.arm for a in result.arms], result.cox.arm
(5, 4, ['x', 'y'], 'x')
>>> [(e.usubjid, e.reason) for e in result.excluded]
[('F', 'no OS record in ADTTE')]
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from netter.adam.tte import TteData
from netter.endpoints.arms import followup_result, summarize_arm
from netter.endpoints.comparisons import Comparison, lifetest_results
from netter.endpoints.methods import (
    STANDARD,
    MethodSettings,
    check_methods,
    implied_methods,
    run_method,
)
from netter.errors import NetterError
from netter.profiles import Profile, get_profile
from netter.results import EndpointResult, ExcludedSubject

#: Candidate steps of the numbers-at-risk table by time unit (round numbers of the unit).
RISK_STEPS = {
    "days": (1, 2, 5, 7, 14, 28, 30, 60, 90, 180, 365, 730, 1826),
    "weeks": (1, 2, 4, 8, 12, 26, 52, 104, 260),
    "months": (1, 2, 3, 4, 6, 12, 24, 36, 60, 120),
    "years": (0.25, 0.5, 1, 2, 5, 10, 20),
}
#: Most steps of an automatic numbers-at-risk table (up to 11 columns).
MAX_RISK_STEPS = 10


def resolve_profile(profile: Profile | str) -> Profile:
    """A :class:`~netter.profiles.Profile` from a profile or its name.

    Examples
    --------
    >>> resolve_profile("sas").ties
    'breslow'
    """
    return get_profile(profile) if isinstance(profile, str) else profile


def check_landmarks(landmarks, unit: str = "months") -> tuple[float, ...]:
    """Landmark times as sorted, distinct floats; each must be finite and >= 0.

    Examples
    --------
    >>> check_landmarks([20, 12, 12.0])
    (12.0, 20.0)
    """
    times = tuple(sorted({float(t) for t in landmarks}))
    bad = [t for t in times if not math.isfinite(t) or t < 0]
    if bad:
        raise NetterError(f"landmark times must be finite and >= 0 {unit}, got {bad[0]!r}")
    return times


def check_tau(rmst_tau, unit: str = "months") -> float | None:
    """The RMST restriction time as a float (``None`` stays ``None``); must be > 0.

    Examples
    --------
    >>> check_tau(24), check_tau(None)
    (24.0, None)
    """
    if rmst_tau is None:
        return None
    tau = float(rmst_tau)
    if not math.isfinite(tau) or tau <= 0:
        raise NetterError(f"the RMST restriction time must be finite and > 0 {unit}, "
                          f"got {tau!r}")
    return tau


def risk_step_for(last: float, unit: str = "months") -> float:
    """The numbers-at-risk step for follow-up up to ``last``: the smallest round number
    of ``unit`` (:data:`RISK_STEPS`) giving at most :data:`MAX_RISK_STEPS` steps.

    Examples
    --------
    >>> risk_step_for(12.0), risk_step_for(30.0), risk_step_for(364, "days")
    (2.0, 3.0, 60.0)
    >>> risk_step_for(52, "weeks"), risk_step_for(0.0)
    (8.0, 1.0)
    """
    steps = RISK_STEPS.get(unit, RISK_STEPS["months"])
    last = float(last) if math.isfinite(last) and last > 0 else 0.0
    for step in steps:
        if last / step <= MAX_RISK_STEPS + 1e-9:
            return float(step)
    return float(math.ceil(last / MAX_RISK_STEPS / steps[-1]) * steps[-1])


def _no_comparison_reason(tte: TteData, reference: str, others: tuple[str, ...]) -> str | None:
    where = f"the {tte.paramcd} analysis set"
    if tte.time.size == 0:
        return f"no subjects in {where}"
    if reference not in tte.arms:
        return f"reference arm {reference!r} has no subjects in {where}"
    if not any(arm in tte.arms for arm in others):
        return f"no arm other than the reference has subjects in {where}"
    return None


#: Most times of a numbers-at-risk table with a declared step (see :func:`risk_times`).
MAX_RISK_TIMES = 100


def risk_times(time, step: float | None = None, unit: str = "months") -> tuple[float, ...]:
    """Times of the numbers-at-risk table: 0, ``step``, ... up to the last observation
    (``step`` ``None``: :func:`risk_step_for` the last observation).

    The table is bounded by a number of times, not by the data's range: a declared
    ``step`` that would give more than :data:`MAX_RISK_TIMES` times is widened to the
    smallest multiple of itself giving at most :data:`MAX_RISK_STEPS` steps.

    Examples
    --------
    >>> risk_times([3.0, 13.2], 4), risk_times([]), risk_times([4.0], step=2)
    ((0.0, 4.0, 8.0, 12.0), (), (0.0, 2.0, 4.0))
    >>> risk_times([11.9])
    (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
    >>> len(risk_times([1e300], step=3)), risk_times([1000.0], step=3)[:3]
    (11, (0.0, 102.0, 204.0))
    """
    time = np.asarray(time, dtype=float)
    if step is None:
        step = risk_step_for(float(time.max()) if time.size else 0.0, unit)
    step = float(step)
    if not math.isfinite(step) or step <= 0:
        raise NetterError(f"the risk-table step must be finite and > 0 {unit}, got {step!r}")
    if time.size == 0:
        return ()
    last = float(time.max())
    count = math.floor(last / step + 1e-9) + 1
    if count > MAX_RISK_TIMES:
        step *= math.ceil((count - 1) / MAX_RISK_STEPS)
        count = math.floor(last / step + 1e-9) + 1
    return tuple(k * step for k in range(int(count)))


def _arms(tte: TteData, prof: Profile, landmarks, rmst_tau, risk_step: float | None,
          unit: str, event_types, censor_types) -> tuple:
    """:func:`summarize_arm` for each arm of ``tte`` (descriptions aligned with ``tte``)."""
    time, event, arm = tte.time, np.asarray(tte.event, dtype=bool), tte.arm
    grid = risk_times(time, risk_step, unit)
    out = []
    for a in tte.arms:
        rows = arm == a
        out.append(summarize_arm(
            a, time[rows], event[rows], profile=prof, landmarks=landmarks, rmst_tau=rmst_tau,
            risk_times=grid, unit=unit,
            event_types=None if event_types is None else np.asarray(event_types)[rows],
            censor_types=None if censor_types is None else np.asarray(censor_types)[rows]))
    return tuple(out)


def _compare(bases, methods, settings: MethodSettings) -> tuple[dict, tuple]:
    """Contract fields and ``comparisons`` entries of every method on every base."""
    fields, entries = {}, []
    for base in bases:
        for name in methods:
            out = run_method(name, base, settings)
            fields |= out.fields
            entries += out.comparisons
    return fields, tuple(entries)


def analyze_tte(tte: TteData, *, profile: Profile | str = "r", reference: str,
                landmarks=(), rmst_tau: float | None = None, strata_names=(),
                arms=None, label: str | None = None, risk_step: float | None = None,
                event_types=None, censor_types=None, time_unit: str = "months",
                axis: str | None = None, origin: str | None = None,
                methods=(), method_settings: MethodSettings | None = None) -> EndpointResult:
    """Analyse one time-to-event parameter (times in ``time_unit``).

    Parameters
    ----------
    tte : TteData
        From :func:`netter.adam.tte.derive_tte`, carrying every variable of
        ``strata_names`` in ``tte.strata``.
    profile : Profile or str
        Method profile (``"r"`` or ``"sas"``, or a :class:`~netter.profiles.Profile`).
    reference : str
        Reference arm of the comparisons.
    landmarks : sequence of float
        Times at which each arm's curve is read.
    rmst_tau : float, optional
        Restriction time of the RMST and its difference; none when ``None``.
    strata_names : sequence of str
        Stratification variables; when given, the ``*_stratified`` results are added.
    arms : sequence of str, optional
        All arms of the trial (default: those of ``tte``); an arm without subjects
        in this endpoint is still compared, with ``None`` results and a reason.
    label : str, optional
        Name of the parameter (the study's, else ADaM ``PARAM``).
    risk_step : float, optional
        Time between the times of each arm's ``risk_table``, from 0 to the endpoint's
        last observation; default :func:`risk_step_for` the follow-up.
    event_types, censor_types : array_like of str, optional
        ADTTE ``EVNTDESC`` / ``CNSDTDSC`` of each subject of ``tte`` (same order);
        counted per arm when given.
    time_unit : str
        Unit of ``tte.time``, the landmarks, ``rmst_tau`` and ``risk_step``.
    axis, origin : str, optional
        y-axis title of the endpoint's figure and the event its times start from.
    methods : sequence of str
        Comparison methods beyond the standard ones (:mod:`netter.endpoints.methods`).
    method_settings : MethodSettings, optional
        Parameters of the non-proportional-hazards methods (FH weights, MaxCombo tests,
        piecewise cut points, RMST grid, in ``time_unit``); giving one asks for its
        method (:func:`~netter.endpoints.methods.implied_methods`).  Its ``rmst_tau`` and
        ``time_unit`` are replaced by the arguments above.

    Returns
    -------
    EndpointResult
        Comparisons against the first other arm in sorted order in ``cox`` (and
        ``rmst_difference``); with more than two arms every arm in ``*_by_arm``.
    """
    prof = resolve_profile(profile)
    landmarks = check_landmarks(landmarks, time_unit)
    rmst_tau = check_tau(rmst_tau, time_unit)
    settings = dataclasses.replace(method_settings or MethodSettings(), rmst_tau=rmst_tau,
                                   time_unit=time_unit)
    methods = STANDARD + check_methods([*methods, *implied_methods(settings)])
    strata_names = tuple(strata_names)
    missing = [name for name in strata_names if name not in tte.strata]
    if missing:
        raise NetterError(f"{tte.paramcd}: stratification variable(s) {', '.join(missing)} "
                          "were not derived with the analysis set")
    reference = str(reference)
    others = tuple(sorted({str(a) for a in (tte.arms if arms is None else arms)} - {reference}))
    if not others:
        raise NetterError(f"no arm to compare with the reference arm {reference!r}")
    time, event, arm = tte.time, np.asarray(tte.event, dtype=bool), tte.arm
    reason = _no_comparison_reason(tte, reference, others)
    bases = [Comparison(time, event, arm, reference, others, prof, reason=reason)]
    if strata_names:
        bases.append(Comparison(time, event, arm, reference, others, prof, strata_names,
                                [tte.strata[name] for name in strata_names], reason))
    fields, entries = _compare(bases, methods, settings)
    for base in bases:
        fields |= lifetest_results(base)
    return EndpointResult(
        paramcd=tte.paramcd, n=int(time.size), events=int(event.sum()),
        censored=int((~event).sum()),
        arms=_arms(tte, prof, landmarks, rmst_tau, risk_step, time_unit, event_types,
                   censor_types),
        median_followup=followup_result(time, event.astype(int), profile=prof),
        excluded=tuple(ExcludedSubject(e.usubjid, e.reason) for e in tte.excluded),
        not_estimable_reason=reason, label=label, axis=axis, origin=origin,
        comparisons=entries, **fields)
