"""One trial of a crossover simulation study: simulate, lock, estimate.

Trial ``k`` is simulated with and without switching from the same seed
(:func:`netter.synthetic.trial.simulate_switching_pair`), both are locked at the design's
cut-off and read as ``netter simulate``'s files would be, the twin gives the truth
(:func:`netter.simstudy.truth.twin_truth`) and :func:`netter.endpoints.crossover.
analyze_crossover` estimates every method on the trial with switching (no bootstrap).

Every estimate is kept on the log scale: the log hazard ratio, the log of its interval's
ends, and for RPSFTM psi and its interval.  A method that is not estimable keeps its
reason.  Should a method raise an error (a bug, not a property of the data), the
methods are rerun one at a time, so that only the failing one is lost, and its reason
starts with ``"error: "``.

Examples
--------
>>> from netter.results.crossover import HazardRatio
>>> e = method_estimate(HazardRatio(0.5, (0.25, 1.0), "Wald"))
>>> round(e.log_hr, 4), round(e.lower, 4), e.upper, e.not_estimable_reason
(-0.6931, -1.3863, 0.0, None)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netter.errors import NetterError
from netter.simstudy.design import Design, trial_seed, true_psi
from netter.simstudy.truth import locked_adam, twin_truth

#: The ITT analysis of the trial with switching, recorded beside the methods.
ITT = "itt"
#: Errors a method may raise on a simulated trial; they are recorded, not raised.
METHOD_ERRORS = (NetterError, ValueError, ArithmeticError, np.linalg.LinAlgError)


@dataclass(frozen=True)
class MethodEstimate:
    """One method's estimate on one trial (log scale; ``None`` = not estimable).

    ``lower``/``upper`` are the log of the hazard ratio interval's ends (``None`` when the
    method gives no interval); ``psi`` and its interval are RPSFTM's.
    """

    log_hr: float | None
    lower: float | None
    upper: float | None
    not_estimable_reason: str | None = None
    psi: float | None = None
    psi_lower: float | None = None
    psi_upper: float | None = None


@dataclass(frozen=True)
class TrialRecord:
    """One trial: its index and seed, switchers, truth and every method's estimate.

    ``n_switchers_unprogressed`` counts the switchers without a recorded progression
    (an event of the progression parameter) on or before their switch: what IPCW's
    switching model and two-stage estimation see of the progression that switching
    follows.  ``estimates`` maps ``"itt"`` (the trial with switching, unadjusted) and each method
    key to its :class:`MethodEstimate`, in the design's order.
    """

    index: int
    seed: int
    n_subjects: int
    n_switchers: int
    n_switchers_unprogressed: int
    truth: float | None
    truth_reason: str | None
    estimates: dict[str, MethodEstimate]


def _log(value) -> float | None:
    return None if value is None or not value > 0 else math.log(value)


def method_estimate(hr, reason: str | None = None, psi=None) -> MethodEstimate:
    """A :class:`MethodEstimate` from a document's ``HazardRatio`` (``None``: not
    estimable, for ``reason``) and RPSFTM's ``psi`` (an ``Estimate``)."""
    psi_fields = {}
    if psi is not None and psi.estimate is not None:
        lo, hi = psi.ci if psi.ci is not None else (None, None)
        psi_fields = {"psi": float(psi.estimate),
                      "psi_lower": None if lo is None else float(lo),
                      "psi_upper": None if hi is None else float(hi)}
    if hr is None or hr.estimate is None:
        return MethodEstimate(None, None, None, reason or "not estimable", **psi_fields)
    lo, hi = hr.ci if hr.ci is not None else (None, None)
    lower, upper = _log(lo), _log(hi)
    if lower is None or upper is None:
        lower = upper = None
    return MethodEstimate(math.log(hr.estimate), lower, upper, None, **psi_fields)


