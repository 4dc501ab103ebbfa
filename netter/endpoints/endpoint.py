"""One time-to-event endpoint analysed end to end: :func:`analyze_tte`.

The composition is fixed: per arm (Kaplan-Meier quartiles, landmarks, RMST,
median follow-up), pooled median follow-up, then the comparisons with the
reference arm (log-rank, Cox, PH test, RMST difference), unstratified and, when
stratification variables are named, stratified.  Nothing is dropped silently:
the subjects :func:`netter.adam.tte.derive_tte` left out are listed in
``excluded`` with their reasons.

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

import math

import numpy as np

from netter.adam.tte import TteData
from netter.endpoints.arms import followup_result, summarize_arm
from netter.endpoints.comparisons import (
    Comparison,
    cox_results,
    logrank_result,
    ph_result,
    rmst_difference_results,
)
from netter.errors import NetterError
from netter.profiles import Profile, get_profile
from netter.results import EndpointResult, ExcludedSubject

#: Months between the times of the numbers-at-risk tables (the publication's x-axis ticks).
RISK_STEP = 4.0


def resolve_profile(profile: Profile | str) -> Profile:
    """A :class:`~netter.profiles.Profile` from a profile or its name.

    Examples
    --------
    >>> resolve_profile("sas").ties
    'breslow'
    """
    return get_profile(profile) if isinstance(profile, str) else profile


def check_landmarks(landmarks) -> tuple[float, ...]:
    """Landmark times as sorted, distinct floats; each must be finite and >= 0.

    Examples
    --------
    >>> check_landmarks([20, 12, 12.0])
    (12.0, 20.0)
    """
    times = tuple(sorted({float(t) for t in landmarks}))
    bad = [t for t in times if not math.isfinite(t) or t < 0]
    if bad:
        raise NetterError(f"landmark times must be finite and >= 0 months, got {bad[0]!r}")
    return times


def check_tau(rmst_tau) -> float | None:
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
        raise NetterError(f"the RMST restriction time must be finite and > 0 months, got {tau!r}")
    return tau


def _no_comparison_reason(tte: TteData, reference: str, others: tuple[str, ...]) -> str | None:
    where = f"the {tte.paramcd} analysis set"
    if tte.time.size == 0:
        return f"no subjects in {where}"
    if reference not in tte.arms:
        return f"reference arm {reference!r} has no subjects in {where}"
    if not any(arm in tte.arms for arm in others):
        return f"no arm other than the reference has subjects in {where}"
    return None


def risk_times(time, step: float = RISK_STEP) -> tuple[float, ...]:
    """Times of the numbers-at-risk table: 0, ``step``, ... up to the last observation.

    Examples
    --------
    >>> risk_times([3.0, 13.2]), risk_times([]), risk_times([4.0], step=2)
    ((0.0, 4.0, 8.0, 12.0), (), (0.0, 2.0, 4.0))
    """
    time = np.asarray(time, dtype=float)
    step = float(step)
    if not math.isfinite(step) or step <= 0:
        raise NetterError(f"the risk-table step must be finite and > 0 months, got {step!r}")
    if time.size == 0:
        return ()
    last = float(time.max())
    return tuple(k * step for k in range(int(math.floor(last / step + 1e-9)) + 1))


def _arms(tte: TteData, prof: Profile, landmarks, rmst_tau, risk_step: float,
          event_types, censor_types) -> tuple:
    """:func:`summarize_arm` for each arm of ``tte`` (descriptions aligned with ``tte``)."""
    time, event, arm = tte.time, np.asarray(tte.event, dtype=bool), tte.arm
    grid = risk_times(time, risk_step)
    out = []
    for a in tte.arms:
        rows = arm == a
        out.append(summarize_arm(
            a, time[rows], event[rows], profile=prof, landmarks=landmarks, rmst_tau=rmst_tau,
            risk_times=grid,
            event_types=None if event_types is None else np.asarray(event_types)[rows],
            censor_types=None if censor_types is None else np.asarray(censor_types)[rows]))
    return tuple(out)


def _comparisons(base: Comparison, rmst_tau: float | None, suffix: str) -> dict:
    """The comparison fields of :class:`EndpointResult` for one stratification."""
    cox = cox_results(base)
    fields = {f"logrank{suffix}": logrank_result(base), f"cox{suffix}": cox[0],
              f"ph_test{suffix}": ph_result(base)}
    if len(cox) > 1:
        fields[f"cox{suffix}_by_arm"] = cox
    if rmst_tau is not None and not suffix:
        diffs = rmst_difference_results(base, rmst_tau)
        fields["rmst_difference"] = diffs[0]
        if len(diffs) > 1:
            fields["rmst_difference_by_arm"] = diffs
    return fields


def analyze_tte(tte: TteData, *, profile: Profile | str = "r", reference: str,
                landmarks=(), rmst_tau: float | None = None, strata_names=(),
                arms=None, label: str | None = None, risk_step: float = RISK_STEP,
                event_types=None, censor_types=None) -> EndpointResult:
    """Analyse one time-to-event parameter (times in months).

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
        Months at which each arm's curve is read.
    rmst_tau : float, optional
        Restriction time (months) of the RMST and its difference; none when ``None``.
    strata_names : sequence of str
        Stratification variables; when given, the ``*_stratified`` results are added.
    arms : sequence of str, optional
        All arms of the trial (default: those of ``tte``); an arm without subjects
        in this endpoint is still compared, with ``None`` results and a reason.
    label : str, optional
        Description of the parameter (ADaM ``PARAM``).
    risk_step : float
        Months between the times of each arm's ``risk_table`` (default 4, as the
        NETTER-1 publication's axes), from 0 to the endpoint's last observation.
    event_types, censor_types : array_like of str, optional
        ADTTE ``EVNTDESC`` / ``CNSDTDSC`` of each subject of ``tte`` (same order);
        counted per arm when given.

    Returns
    -------
    EndpointResult
        Comparisons against the first other arm in sorted order in ``cox`` (and
        ``rmst_difference``); with more than two arms every arm in ``*_by_arm``.
    """
    prof = resolve_profile(profile)
    landmarks, rmst_tau = check_landmarks(landmarks), check_tau(rmst_tau)
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
    base = Comparison(time, event, arm, reference, others, prof, reason=reason)
    fields = _comparisons(base, rmst_tau, "")
    if strata_names:
        stratified = Comparison(time, event, arm, reference, others, prof, strata_names,
                                [tte.strata[name] for name in strata_names], reason)
        fields |= _comparisons(stratified, None, "_stratified")
    return EndpointResult(
        paramcd=tte.paramcd, n=int(time.size), events=int(event.sum()),
        censored=int((~event).sum()),
        arms=_arms(tte, prof, landmarks, rmst_tau, risk_step, event_types, censor_types),
        median_followup=followup_result(time, event.astype(int), profile=prof),
        excluded=tuple(ExcludedSubject(e.usubjid, e.reason) for e in tte.excluded),
        not_estimable_reason=reason, label=label, **fields)
