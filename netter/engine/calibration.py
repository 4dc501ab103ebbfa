"""Calibration on the engine: every target of a study's calibration plan, for many trials
at once.

:mod:`netter.scorecard.calibration` defines what a calibration compares: each published
number's scorecard row (a path into the results document of one of the study's analyses)
against the distribution of the same statistic over simulated trials.  Here the
statistic is computed from the batched lock (:mod:`netter.engine.derive`), estimators
(:mod:`netter.engine.estimators`) and best response (:mod:`netter.engine.response`)
instead of a results document per trial, with the same conventions: the analysis's
cut-off, strata and profile, values in the published unit (``scale``), a median not
reached as ``+inf``, other non-estimable values as ``None``.  :func:`unsupported`
names the rows the engine cannot compute (the caller then uses the per-trial path);
:func:`engine_values` equals :func:`netter.scorecard.calibration.seed_values` on each
trial (the tests check every target of both shipped studies).

Rows the engine computes (by their path in the results document):

``endpoints.P.cox[_stratified].hazard_ratio``, ``endpoints.P.arms[arm=A].{median,
median_followup}.estimate``, ``...landmarks[time=T].{survival,events}``,
``...arms[arm=A].{events,n}``, ``endpoints.P.events``, ``...rmst[tau=T].estimate``,
``response.arms[arm=A].rate``, ``response.arms[arm=A].dcr.rate``,
``response.cmh.common_odds_ratio.estimate`` and
``variables[variable=XOVERFL|DTHFL].groups[arm=A].counts[level=Y|N].count``.

Examples
--------
>>> from netter.study import load_study
>>> from netter.scorecard.calibration import load_plan
>>> study = load_study("studies/netter2/study.toml")
>>> unsupported(study, load_plan(study))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from netter.adam import columns as col
from netter.engine.derive import lock_batch
from netter.engine.estimators import SurvivalBatch, batched_cox, batched_km
from netter.engine.response import (
    BOR_CR,
    BOR_PR,
    BOR_SD,
    best_response,
    mantel_haenszel_odds_ratio,
)
from netter.engine.simulate import simulate_batch
from netter.profiles import get_profile

_ARM = r"\[arm=(?P<arm>[^\]]+)\]"
#: Row paths the engine computes, with the name of the computation.
PATTERNS = tuple((re.compile(pattern), kind) for pattern, kind in (
    (r"^endpoints\.(?P<param>\w+)\.(?P<model>cox|cox_stratified)\.hazard_ratio$", "hr"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.median\.estimate$", "median"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.median_followup\.estimate$", "followup"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.landmarks\[time=(?P<time>[^\]]+)\]"
     r"\.survival$", "survival"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.landmarks\[time=(?P<time>[^\]]+)\]"
     r"\.events$", "events_by"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.events$", "arm_events"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.n$", "arm_n"),
    (r"^endpoints\.(?P<param>\w+)\.events$", "events"),
    (rf"^endpoints\.(?P<param>\w+)\.arms{_ARM}\.rmst\[tau=(?P<tau>[^\]]+)\]\.estimate$",
     "rmst"),
    (rf"^response\.arms{_ARM}\.rate$", "orr"),
    (rf"^response\.arms{_ARM}\.dcr\.rate$", "dcr"),
    (r"^response\.cmh\.common_odds_ratio\.estimate$", "cmh_or"),
    (rf"^variables\[variable=(?P<variable>XOVERFL|DTHFL)\]\.groups{_ARM}"
     r"\.counts\[level=(?P<level>[YN])\]\.count$", "flag_count"),
))


@dataclass(frozen=True)
class Request:
    """One calibration row as an engine computation."""

    kind: str
    cutoff: str
    param: str | None
    arm: int | None
    strata: tuple[str, ...]
    time: float | None
    variable: str | None
    level: str | None
    scale: float
    quantile: bool


def _arm_index(labels: tuple[str, ...], reference: str, value: str) -> int:
    """Engine arm (0 compared, 1 reference) of a study arm value."""
    if value not in labels:
        raise KeyError(value)
    return 1 if value == reference else 0


def requests(study, plan, config) -> list[Request | None]:
    """Each row of ``plan`` as a :class:`Request` (``None``: the engine cannot compute it)."""
    labels = tuple(config.arms.labels)
    reference = study.reference if study.reference is not None else labels[1]
    out = []
    for spec in plan.specs:
        match = next(((m, kind) for pattern, kind in PATTERNS
                      if spec.value and (m := pattern.match(spec.value))), None)
        if match is None or len(labels) != 2 or reference not in labels:
            out.append(None)
            continue
        found, kind = match
        groups = found.groupdict()
        analysis = study.analysis(spec.analysis)
        try:
            arm = _arm_index(labels, reference, groups["arm"]) if groups.get("arm") else None
        except KeyError:
            out.append(None)
            continue
        stratified = groups.get("model") == "cox_stratified" or kind == "cmh_or"
        number = groups.get("time") or groups.get("tau")
        out.append(Request(
            kind=kind, cutoff=analysis.cutoff, param=groups.get("param"), arm=arm,
            strata=tuple(study.analysis_strata(analysis)) if stratified else (),
            time=float(number) if number is not None else None,
            variable=groups.get("variable"), level=groups.get("level"),
            scale=float(spec.scale), quantile=spec.kind == "quantile"))
    return out


def unsupported(study, plan, config=None) -> list[str]:
    """Records of the plan the engine cannot compute (empty: all of them).

    Examples
    --------
    >>> from netter.study import load_study
    >>> from netter.scorecard.calibration import load_plan
    >>> study = load_study("studies/netter1/study.toml")
    >>> unsupported(study, load_plan(study))
    []
    """
    from netter.synthetic.config import load_config

    config = config or load_config(study.simulation)
    return [spec.record for spec, r in zip(plan.specs, requests(study, plan, config),
                                           strict=True) if r is None]


def _value(x: float, request: Request, reached_nan_is_inf: bool = False):
    if np.isnan(x):
        return float("inf") if reached_nan_is_inf else None
    return float(x) * request.scale


def engine_values(study, config, plan, *, seed: int, trials) -> list[list]:
    """Each trial's value of every row of ``plan`` (the layout of ``seed_values``).

    Parameters
    ----------
    study : Study
    config : TrialConfig
    plan : CalibrationPlan
    seed : int
        The run's seed: trial ``k`` is :func:`netter.synthetic.outcomes.trial_seed`
        ``(seed, k)``.
    trials : iterable of int

    Returns
    -------
    list of list
        One list per trial, one value per row of the plan.
    """
    reqs = requests(study, plan, config)
    if any(r is None for r in reqs):
        raise ValueError(f"the engine cannot compute {unsupported(study, plan, config)}")
    profile = get_profile(study.profile)
    labels = tuple(config.arms.labels)
    reference = study.reference if study.reference is not None else labels[1]
    swap = reference == labels[0]
    factors = tuple(sorted({v for r in reqs for v in r.strata}))
    draw = simulate_batch(config, seed=seed, trials=trials, factors=factors)
    arm = (1 - draw.arm if swap else draw.arm).astype(np.int8)
    dates = dict(zip(config.cutoffs.names, config.cutoffs.dates, strict=True))
    unit = study.time_unit
    b = len(draw.trials)
    columns = []
    cache: dict = {}

    def locked(cutoff):
        if ("lock", cutoff) not in cache:
            cache[("lock", cutoff)] = lock_batch(config, draw, dates[cutoff])
        return cache[("lock", cutoff)]

    def batch(r):
        endpoint = locked(r.cutoff)[r.param]
        stratum = draw.strata_codes(r.strata) if r.strata else np.zeros_like(draw.stratum)
        return SurvivalBatch(time=endpoint.time(unit), event=endpoint.event, arm=arm,
                             stratum=stratum, valid=endpoint.valid)

    def km(r, reverse: bool = False):
        key = ("km", r.cutoff, r.param, reverse)
        times = tuple(sorted({q.time for q in reqs if q.kind == "survival"
                              and (q.cutoff, q.param) == (r.cutoff, r.param)}))
        taus = sorted({q.time for q in reqs if q.kind == "rmst"
                       and (q.cutoff, q.param) == (r.cutoff, r.param)})
        if key not in cache:
            data = batch(r)
            if reverse:
                data = SurvivalBatch(time=data.time, event=~data.event, arm=data.arm,
                                     stratum=data.stratum, valid=data.valid)
            cache[key] = ({tau: batched_km(data, profile=profile, times=times, tau=tau)
                           for tau in taus} or {None: batched_km(data, profile=profile,
                                                                 times=times)}), times
        return cache[key]

    def bor(cutoff):
        if ("bor", cutoff) not in cache:
            cache[("bor", cutoff)] = best_response(draw, dates[cutoff])
        return cache[("bor", cutoff)]

    for r in reqs:
        if r.kind == "hr":
            key = ("cox", r.cutoff, r.param, r.strata)
            if key not in cache:
                cache[key] = batched_cox(batch(r), profile=profile,
                                         stratified=bool(r.strata)).hazard_ratio
            values = [_value(x, r) for x in cache[key]]
        elif r.kind in ("median", "followup"):
            fits, _ = km(r, reverse=r.kind == "followup")
            fit = next(iter(fits.values()))
            n = fit.n[:, r.arm]
            values = [_value(x, r, reached_nan_is_inf=r.quantile and m > 0)
                      for x, m in zip(fit.median[:, r.arm], n, strict=True)]
        elif r.kind == "survival":
            fits, times = km(r)
            fit = next(iter(fits.values()))
            values = [_value(x, r) for x in fit.survival[:, r.arm, times.index(r.time)]]
        elif r.kind == "rmst":
            fits, _ = km(r)
            values = [_value(x, r) for x in fits[r.time].rmst[:, r.arm]]
        elif r.kind in ("events_by", "arm_events", "arm_n", "events"):
            data = batch(r)
            mask = data.valid & ((data.arm == r.arm) if r.arm is not None else True)
            if r.kind == "events_by":
                mask = mask & data.event & (data.time <= r.time)
            elif r.kind != "arm_n":
                mask = mask & data.event
            values = [float(v) * r.scale for v in mask.sum(axis=1)]
        elif r.kind in ("orr", "dcr", "cmh_or"):
            codes = bor(r.cutoff)
            valid = locked(r.cutoff)[col.PARAM_OS].valid
            good = (codes == BOR_CR) | (codes == BOR_PR)
            if r.kind == "dcr":
                good = good | (codes == BOR_SD)
            if r.kind == "cmh_or":
                ratio = mantel_haenszel_odds_ratio(good, arm, draw.strata_codes(r.strata),
                                                   valid)
                values = [_value(x, r) for x in ratio]
            else:
                mine = valid & (arm == r.arm)
                n = mine.sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    rate = (good & mine).sum(axis=1) / n
                values = [_value(x, r) for x in rate]
        else:   # flag_count
            valid, cut_day = draw.at_cutoff(dates[r.cutoff])
            day = draw.crossover_day if r.variable == "XOVERFL" else draw.death_day
            flag = day <= cut_day
            if r.level == "N":
                flag = ~flag
            mine = valid & (arm == r.arm) & flag
            values = [float(v) * r.scale for v in mine.sum(axis=1)]
        columns.append(values)
    return [[column[i] for column in columns] for i in range(b)]
