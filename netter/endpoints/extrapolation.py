"""Parametric survival fits, extrapolation and partitioned survival of endpoints.

:func:`analyze_extrapolation` is what ``netter extrapolate`` runs: for each endpoint it
derives the times (:func:`netter.adam.tte.derive_tte`), fits each distribution per arm
(:func:`netter.stats.parametric.fit_parametric`) and, when asked, jointly with one
indicator per non-reference arm on the location parameter; extrapolates each fit to the
horizon (:func:`netter.stats.extrapolation.extrapolate`), compares its restricted mean
within follow-up with the Kaplan-Meier one (:func:`netter.stats.rmst.rmst`), and, from a
chosen PFS and OS model, computes the partitioned-survival state occupancy.

How the likelihood is maximised comes from the profile (:data:`FIT_CONTROLS`; Newton
at relative tolerance 1e-10, 200 iterations, for both profiles) unless the caller
passes a :class:`~netter.stats.parametric.FitControl`.

Examples
--------
>>> from netter.adam.io import load_adam
>>> doc = analyze_extrapolation(load_adam("tests/reference/data/immdef"), params=("OS",),
...                             reference="Deferred", time_unit="years",
...                             distributions=("exponential", "weibull"), horizon=20)
>>> sorted(doc.endpoints["OS"].arms), doc.settings.bic_n
(['Deferred', 'Immediate'], 'subjects')
"""

from __future__ import annotations

import math

import numpy as np

from netter import __version__
from netter.adam.io import AdamData
from netter.adam.tte import derive_tte
from netter.endpoints.arms import curve_result
from netter.endpoints.trial import choose_reference, input_files, param_label
from netter.errors import NetterError, SurvivalDataError
from netter.profiles import DEFAULT_PROFILE, Profile, get_profile
from netter.results.extrapolation import (
    SCHEMA,
    ArmExtrapolation,
    ArmModel,
    EmpiricalHazard,
    EndpointExtrapolation,
    ExtrapolationDocument,
    ExtrapolationSettings,
    FitRecord,
    JointModel,
    ModelCurve,
    ParameterResult,
    PartitionedSurvivalResult,
    Prediction,
    StateOccupancy,
)
from netter.stats.extrapolation import extrapolate, partitioned_survival, restricted_mean
from netter.stats.km import kaplan_meier
from netter.stats.parametric import (
    DISTRIBUTIONS,
    LABELS,
    FitControl,
    fit_parametric,
    min_events,
)
from netter.stats.rmst import rmst

#: Fitting choices of each profile.
FIT_CONTROLS = {"r": FitControl("newton", 1e-10, 200), "sas": FitControl("newton", 1e-10, 200),
                "lifelines": FitControl("newton", 1e-10, 200)}


def check_distributions(names) -> tuple[str, ...]:
    """Validate ``--dists``.

    >>> check_distributions(["weibull", "spline2"])
    ('weibull', 'spline2')
    """
    bad = [n for n in names if n not in DISTRIBUTIONS]
    if bad or not names:
        raise NetterError(f"unknown distribution(s) {', '.join(map(repr, bad)) or '(none)'}; "
                          f"choose from {','.join(DISTRIBUTIONS)}")
    return tuple(dict.fromkeys(names))


def smoothed_hazard(time, event, n_points: int = 100) -> EmpiricalHazard:
    """Epanechnikov-smoothed Nelson-Aalen increments, bandwidth = follow-up / 8.

    >>> h = smoothed_hazard([1, 2, 3, 4, 5, 6, 7, 8], [1] * 8, n_points=3)
    >>> h.bandwidth, len(h.time)
    (1.0, 3)
    """
    t, e = np.asarray(time, float), np.asarray(event, bool)
    ev_times = np.unique(t[e])
    d = np.array([np.sum((t == u) & e) for u in ev_times])
    y = np.array([np.sum(t >= u) for u in ev_times])
    inc = d / y
    b = float(t.max()) / 8
    g = np.linspace(b, t.max() - b, n_points)
    u = (g[:, None] - ev_times[None, :]) / b
    k = np.where(np.abs(u) < 1, 0.75 * (1 - u * u), 0.0)
    return EmpiricalHazard(time=tuple(float(v) for v in g),
                           hazard=tuple(float(v) for v in (k @ inc) / b), bandwidth=b)


