"""The published NETTER-1 quantities, measured on one simulated trial.

Each metric is computed the way the trial reported it, through the same path as any
user's data: lock the database at the cut-off, derive the ADaM analysis set
(:mod:`netter.adam`), estimate with :mod:`netter.stats`.  Method choices come from the
named profile; HRs are unstratified Cox models (the publications do not say whether
theirs were stratified), ORR is confirmed best overall response over all randomised
subjects.

Examples
--------
>>> from netter.synthetic.config import load_config
>>> values = trial_metrics(load_config(), seed=2012, profile="r")
>>> values["pfs.primary.hr"] < 0.5, values["design.primary.n"]
(True, 229)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.response import derive_best_response
from netter.adam.tte import TteData, derive_tte
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier, survival_at
from netter.stats.quantiles import km_quantile, median_followup
from netter.stats.rmst import rmst
from netter.synthetic.lock import lock_database
from netter.synthetic.trial import simulate_trial


def _arm(tte: TteData, arm: str) -> tuple[np.ndarray, np.ndarray]:
    keep = tte.arm == arm
    return tte.time[keep], tte.event[keep]


def _tte_metrics(prefix: str, tte: TteData, arms: dict, profile: str, *,
                 landmark: float | None = None, tau: float | None = None,
                 followup: bool = False, events_by: float | None = None) -> dict:
    out = {}
    for short, label in arms.items():
        time, event = _arm(tte, label)
        km = kaplan_meier(time, event, profile=profile)
        out[f"{prefix}.median.{short}"] = km_quantile(km, 0.5).estimate
        out[f"{prefix}.events.{short}"] = int(event.sum())
        if landmark is not None:
            rate = survival_at(km, [landmark])[0].survival
            out[f"{prefix}.rate_month{landmark:g}.{short}"] = rate
        if tau is not None:
            out[f"{prefix}.rmst_{tau:g}.{short}"] = rmst(time, event, tau=tau,
                                                         profile=profile).estimate
        if followup:
            out[f"{prefix}.median_followup.{short}"] = median_followup(
                time, event, profile=profile).estimate
        if events_by is not None:
            out[f"{prefix}.events_by_{events_by:g}.{short}"] = int((event & (time <= events_by)
                                                                     ).sum())
    model = cox_hazard_ratio(tte.time, tte.event, tte.arm, reference=arms["control"],
                             profile=profile)
    out[f"{prefix}.hr"] = model.effects[0].hazard_ratio
    return out


def _orr(adam: dict, arms: dict) -> dict:
    adsl = adam[col.ADSL].assign(RANDDT=lambda f: pd.to_datetime(f["RANDDT"]))
    adrs = adam[col.ADRS].assign(ADT=lambda f: pd.to_datetime(f[col.ADT]))
    bor = derive_best_response(adsl, adrs, confirm=True).merge(
        adsl[[col.USUBJID, col.DEFAULT_ARM_VAR]], on=col.USUBJID)
    responder = bor["BOR"].isin(["CR", "PR"])
    return {f"orr.primary.{short}": float(responder[bor[col.DEFAULT_ARM_VAR] == label].mean())
            for short, label in arms.items()}


def trial_metrics(config, *, seed: int, profile: str) -> dict[str, float | int | None]:
    """Simulate ``config`` with ``seed`` and measure every calibration quantity.

    Returns
    -------
    dict
        Metric name -> value (``None`` where not estimable, e.g. a median not reached).
    """
    trial = simulate_trial(config, seed=seed)
    locks = {name: lock_database(config, trial, date)
             for name, date in zip(config.cutoffs.names, config.cutoffs.dates, strict=True)}
    arms = {"lu": config.arms.labels[0], "control": config.arms.labels[1]}
    primary, update, final = (locks[name] for name in ("primary", "update", "final"))

    def tte(adam, paramcd):
        return derive_tte(adam[col.ADSL], adam[col.ADTTE], paramcd=paramcd)

    out: dict = {"design.primary.n": len(primary[col.ADSL])}
    out |= _tte_metrics("pfs.primary", tte(primary, col.PARAM_PFS), arms, profile, landmark=20.0)
    out |= _tte_metrics("os.primary", tte(primary, col.PARAM_OS), arms, profile)
    out |= _orr(primary, arms)
    out |= _tte_metrics("pfs.update", tte(update, col.PARAM_PFS), arms, profile)
    out |= _tte_metrics("os.update", tte(update, col.PARAM_OS), arms, profile)
    out |= _tte_metrics("qol.update", tte(update, col.PARAM_TTDGHS), arms, profile)
    out |= _tte_metrics("os.final", tte(final, col.PARAM_OS), arms, profile, tau=24.0,
                        followup=True, events_by=24.0)
    out["os.final.deaths"] = out["os.final.events.lu"] + out["os.final.events.control"]
    out["os.final.crossovers.control"] = int((final[col.ADSL]["XOVERFL"] == "Y").sum())
    return out