def _from_document(document, methods) -> dict[str, MethodEstimate]:
    out = {ITT: method_estimate(document.itt.hazard_ratio, "ITT hazard ratio not estimable")}
    for key in methods:
        result = getattr(document.methods, key)
        out[key] = method_estimate(result.hazard_ratio, result.not_estimable_reason,
                                   getattr(result, "psi", None))
    return out


def _analyse(design: Design, adam, methods):
    from netter.endpoints.crossover import CrossoverOptions, analyze_crossover

    options = CrossoverOptions(methods=tuple(methods), covariates=design.covariates)
    return analyze_crossover(adam, param=design.param, reference=design.reference,
                             experimental=design.experimental, arm_var=design.arm_var,
                             profile=design.profile, time_unit=design.time_unit,
                             options=options, cutoff_date=str(design.cutoff_date))


def estimate_methods(design: Design, adam) -> tuple[dict[str, MethodEstimate], int]:
    """Every method's estimate on ``adam`` (the trial with switching), and the number of
    switchers.

    Errors of a method (:data:`METHOD_ERRORS`) are recorded as its not-estimable reason.
    """
    try:
        document = _analyse(design, adam, design.methods)
        return _from_document(document, design.methods), int(document.n_switchers)
    except METHOD_ERRORS:
        pass
    out: dict[str, MethodEstimate] = {}
    n_switchers = 0
    for key in design.methods:
        try:
            document = _analyse(design, adam, (key,))
        except METHOD_ERRORS as err:
            message = " ".join(str(err).split()) or "(no message)"
            out[key] = MethodEstimate(None, None, None,
                                      f"error: {type(err).__name__}: {message}")
            continue
        found = _from_document(document, (key,))
        out.setdefault(ITT, found[ITT])
        out[key] = found[key]
        n_switchers = int(document.n_switchers)
    out.setdefault(ITT, MethodEstimate(None, None, None, "error: every method failed"))
    return {k: out[k] for k in (ITT, *design.methods)}, n_switchers


def unprogressed_switchers(design: Design, adam) -> int:
    """Switchers without a recorded progression on or before the switch (the
    progression parameter of :class:`netter.endpoints.crossover.CrossoverOptions`)."""
    from netter.adam.crossover import crossover_data
    from netter.endpoints.crossover import CrossoverOptions

    d = crossover_data(adam.adsl, adam.adtte, param=design.param, arm_var=design.arm_var,
                       reference=design.reference, experimental=design.experimental,
                       unit=design.time_unit,
                       progression_param=CrossoverOptions().progression_param,
                       cutoff_date=str(design.cutoff_date))
    progressed = np.isfinite(d.progression_time) & (
        d.progression_time <= np.where(d.switched, d.switch_time, -np.inf))
    return int((d.switched & ~progressed).sum())


def run_trial(design: Design, config, index: int, base_seed: int) -> TrialRecord:
    """Simulate trial ``index`` of the scenario ``config``, its truth and its estimates.

    Parameters
    ----------
    design : Design
    config : TrialConfig
        The scenario's configuration.
    index : int
        Trial index (from 0); the seed is :func:`netter.simstudy.design.trial_seed`.
    base_seed : int

    Returns
    -------
    TrialRecord
    """
    from netter.synthetic.trial import simulate_switching_pair, without_switching

    seed = trial_seed(base_seed, index)
    pair = simulate_switching_pair(config, seed=seed)
    twin = locked_adam(design, without_switching(config), pair.no_switching,
                       f"seed {seed} without switching")
    truth, truth_reason = twin_truth(design, twin)
    adam = locked_adam(design, config, pair.trial, f"seed {seed}")
    estimates, n_switchers = estimate_methods(design, adam)
    psi = true_psi(config)
    if psi is not None:
        from netter.simstudy.oracle import oracle_estimates

        estimates.update(oracle_estimates(design, adam, psi))
    return TrialRecord(index=int(index), seed=seed, n_subjects=len(adam.adsl),
                       n_switchers=n_switchers,
                       n_switchers_unprogressed=unprogressed_switchers(design, adam),
                       truth=truth, truth_reason=truth_reason, estimates=estimates)