def _fit_record(fit, rank_aic: int, rank_bic: int) -> FitRecord:
    return FitRecord(
        distribution=fit.distribution, label=LABELS[fit.distribution],
        parameters=tuple(ParameterResult(p.name, p.estimate, p.se, (p.lower, p.upper))
                         for p in fit.parameters),
        loglik=fit.loglik, aic=fit.aic, bic=fit.bic, n_parameters=fit.n_parameters,
        n=fit.n, events=fit.events, converged=fit.converged, engine=fit.engine,
        knots=fit.knots, rank_aic=rank_aic, rank_bic=rank_bic)


def _ranks(values) -> list[int]:
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    ranks = [0] * len(values)
    for r, i in enumerate(order, 1):
        ranks[i] = r
    return ranks


def _prediction(fit, x, *, horizon, step, conf_level, bootstrap, seed, progress,
                follow_up, km_rmst) -> Prediction:
    ex = extrapolate(fit, horizon=horizon, step=step, conf_level=conf_level, x=x,
                     bootstrap=bootstrap, seed=seed, progress=progress)
    within, _ = restricted_mean(fit, follow_up, x)
    return Prediction(
        restricted_mean=ex.restricted_mean, restricted_mean_se=ex.restricted_mean_se,
        mean=ex.mean, rmst_follow_up=within, km_rmst_follow_up=km_rmst,
        difference_from_km=within - km_rmst,
        curve=ModelCurve(ex.times, ex.survival, ex.lower, ex.upper, ex.hazard, ex.ci_method))


def _fit(time, event, x, names, dist, control, conf_level, knots, param, arm):
    need = min_events(dist, 0 if x is None else x.shape[1])
    if int(np.sum(event)) < need:
        raise NetterError(
            f"{param}, arm {arm!r}: too few events to fit {dist} ({int(np.sum(event))} "
            f"events, at least {need} needed); leave it out of --dists")
    log_knots = None
    if knots is not None and dist.startswith("spline"):
        k = int(dist[6:])
        if len(knots) != k:
            raise NetterError(f"{dist} needs {k} internal knots; --knots gives {len(knots)}")
        lt = np.log(time[event.astype(bool)])
        log_knots = (float(lt.min()), *(math.log(v) for v in knots), float(lt.max()))
    try:
        return fit_parametric(time, event, x, distribution=dist, control=control,
                              names=names, knots=log_knots, conf_level=conf_level)
    except SurvivalDataError as err:
        raise NetterError(f"{param}, arm {arm!r}: {err}") from None


