"""An endpoint's hazard ratio adjusted for switching from the reference arm to the
experimental treatment: RPSFTM, IPCW, two-stage estimation and the naive comparators.

:func:`analyze_crossover` is what ``netter crossover`` runs and what a study's
``crossover`` analysis runs: it derives the data (:mod:`netter.adam.crossover`), runs each
method asked for (:mod:`netter.stats.rpsftm`, :mod:`netter.stats.ipcw`,
:mod:`netter.stats.tse`, :mod:`netter.stats.weighted_cox`), bootstraps them when asked,
and records every choice in a :class:`~netter.results.crossover.CrossoverDocument`.

Defaults (each recorded in ``settings``): the profile's ties and confidence level;
RPSFTM by the log-rank test, re-censored, psi searched in [-3, 3]; the experimental arm
on treatment for its whole follow-up and a switcher from the switch on; IPCW over
1-month intervals, no truncation; two-stage with a Weibull AFT model, re-censored; no
bootstrap.

Examples
--------
>>> from netter.adam.io import load_adam
>>> data = load_adam("tests/reference/data/immdef")
>>> doc = analyze_crossover(data, param="OS", reference="Deferred", methods=("rpsftm",),
...                         time_unit="years")
>>> round(doc.methods.rpsftm.psi.estimate, 4), doc.n_switchers
(-0.1821, 189)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter import __version__
from netter.adam import columns as col
from netter.adam.crossover import CrossoverData, crossover_data
from netter.adam.io import AdamData
from netter.endpoints.arms import curve_result
from netter.endpoints.trial import choose_reference, input_files
from netter.errors import NetterError
from netter.profiles import DEFAULT_PROFILE, Profile, get_profile
from netter.results.crossover import (
    DEFAULT_METHODS,
    EXPOSURE_EXPERIMENTAL,
    EXPOSURE_SWITCH,
    METHODS,
    SCHEMA,
    TSE_DISTRIBUTIONS,
    CrossoverDocument,
    CrossoverMethods,
    CrossoverSettings,
    Estimate,
    HazardRatio,
    IpcwResult,
    IttResult,
    ModelTerm,
    NaiveResult,
    RpsftmResult,
    TseResult,
    WeightSummary,
)
from netter.stats.distributions import normal_quantile

RPSFTM_ASSUMPTIONS = (
    "common treatment effect: the experimental treatment stretches survival time by the "
    "same factor exp(-psi) whether it is received from randomisation or after a switch, "
    "and whenever it is received",
    "the counterfactual untreated time U = T_off + exp(psi) T_on is independent of the "
    "randomised arm (randomisation)",
    "exposure: experimental arm on treatment for {exposure}; a switcher {switch_exposure}",
    "post-progression therapy other than the switch is taken to be the same in both arms",
)
RECENSOR_NOTE = ("re-censoring at C* = C min(1, exp(psi)) in the reference arm (C: "
                 "data cut-off minus randomisation) removes the informative censoring that "
                 "the exp(psi) scaling creates")
NO_RECENSOR_NOTE = ("no re-censoring: U is censored where T was, which is informative when "
                    "treatment changes follow-up; shown for comparison")
IPCW_ASSUMPTIONS = (
    "no unmeasured confounders of switching: the baseline covariates and the "
    "time-updated progression history explain who switches and when",
    "every patient had a non-zero probability of remaining unswitched (positivity); "
    "extreme weights signal a violation",
    "the pooled logistic switching model is correctly specified",
)
TSE_ASSUMPTIONS = (
    "switching happens at or soon after progression (the secondary baseline)",
    "no unmeasured confounders of switching at progression",
    "switching multiplies the remaining survival after progression by a common "
    "acceleration factor (accelerated failure time model, {distribution})",
)
CENSOR_ASSUMPTIONS = (
    "biased: switchers are censored at the switch, but switching depends on prognosis "
    "(progression), so the censoring is informative",)
EXCLUDE_ASSUMPTIONS = (
    "biased: excluding switchers removes a group selected after randomisation (those "
    "who progressed and chose to switch), which breaks randomisation",)

LABELS = {
    "rpsftm": "RPSFTM, re-censored", "rpsftm_no_recensor": "RPSFTM, not re-censored",
    "ipcw": "IPCW", "tse": "Two-stage estimation",
    "censor": "Switchers censored at switch (naive)",
    "exclude": "Switchers excluded (naive)",
}


@dataclass(frozen=True)
class CrossoverOptions:
    """What to run and how (every field is recorded in the document's settings)."""

    methods: tuple[str, ...] = DEFAULT_METHODS
    strata: tuple[str, ...] = ()
    covariates: tuple[str, ...] = ()
    rpsftm_test: str = "logrank"
    recensor: bool = True
    rpsftm_interval: tuple[float, float] = (-3.0, 3.0)
    rpsftm_tolerance: float = 1e-10
    exposure_experimental: str = "follow-up"
    exposure_switch: str = "from-switch"
    ipcw_interval_days: float = col.DAYS_PER_MONTH
    ipcw_truncation: tuple[float, float] | None = None
    tse_distribution: str = "weibull"
    progression_param: str | None = "PFS"
    bootstrap: int = 0
    seed: int | None = None
    glm_tolerance: float = 1e-10
    cox_tolerance: float = 1e-9


def check_methods(names) -> tuple[str, ...]:
    """Method keys, checked, in the canonical order.

    Examples
    --------
    >>> check_methods(["ipcw", "rpsftm"])
    ('rpsftm', 'ipcw')
    """
    names = [str(n).strip() for n in names if str(n).strip()]
    bad = [n for n in names if n not in METHODS]
    if bad:
        raise NetterError(f"unknown crossover method(s) {', '.join(map(repr, bad))}; methods "
                          f"are {', '.join(METHODS)}")
    if not names:
        raise NetterError(f"no crossover method given; methods are {', '.join(METHODS)}")
    return tuple(m for m in METHODS if m in names)


def _check_options(o: CrossoverOptions) -> None:
    if o.rpsftm_test not in ("logrank", "cox"):
        raise NetterError(f"--rpsftm-test must be logrank or cox, not {o.rpsftm_test!r}")
    for rule, allowed, whose in ((o.exposure_experimental, EXPOSURE_EXPERIMENTAL,
                                  "the experimental arm"),
                                 (o.exposure_switch, EXPOSURE_SWITCH, "a switcher")):
        if rule not in allowed and exposure_days(rule) is None:
            raise NetterError(f"exposure of {whose} must be one of {', '.join(allowed)} or "
                              f"for-days:N (N > 0 days), not {rule!r}")
    if o.tse_distribution not in TSE_DISTRIBUTIONS:
        raise NetterError(f"the two-stage AFT distribution must be one of "
                          f"{', '.join(TSE_DISTRIBUTIONS)}, not {o.tse_distribution!r}")
    if not o.recensor and {"rpsftm", "rpsftm_no_recensor"} <= set(o.methods):
        raise NetterError("--no-recensor makes rpsftm the same as rpsftm_no_recensor: ask "
                          "for one of them")
    if o.bootstrap < 0:
        raise NetterError(f"--bootstrap must be 0 or more, not {o.bootstrap}")
    if o.bootstrap and o.seed is None:
        raise NetterError("--bootstrap needs --seed (resampling is seeded)")
    if not (np.isfinite(o.ipcw_interval_days) and o.ipcw_interval_days > 0):
        raise NetterError(f"the IPCW interval must be a positive number of days, not "
                          f"{o.ipcw_interval_days}")
    if o.ipcw_truncation is not None:
        lo, hi = o.ipcw_truncation
        if not 0 <= lo < hi <= 100:
            raise NetterError(f"IPCW truncation percentiles must satisfy 0 <= lower < upper "
                              f"<= 100, not {lo}, {hi}")
    lo, hi = o.rpsftm_interval
    if not lo < hi:
        raise NetterError(f"the psi search interval must have lower < upper, not {lo}, {hi}")


# --- the methods on one data set --------------------------------------------------------


def exposure_days(rule: str) -> float | None:
    """N of an exposure rule ``for-days:N`` (``None`` for any other rule).

    Examples
    --------
    >>> exposure_days("for-days:240"), exposure_days("follow-up")
    (240.0, None)
    """
    text = str(rule)
    if not text.startswith("for-days:"):
        return None
    try:
        days = float(text.split(":", 1)[1])
    except ValueError:
        return None
    return days if np.isfinite(days) and days > 0 else None


def _time_on(d: CrossoverData, rule: str, switch_rule: str = "from-switch") -> np.ndarray:
    """Time on the experimental treatment within each subject's observed time."""
    days = exposure_days(rule)
    if rule == "to-progression":
        prog = np.where(np.isfinite(d.progression_time), d.progression_time, d.time)
        exp_on = np.minimum(prog, d.time)
    elif days is not None:
        exp_on = np.minimum(col.from_days(np.array([days]), d.unit)[0], d.time)
    else:
        exp_on = d.time
    after = np.maximum(d.time - np.nan_to_num(d.switch_time), 0.0)
    switch_days = exposure_days(switch_rule)
    if switch_days is not None:
        after = np.minimum(after, col.from_days(np.array([switch_days]), d.unit)[0])
    switch_on = np.where(d.switched, after, 0.0)
    return np.where(d.experimental, exp_on, switch_on)


def _exposure_words(o: CrossoverOptions) -> tuple[str, str]:
    days = exposure_days(o.exposure_experimental)
    experimental = ("their whole follow-up" if o.exposure_experimental == "follow-up" else
                    "their time to progression" if days is None else
                    f"{days:g} days from randomisation (within follow-up)")
    switch_days = exposure_days(o.exposure_switch)
    switch = ("from the switch to the end of follow-up" if switch_days is None else
              f"for {switch_days:g} days from the switch (within follow-up)")
    return experimental, switch


def _strata(d: CrossoverData, rows=None):
    if not d.strata:
        return None
    cols = [v if rows is None else v[rows] for v in d.strata.values()]
    return cols if len(cols) > 1 else cols[0]


def _group(d: CrossoverData, reference: str, experimental: str) -> np.ndarray:
    return np.where(d.experimental, experimental, reference)


def _cox_hr(time, event, group, reference, strata, profile: Profile):
    """(log HR, SE) of the experimental arm, or (None, None, reason)."""
    from netter.stats.cox import cox_hazard_ratio

    model = cox_hazard_ratio(time, event, group, reference=reference, strata=strata,
                             profile=profile)
    effect = model.effects[0] if model.effects else None
    if effect is None or effect.coef is None:
        reason = effect.not_estimable_reason if effect is not None else "no comparison"
        return None, None, reason
    return float(effect.coef), float(effect.se), None


def _wald(log_hr, se, z, method: str, **extra) -> HazardRatio:
    return HazardRatio(estimate=float(np.exp(log_hr)),
                       ci=(float(np.exp(log_hr - z * se)), float(np.exp(log_hr + z * se))),
                       ci_method=method, se_log=float(se), **extra)


def _logrank_z(time, event, group, experimental, strata):
    from netter.stats.logrank import logrank_test

    res = logrank_test(time, event, group, strata=strata)
    if res.chisq is None or experimental not in res.groups:
        return None, None
    k = res.groups.index(experimental)
    var = res.variance[k][k]
    z = (res.observed[k] - res.expected[k]) / np.sqrt(var) if var > 0 else None
    return (None if z is None else float(z)), res.p_value


def _counts(group, event, reference, experimental) -> tuple[dict, dict]:
    n = {a: int((group == a).sum()) for a in (experimental, reference)}
    ev = {a: int(np.asarray(event)[group == a].sum()) for a in (experimental, reference)}
    return n, ev


class _Run:
    """The methods on one data set (the original, or a bootstrap resample)."""

    def __init__(self, d: CrossoverData, o: CrossoverOptions, profile: Profile,
                 reference: str, experimental: str, grid_step: float = 0.02,
                 interval_wanted: bool = True):
        self.d, self.o, self.profile = d, o, profile
        self.reference, self.experimental = reference, experimental
        self.group = _group(d, reference, experimental)
        self.z = normal_quantile(0.5 + profile.conf_level / 2)
        self.on = _time_on(d, o.exposure_experimental, o.exposure_switch)
        self.grid_step = grid_step
        self.interval_wanted = interval_wanted

    def itt(self):
        d = self.d
        log_hr, se, reason = _cox_hr(d.time, d.event, self.group, self.reference,
                                     _strata(d), self.profile)
        z, p = _logrank_z(d.time, d.event, self.group, self.experimental, _strata(d))
        return log_hr, se, reason, z, p

    def rpsftm(self, recensor: bool):
        from netter.stats.rpsftm import counterfactual_times, g_estimate, recensor_mask

        d, o = self.d, self.o
        if recensor and d.censor_time is None:
            return None, "re-censoring needs DCUTDT (or the study's cut-off date)", None
        fit = g_estimate(d.time, d.event, d.experimental, self.on,
                         censor_time=d.censor_time if recensor else None,
                         strata=_strata(d), test=o.rpsftm_test, ties=self.profile.ties,
                         recensor=recensor, interval=o.rpsftm_interval,
                         grid_step=self.grid_step, tolerance=o.rpsftm_tolerance,
                         conf_level=self.profile.conf_level,
                         interval_wanted=self.interval_wanted)
        if fit.psi is None:
            return fit, fit.not_estimable_reason, None
        mask = recensor_mask(d.experimental, d.time, self.on) if recensor else None
        u, ev = counterfactual_times(d.time, d.event, self.on, fit.psi,
                                     d.censor_time if recensor else None, mask)
        t = np.where(d.experimental, d.time, u)
        e = np.where(d.experimental, d.event, ev)
        log_hr, se, reason = _cox_hr(t, e, self.group, self.reference, _strata(d),
                                     self.profile)
        return fit, reason, (log_hr, t, e)

    def ipcw(self):
        from netter.stats.ipcw import ipcw_weights
        from netter.stats.weighted_cox import fit_weighted_cox

        d, o = self.d, self.o
        interval = col.from_days(np.array([o.ipcw_interval_days]), d.unit)[0]
        w = ipcw_weights(d.time, d.event, d.experimental, d.switch_time, d.progression_time,
                         d.covariates, d.covariate_names, interval=float(interval),
                         truncation=o.ipcw_truncation, tolerance=o.glm_tolerance)
        if w.not_estimable_reason is not None:
            return w, None, w.not_estimable_reason
        strata = _strata(d)
        if strata is not None:
            cols = strata if isinstance(strata, list) else [strata]
            strata = np.array(["|".join(map(str, v)) for v in zip(*[c[w.subject] for c in cols],
                                                                     strict=True)])
        fit = fit_weighted_cox(w.stop, w.event, d.experimental[w.subject].astype(float),
                               start=w.start, weights=w.weight, strata=strata,
                               cluster=w.subject, ties=self.profile.ties,
                               tolerance=o.cox_tolerance)
        if fit.coef is None:
            return w, fit, fit.not_estimable_reason
        return w, fit, None

    def tse(self):
        from netter.stats.tse import two_stage

        d, o = self.d, self.o
        if o.recensor and d.censor_time is None:
            return None, "re-censoring needs DCUTDT (or the study's cut-off date)", None
        if not np.isfinite(d.progression_time).any():
            return None, "no progression times (the progression parameter is missing)", None
        fit = two_stage(d.time, d.event, d.experimental, d.switched, d.progression_time,
                        d.covariates, d.covariate_names, distribution=o.tse_distribution,
                        censor_time=d.censor_time, recensor=o.recensor,
                        conf_level=self.profile.conf_level)
        if fit.not_estimable_reason is not None:
            return fit, fit.not_estimable_reason, None
        log_hr, se, reason = _cox_hr(fit.time, fit.event, self.group, self.reference,
                                     _strata(d), self.profile)
        return fit, reason, (log_hr, se)

    def naive(self, kind: str):
        d = self.d
        if kind == "censor":
            t = np.where(d.switched, np.nan_to_num(d.switch_time), d.time)
            e = np.where(d.switched, 0, d.event)
            rows = np.ones(d.n, bool)
        else:
            t, e = d.time, d.event
            rows = ~d.switched
        strata = _strata(d, rows)
        log_hr, se, reason = _cox_hr(t[rows], e[rows], self.group[rows], self.reference,
                                     strata, self.profile)
        _, p = _logrank_z(t[rows], e[rows], self.group[rows], self.experimental, strata)
        n, ev = _counts(self.group[rows], e[rows], self.reference, self.experimental)
        return log_hr, se, reason, p, n, ev


# --- bootstrap --------------------------------------------------------------------------


def _resample(d: CrossoverData, rows: np.ndarray) -> CrossoverData:
    from dataclasses import replace

    return replace(
        d, usubjid=d.usubjid[rows], arm=d.arm[rows], experimental=d.experimental[rows],
        time=d.time[rows], event=d.event[rows], switched=d.switched[rows],
        switch_time=d.switch_time[rows], progression_time=d.progression_time[rows],
        censor_time=None if d.censor_time is None else d.censor_time[rows],
        strata={k: v[rows] for k, v in d.strata.items()}, covariates=d.covariates[rows])


def _bootstrap(d, o, profile, reference, experimental, methods, progress: bool):
    """log HR of each method over ``o.bootstrap`` resamples within arms (NaN: failed)."""
    from tqdm import tqdm

    rng = np.random.default_rng(np.random.SeedSequence(o.seed))
    arms = [np.flatnonzero(d.experimental), np.flatnonzero(~d.experimental)]
    out = {m: np.full(o.bootstrap, np.nan) for m in methods}
    for b in tqdm(range(o.bootstrap), desc="bootstrap", unit="resample", disable=not progress):
        rows = np.concatenate([rng.choice(a, size=a.size, replace=True) for a in arms])
        run = _Run(_resample(d, rows), o, profile, reference, experimental, grid_step=0.05,
                   interval_wanted=False)
        for m in methods:
            try:
                value = _bootstrap_value(run, m)
            except (NetterError, ValueError, np.linalg.LinAlgError):
                value = None
            if value is not None and np.isfinite(value):
                out[m][b] = value
    return out


def _bootstrap_value(run: _Run, method: str) -> float | None:
    if method in ("rpsftm", "rpsftm_no_recensor"):
        _, reason, extra = run.rpsftm(method == "rpsftm")
        return None if extra is None else extra[0]
    if method == "ipcw":
        _, fit, reason = run.ipcw()
        return None if reason is not None else fit.coef[0]
    if method == "tse":
        _, reason, extra = run.tse()
        return None if extra is None else extra[0]
    log_hr, *_ = run.naive(method)
    return log_hr


def _percentile_ci(values: np.ndarray, conf_level: float) -> tuple[tuple, int]:
    ok = values[np.isfinite(values)]
    if ok.size < 2:
        return (None, None), int(ok.size)
    alpha = (1 - conf_level) / 2
    lo, hi = np.quantile(ok, [alpha, 1 - alpha])
    return (float(np.exp(lo)), float(np.exp(hi))), int(ok.size)


# --- the document -----------------------------------------------------------------------


def _terms(names, coef, se) -> tuple[ModelTerm, ...]:
    if coef is None:
        return tuple(ModelTerm(n, None, None) for n in names)
    return tuple(ModelTerm(n, float(c), float(s)) for n, c, s in
                 zip(names, coef, se, strict=True))


def _weights(w, truncation) -> WeightSummary:
    ref = w.weight[w.reference_rows]
    q = np.percentile(ref, [1, 5, 25, 50, 75, 95, 99])
    return WeightSummary(rows=int(ref.size), minimum=float(ref.min()), p1=float(q[0]),
                         p5=float(q[1]), p25=float(q[2]), median=float(q[3]),
                         p75=float(q[4]), p95=float(q[5]), p99=float(q[6]),
                         maximum=float(ref.max()), mean=float(ref.mean()),
                         truncated_rows=int(w.truncated_rows),
                         truncation=None if truncation is None else (float(truncation[0]),
                                                                     float(truncation[1])))


def analyze_crossover(data: AdamData, *, param: str = "OS", reference: str | None,
                      experimental: str | None = None, arm_var: str | None = None,
                      profile: Profile | str = DEFAULT_PROFILE, time_unit: str = "months",
                      options: CrossoverOptions | None = None,
                      methods=None, population_flag: str | None = None,
                      cutoff_date: str | None = None, progress: bool = False,
                      **extra) -> CrossoverDocument:
    """Adjust ``param``'s hazard ratio for switching; see the module notes.

    Parameters
    ----------
    data : AdamData
        Validated ADaM data with ADSL ``XOVERFL``/``XOVERDT``.
    param : str
        The endpoint (``PARAMCD``).
    reference : str
        The reference (control) arm; switchers come from it.
    experimental : str, optional
        The experimental arm (required when the data have more than two arms).
    arm_var : str, optional
        ADSL arm variable (default: the data's).
    profile : Profile or str
        Ties and confidence level.
    time_unit : str
        Unit of the times in the document.
    options : CrossoverOptions, optional
        Methods and their settings; ``methods`` and keyword ``extra`` override its fields.
    population_flag : str, optional
        ADSL population flag.
    cutoff_date : str, optional
        Used where ``DCUTDT`` is missing.
    progress : bool
        Show a progress bar while bootstrapping.

    Returns
    -------
    CrossoverDocument
    """
    from dataclasses import replace

    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    o = options or CrossoverOptions()
    if methods is not None:
        o = replace(o, methods=check_methods(methods))
    if extra:
        o = replace(o, **extra)
    _check_options(o)
    arm_var = arm_var or data.arm_var
    if arm_var not in data.adsl.columns:
        raise NetterError(f"ADSL has no variable {arm_var}")
    arms = sorted(set(data.adsl[arm_var].astype(str)))
    reference, _ = choose_reference(arms, reference)
    others = [a for a in arms if a != reference]
    if experimental is None:
        if len(others) != 1:
            raise NetterError(f"the data have {len(arms)} arms ({', '.join(map(repr, arms))}): "
                              "name the experimental arm (--experimental)")
        experimental = others[0]
    elif experimental not in others:
        raise NetterError(f"experimental arm {experimental!r} is not an arm of the data other "
                          f"than the reference; arms are {', '.join(map(repr, arms))}")
    d = crossover_data(data.adsl, data.adtte, param=param, arm_var=arm_var,
                       reference=reference, experimental=experimental, unit=time_unit,
                       strata=o.strata, covariates=o.covariates,
                       population_flag=population_flag,
                       progression_param=o.progression_param, cutoff_date=cutoff_date)
    run = _Run(d, o, prof, reference, experimental)
    boot = (_bootstrap(d, o, prof, reference, experimental, o.methods, progress)
            if o.bootstrap else {})
    level = f"{prof.conf_level:.0%}"

    def boot_ci(method):
        if not o.bootstrap:
            return None, None
        ci, ok = _percentile_ci(boot[method], prof.conf_level)
        return ci, (f"bootstrap percentile, {ok} of {o.bootstrap} resamples within arms "
                    f"(seed {o.seed})")

    log_hr, se, reason, z_itt, p_itt = run.itt()
    n, ev = _counts(run.group, d.event, reference, experimental)
    itt_hr = (_wald(log_hr, se, run.z, f"Wald {level}, model SE") if log_hr is not None else
              HazardRatio(None, (None, None), f"not estimable: {reason}"))
    itt = IttResult(hazard_ratio=itt_hr, p_value_logrank=p_itt, z_logrank=z_itt, n=n,
                    events=ev)
    results: dict = {}
    curves = {}
    exposure, switch_exposure = _exposure_words(o)
    for key in ("rpsftm", "rpsftm_no_recensor"):
        if key not in o.methods:
            continue
        recensor = o.recensor if key == "rpsftm" else False
        fit, reason, extra_out = run.rpsftm(recensor)
        assumptions = tuple(a.format(exposure=exposure, switch_exposure=switch_exposure)
                            for a in RPSFTM_ASSUMPTIONS) + (
            RECENSOR_NOTE if recensor else NO_RECENSOR_NOTE,)
        hr = None
        if extra_out is not None and extra_out[0] is not None:
            from netter.stats.rpsftm import preserved_p_interval

            lhr = extra_out[0]
            ci = preserved_p_interval(lhr, fit.z_at_zero, prof.conf_level)
            se_pp = abs(lhr) / abs(fit.z_at_zero) if ci is not None else None
            b_ci, b_text = boot_ci(key)
            hr = HazardRatio(
                estimate=float(np.exp(lhr)), ci=ci if ci is not None else (None, None),
                ci_method=(f"{level}, SE set so that the Wald p-value equals the ITT "
                           f"{o.rpsftm_test} p-value (preserved p)" +
                           (f"; {b_text}" if b_text else "")),
                se_log=se_pp, p_value=p_itt if o.rpsftm_test == "logrank" else None,
                bootstrap_ci=b_ci)
            if key == "rpsftm" or "rpsftm" not in o.methods:
                t, e = extra_out[1], extra_out[2]
                from netter.stats.km import kaplan_meier

                ref_rows = ~d.experimental
                curves["reference_rpsftm"] = curve_result(
                    kaplan_meier(t[ref_rows], e[ref_rows], profile=prof))
        results[key] = RpsftmResult(
            label=LABELS["rpsftm"] if recensor else LABELS["rpsftm_no_recensor"],
            psi=None if fit is None or fit.psi is None else Estimate(fit.psi, fit.psi_ci),
            acceleration_factor=None if fit is None else fit.acceleration_factor,
            recensor=recensor, test=o.rpsftm_test, hazard_ratio=hr,
            assumptions=assumptions, roots=() if fit is None else fit.roots,
            interval=o.rpsftm_interval, warnings=() if fit is None else fit.warnings,
            not_estimable_reason=reason if hr is None else None)
    if "ipcw" in o.methods:
        w, fit, reason = run.ipcw()
        hr = None
        if reason is None:
            b_ci, b_text = boot_ci("ipcw")
            hr = _wald(fit.coef[0], fit.se_robust[0], run.z,
                       f"Wald {level}, robust (sandwich) SE clustered by subject" +
                       (f"; {b_text}" if b_text else ""),
                       se_robust=float(fit.se_robust[0]), bootstrap_ci=b_ci)
        warnings = ()
        if w is not None and w.not_estimable_reason is None and reason is None:
            big = float(np.max(w.weight))
            if big > 20:
                warnings = (f"the largest weight is {big:.1f}: consider truncation",)
            elif np.allclose(w.weight, 1.0, rtol=0, atol=1e-12):
                warnings = ("every weight is 1 (the switching model has nothing beyond "
                            "time to explain switching): IPCW equals censoring switchers at "
                            "the switch",)
        results["ipcw"] = IpcwResult(
            label=LABELS["ipcw"], hazard_ratio=hr,
            weights=_weights(w, o.ipcw_truncation) if hr is not None else None,
            denominator_model=() if w is None or w.denominator is None else _terms(
                w.denominator.names, w.denominator.coef, w.denominator.se),
            numerator_model=() if w is None or w.numerator is None else _terms(
                w.numerator.names, w.numerator.coef, w.numerator.se),
            model_rows=w.model_rows if w is not None else "",
            interval=float(col.from_days(np.array([o.ipcw_interval_days]), d.unit)[0]),
            assumptions=IPCW_ASSUMPTIONS, warnings=warnings,
            not_estimable_reason=reason)
    if "tse" in o.methods:
        fit, reason, extra_out = run.tse()
        hr = None
        if extra_out is not None and extra_out[0] is not None:
            b_ci, b_text = boot_ci("tse")
            lhr, se = extra_out
            naive = _wald(lhr, se, run.z, "")
            if b_text:
                hr = HazardRatio(estimate=naive.estimate, ci=b_ci, ci_method=b_text,
                                 se_log=None, bootstrap_ci=b_ci)
            else:
                hr = HazardRatio(estimate=naive.estimate, ci=naive.ci,
                                 ci_method=f"Wald {level}, naive model SE: it ignores the "
                                 "uncertainty of stage 1 (use --bootstrap)",
                                 se_log=naive.se_log)
        aft = None if fit is None else fit.aft
        stage1_terms = () if aft is None or aft.coef is None else _terms(
            aft.names, aft.coef, aft.se)
        results["tse"] = TseResult(
            label=LABELS["tse"],
            acceleration_factor=None if fit is None or fit.af is None else Estimate(
                fit.af, fit.af_ci),
            distribution=o.tse_distribution, recensor=o.recensor, hazard_ratio=hr,
            stage1_model=stage1_terms,
            stage1_n=0 if fit is None else int(fit.population.sum()),
            stage1_events=0 if fit is None else int(d.event[fit.population].sum()),
            assumptions=tuple(a.format(distribution=o.tse_distribution)
                              for a in TSE_ASSUMPTIONS) + (
                "re-censoring at C* = P + (C - P) min(1, 1/AF) among progressed reference-"
                "arm patients" if o.recensor else "no re-censoring",),
            warnings=_tse_warnings(d) if hr is not None else (),
            not_estimable_reason=reason if hr is None else None)
    for key, assumptions in (("censor", CENSOR_ASSUMPTIONS), ("exclude", EXCLUDE_ASSUMPTIONS)):
        if key not in o.methods:
            continue
        lhr, se, reason, p, n_k, ev_k = run.naive(key)
        b_ci, b_text = boot_ci(key)
        hr = (_wald(lhr, se, run.z, f"Wald {level}, model SE" +
                    (f"; {b_text}" if b_text else ""), p_value=p, bootstrap_ci=b_ci)
              if lhr is not None else None)
        results[key] = NaiveResult(label=LABELS[key], hazard_ratio=hr, p_value_logrank=p,
                                   n=n_k, events=ev_k, assumptions=assumptions,
                                   not_estimable_reason=reason if hr is None else None)
    from netter.stats.km import kaplan_meier

    for name, rows in (("experimental", d.experimental), ("reference", ~d.experimental)):
        curves[name] = curve_result(kaplan_meier(d.time[rows], d.event[rows], profile=prof))
    ordered = {k: curves[k] for k in ("experimental", "reference", "reference_rpsftm")
               if k in curves}
    settings = CrossoverSettings(
        profile=prof.name, ties=prof.ties, conf_level=prof.conf_level, time_unit=time_unit,
        strata=tuple(o.strata), covariates=tuple(d.covariate_names),
        exposure_experimental=o.exposure_experimental, exposure_switch=o.exposure_switch,
        censor_time="; ".join(n for n in d.notes if "censoring" in n or "DCUTDT" in n),
        rpsftm_test=o.rpsftm_test, rpsftm_interval=tuple(o.rpsftm_interval),
        rpsftm_tolerance=o.rpsftm_tolerance,
        ipcw_interval=float(col.from_days(np.array([o.ipcw_interval_days]), time_unit)[0]),
        ipcw_truncation=None if o.ipcw_truncation is None else tuple(o.ipcw_truncation),
        tse_distribution=o.tse_distribution,
        progression="; ".join(n for n in d.notes if n.startswith(("progression", "no "))),
        bootstrap=o.bootstrap, seed=o.seed, glm_tolerance=o.glm_tolerance,
        cox_tolerance=o.cox_tolerance)
    datasets = [k for k in ("adsl", "adtte") if k in data.files]
    return CrossoverDocument(
        schema=SCHEMA, generator=f"netter {__version__}", param=param, arm_var=arm_var,
        reference=reference, experimental=experimental,
        n_switchers=int(d.switched.sum()), n=n, settings=settings, itt=itt,
        methods=CrossoverMethods(**results), inputs=input_files(data, datasets),
        curves=ordered)


def _tse_warnings(d: CrossoverData) -> tuple[str, ...]:
    odd = d.switched & ~(np.isfinite(d.progression_time) &
                         (d.progression_time <= np.nan_to_num(d.switch_time, nan=np.inf)))
    if odd.any():
        return (f"{int(odd.sum())} switcher(s) without a progression before the switch keep "
                "their observed times in stage 2",)
    return ()


def empty_crossover(param: str, arm_var: str, reference: str, profile: Profile | str,
                    time_unit: str, reason: str) -> CrossoverDocument:
    """The document of a crossover analysis the data cannot give at all (``reason``).

    Examples
    --------
    >>> doc = empty_crossover("OS", "TRT01P", "Placebo", "r", "months", "no XOVERFL")
    >>> doc.not_computable, doc.itt.hazard_ratio.estimate
    ({'analysis': 'no XOVERFL'}, None)
    """
    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    o = CrossoverOptions()
    settings = CrossoverSettings(
        profile=prof.name, ties=prof.ties, conf_level=prof.conf_level, time_unit=time_unit,
        strata=(), covariates=(), exposure_experimental=o.exposure_experimental,
        exposure_switch=o.exposure_switch, censor_time="", rpsftm_test=o.rpsftm_test,
        rpsftm_interval=o.rpsftm_interval, rpsftm_tolerance=o.rpsftm_tolerance,
        ipcw_interval=float(col.from_days(np.array([o.ipcw_interval_days]), time_unit)[0]),
        ipcw_truncation=None, tse_distribution=o.tse_distribution, progression="",
        bootstrap=0, seed=None, glm_tolerance=o.glm_tolerance, cox_tolerance=o.cox_tolerance)
    itt = IttResult(HazardRatio(None, (None, None), f"not computable: {reason}"), None, None,
                    {}, {})
    return CrossoverDocument(
        schema=SCHEMA, generator=f"netter {__version__}", param=param, arm_var=arm_var,
        reference=reference, experimental="", n_switchers=0, n={}, settings=settings,
        itt=itt, methods=CrossoverMethods(), inputs={}, not_computable={"analysis": reason})