def analyze_extrapolation(
        data: AdamData, *, params=("OS",), reference: str | None = None,
        arm_var: str | None = None, distributions=DISTRIBUTIONS, horizon: float = 240.0,
        grid_step: float = 1.0, joint: bool = False, bootstrap: int = 0,
        seed: int | None = None, profile: Profile | str = DEFAULT_PROFILE,
        control: FitControl | None = None, time_unit: str = "months",
        knots=None, psm: tuple[str, str, str, str] | None = None,
        population_flag: str | None = None, progress: bool = False,
) -> ExtrapolationDocument:
    """Fit, extrapolate and (optionally) partition survival; see the module notes.

    Parameters
    ----------
    data : AdamData
    params : sequence of str
        Endpoints (``PARAMCD``) to fit.
    reference : str, optional
        Reference arm (default: netter's rule, :func:`choose_reference`).
    distributions : sequence of str
        From :data:`netter.stats.parametric.DISTRIBUTIONS`.
    horizon, grid_step : float
        Extrapolation horizon and grid step (``time_unit``); the horizon must not be
        shorter than the longest follow-up.
    joint : bool
        Also fit each distribution to all arms with the arm as covariate.
    bootstrap, seed : int
        Simulated pointwise intervals (0: delta method).
    control : FitControl, optional
        Overrides the profile's :data:`FIT_CONTROLS`.
    knots : sequence of float, optional
        Internal spline knots (``time_unit``) replacing the default centiles; must lie
        within the event times of every arm.
    psm : (pfs_param, os_param, pfs_distribution, os_distribution), optional
        Partitioned survival from these models (fitted per arm).

    Returns
    -------
    ExtrapolationDocument
    """
    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    ctl = control or FIT_CONTROLS[prof.preset]
    dists = check_distributions(distributions)
    if bootstrap and seed is None:
        raise NetterError("--bootstrap needs --seed")
    arm_var = arm_var or data.arm_var
    params = asked = tuple(dict.fromkeys(params))
    if psm is not None:
        params = tuple(dict.fromkeys((*params, psm[0], psm[1])))
        check_distributions([psm[2], psm[3]])
    known = set(data.adtte["PARAMCD"].astype(str))
    for p in params:
        if p not in known:
            raise NetterError(f"ADTTE has no PARAMCD {p!r}; it has {', '.join(sorted(known))}")
    flag = population_flag
    endpoints: dict[str, EndpointExtrapolation] = {}
    ref = None
    arms: tuple[str, ...] = ()
    per_arm_fits: dict[tuple[str, str, str], object] = {}
    for param in params:
        tte = derive_tte(data.adsl, data.adtte, paramcd=param, arm_var=arm_var,
                         population_flag=flag, unit=time_unit)
        arms = tuple(tte.arms)
        ref, _ = choose_reference(list(arms), reference)
        follow_all = float(tte.time.max())
        if horizon < follow_all:
            raise NetterError(
                f"the horizon ({horizon:g} {time_unit}) is shorter than the follow-up of "
                f"{param} ({follow_all:.4g} {time_unit})")
        fit_dists = dists if param in asked else ()
        if psm is not None and param == psm[0]:
            fit_dists = tuple(dict.fromkeys((*fit_dists, psm[2])))
        if psm is not None and param == psm[1]:
            fit_dists = tuple(dict.fromkeys((*fit_dists, psm[3])))
        arm_results = {}
        for arm in arms:
            m = tte.arm == arm
            t, e = tte.time[m], tte.event[m].astype(int)
            if np.any(t <= 0):
                raise NetterError(f"{param}, arm {arm!r}: {int(np.sum(t <= 0))} times are 0; "
                                  "parametric models need times > 0")
            follow = float(t.max())
            km_rm = rmst(t, e, tau=follow, profile=prof).estimate
            fits = {d: _fit(t, e, None, None, d, ctl, prof.conf_level, knots, param, arm)
                    for d in fit_dists}
            ra, rb = _ranks([f.aic for f in fits.values()]), _ranks([f.bic for f in fits.values()])
            models = {}
            for i, (d, f) in enumerate(fits.items()):
                per_arm_fits[(param, arm, d)] = f
                models[d] = ArmModel(_fit_record(f, ra[i], rb[i]), _prediction(
                    f, None, horizon=horizon, step=grid_step, conf_level=prof.conf_level,
                    bootstrap=bootstrap, seed=seed, progress=progress, follow_up=follow,
                    km_rmst=km_rm))
            arm_results[arm] = ArmExtrapolation(
                n=int(t.size), events=int(e.sum()), follow_up=follow,
                km=curve_result(kaplan_meier(t, e, profile=prof)),
                empirical_hazard=smoothed_hazard(t, e), models=models)
        joint_models, cov_names = None, None
        if joint:
            others = [a for a in arms if a != ref]
            x = np.column_stack([(tte.arm == a).astype(float) for a in others])
            cov_names = tuple(f"arm: {a}" for a in others)
            fits = {d: _fit(tte.time, tte.event.astype(int), x, cov_names, d, ctl,
                            prof.conf_level, knots, param, "all arms") for d in dists}
            ra, rb = _ranks([f.aic for f in fits.values()]), _ranks([f.bic for f in fits.values()])
            joint_models = {}
            for i, (d, f) in enumerate(fits.items()):
                preds = {}
                for arm in arms:
                    row = np.array([1.0 if a == arm else 0.0 for a in others])
                    m = tte.arm == arm
                    t, e = tte.time[m], tte.event[m].astype(int)
                    follow = float(t.max())
                    preds[arm] = _prediction(
                        f, row, horizon=horizon, step=grid_step, conf_level=prof.conf_level,
                        bootstrap=bootstrap, seed=seed, progress=progress, follow_up=follow,
                        km_rmst=rmst(t, e, tau=follow, profile=prof).estimate)
                joint_models[d] = JointModel(_fit_record(f, ra[i], rb[i]), preds)
        endpoints[param] = EndpointExtrapolation(
            param=param, arms=arm_results, joint=joint_models, joint_covariates=cov_names,
            label=param_label(data.adtte, param))
    psm_result = None
    if psm is not None:
        pfs_p, os_p, pfs_d, os_d = psm
        occ = {}
        for arm in arms:
            pf = endpoints[pfs_p].arms[arm].models[pfs_d].prediction.curve
            os_c = endpoints[os_p].arms[arm].models[os_d].prediction.curve
            r = partitioned_survival(pf.time, pf.survival, os_c.survival)
            occ[arm] = StateOccupancy(pfs_d, os_d, r.times, r.progression_free, r.progressed,
                                      r.dead, r.mean_progression_free, r.mean_progressed,
                                      r.mean_dead, r.clipped_times, r.clipped_max)
        psm_result = PartitionedSurvivalResult(pfs_p, os_p, occ)
    ci = (f"simulation from the estimates' normal distribution ({bootstrap} draws, seed "
          f"{seed})" if bootstrap else "delta method on log(-log S)")
    return ExtrapolationDocument(
        schema=SCHEMA, generator=f"netter {__version__}", arm_var=arm_var, reference=ref,
        arms=arms,
        settings=ExtrapolationSettings(
            profile=prof.name, conf_level=prof.conf_level, time_unit=time_unit,
            horizon=float(horizon), grid_step=float(grid_step), distributions=dists,
            joint=joint, optimiser=ctl.method, tolerance=ctl.tolerance,
            max_iter=ctl.max_iter, bic_n="subjects", ci_method=ci, bootstrap=bootstrap,
            seed=seed, knots=None if knots is None else tuple(float(k) for k in knots)),
        endpoints=endpoints, inputs=input_files(data), partitioned_survival=psm_result)


def empty_extrapolation(arm_var: str, reference: str, profile: Profile | str,
                        time_unit: str, horizon: float, reason: str
                        ) -> ExtrapolationDocument:
    """The document of an extrapolation analysis the data cannot give at all.

    Examples
    --------
    >>> doc = empty_extrapolation("TRT01P", "Placebo", "r", "months", 240.0, "no OS")
    >>> doc.not_computable, doc.endpoints
    ({'analysis': 'no OS'}, {})
    """
    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    ctl = FIT_CONTROLS[prof.preset]
    settings = ExtrapolationSettings(
        profile=prof.name, conf_level=prof.conf_level, time_unit=time_unit,
        horizon=float(horizon), grid_step=1.0, distributions=(), joint=False,
        optimiser=ctl.method, tolerance=ctl.tolerance, max_iter=ctl.max_iter,
        bic_n="subjects", ci_method="", bootstrap=0, seed=None)
    return ExtrapolationDocument(
        schema=SCHEMA, generator=f"netter {__version__}", arm_var=arm_var,
        reference=reference, arms=(), settings=settings, endpoints={}, inputs={},
        not_computable={"analysis": reason})
