"""Operating characteristics of a design run: power, HR distribution, medians and their bias.

For each scenario, cut-off and endpoint, over the run's trials:

* ``power``: share of trials whose stratified log-rank two-sided p-value is below
  ``alpha`` (the type I error when the scenario has no treatment effect), with its Monte
  Carlo SE ``sqrt(p (1 - p) / N)`` and 95% Monte Carlo interval (normal, clipped to
  [0, 1]); ``favouring``: the share that also have HR < 1;
* ``log_hr``: mean, SD and quantiles of the stratified Cox log hazard ratio over the
  trials where it is estimable, and how many are not;
* ``events`` and ``n``: mean, SD, min and max;
* per arm, the Kaplan-Meier median, each landmark survival and the RMST (when an analysis
  of the endpoint declares one): mean, SD, 2.5/50/97.5% quantiles and not-estimable
  count, with the truth and the bias (mean estimate - truth) where the simulator knows it;
* per cut-off (``response``), the objective response rate of each arm (confirmed best
  overall response CR or PR, RECIST 1.1) and the difference between the arms.

The truth of a median or landmark is that of the latent times the simulator drew, before
any censoring or scan schedule: the pooled latent times of every subject of the
scenario's trials (progression or death for PFS, death for OS, the deterioration for
TTDGHS).  The bias of the median is then what interval censoring by the scans, loss to
follow-up and the cut-off do to the Kaplan-Meier median.  No truth is given for the hazard
ratio: the simulator's hazards are piecewise and covariate-adjusted, so no single
marginal hazard ratio is the truth of a Cox estimate.

Examples
--------
>>> stats = distribution(np.array([1.0, 2.0, np.nan, 4.0]))
>>> stats["mean"], stats["not_estimable"], stats["q50"]
(2.3333333333333335, 1, 2.0)
"""

from __future__ import annotations

import math

import numpy as np

#: Sample quantile definition (Hyndman-Fan type 7, R's ``quantile()`` default): linear
#: interpolation between order statistics.
QUANTILE_METHOD = "linear"
#: Quantiles reported for every distribution, by their key.
QUANTILES = {"q025": 0.025, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q975": 0.975}


def _number(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def distribution(values: np.ndarray) -> dict:
    """Mean, SD (n - 1), quantiles and not-estimable count of ``values`` (NaN = not estimable).

    Examples
    --------
    >>> distribution(np.array([np.nan]))["mean"] is None
    True
    """
    values = np.asarray(values, float)
    finite = values[np.isfinite(values)]
    out = {"mean": None, "sd": None, **dict.fromkeys(QUANTILES),
           "not_estimable": int(len(values) - len(finite))}
    if len(finite):
        out["mean"] = _number(finite.mean())
        out["sd"] = _number(finite.std(ddof=1)) if len(finite) > 1 else None
        for key, v in zip(QUANTILES, np.quantile(finite, list(QUANTILES.values()),
                                                 method=QUANTILE_METHOD), strict=True):
            out[key] = _number(v)
    return out


def _counts(values: np.ndarray) -> dict:
    values = np.asarray(values, float)
    return {"mean": _number(values.mean()),
            "sd": _number(values.std(ddof=1)) if len(values) > 1 else None,
            "min": _number(values.min()), "max": _number(values.max())}


def _with_truth(stats: dict, truth: float | None) -> dict:
    stats = dict(stats)
    stats["truth"] = truth
    stats["bias"] = (None if truth is None or stats["mean"] is None
                     else _number(stats["mean"] - truth))
    return stats


def latent_median(times: np.ndarray) -> float | None:
    """Median of latent times (``inf`` = never); ``None`` when half never have the event.

    Examples
    --------
    >>> latent_median(np.array([1.0, 2.0, 3.0, np.inf]))
    2.5
    >>> latent_median(np.array([1.0, np.inf, np.inf])) is None
    True
    """
    times = np.sort(np.asarray(times, float))
    if not len(times):
        return None
    middle = (len(times) - 1) / 2.0          # QUANTILE_METHOD, with inf allowed
    low, high = times[math.floor(middle)], times[math.ceil(middle)]
    if not math.isfinite(high):
        return None
    return float(low + (high - low) * (middle - math.floor(middle)))


def summarize(run, *, alpha: float = 0.05) -> list[dict]:
    """One entry per scenario: its name, overrides and results per cut-off and endpoint.

    Parameters
    ----------
    run : DesignRun
    alpha : float
        Two-sided significance level of the log-rank test.

    Returns
    -------
    list of dict
    """
    from netter.adam import columns as col
    from netter.stats.distributions import normal_quantile

    z = float(normal_quantile(0.975))   # 95% Monte Carlo interval of the power
    spec = run.spec
    scale = col.from_days(col.to_days(1.0, "MONTHS"), spec.time_unit)   # months -> unit
    n_cut, n_par = len(spec.cutoffs), len(spec.params)
    per_trial = n_cut * n_par
    out = []
    for i, scenario in enumerate(run.scenarios):
        block = slice(i * run.n_trials * per_trial, (i + 1) * run.n_trials * per_trial)
        rows = {k: v[block] for k, v in run.rows.items()}
        results = []
        for c, (cut_name, cut_date) in enumerate(spec.cutoffs):
            for j, param in enumerate(spec.params):
                pick = slice(c * n_par + j, None, per_trial)
                p = rows["logrank_p"][pick]
                hr = rows["hazard_ratio"][pick]
                rejected = np.isfinite(p) & (p < alpha)
                power = float(rejected.mean())
                mcse = math.sqrt(power * (1.0 - power) / run.n_trials)
                latent = run.latent[i][param]
                entry = {
                    "cutoff": cut_name, "date": cut_date.isoformat(), "param": param,
                    "n": _counts(rows["n"][pick]), "events": _counts(rows["events"][pick]),
                    "power": power,
                    "power_mcse": mcse,
                    "power_ci": [max(0.0, power - z * mcse), min(1.0, power + z * mcse)],
                    "favouring": float((rejected & (hr < 1.0)).mean()),
                    "logrank_not_estimable": int((~np.isfinite(p)).sum()),
                    "log_hr": distribution(np.log(hr)),
                    "median": {}, "landmarks": [], "rmst": None,
                }
                for a, code in enumerate(spec.arm_codes):
                    truth = latent_median(latent[a])
                    entry["median"][code] = _with_truth(
                        distribution(rows["median"][pick][:, a]),
                        None if truth is None else truth * scale)
                survival = run.landmarks[i][(c, param)]
                for t, time in enumerate(spec.landmarks[param]):
                    item = {"time": time}
                    for a, code in enumerate(spec.arm_codes):
                        truth = float(np.mean(latent[a] * scale > time)) if len(latent[a]) \
                            else None
                        item[code] = _with_truth(distribution(survival[:, a, t]), truth)
                    entry["landmarks"].append(item)
                if param in spec.rmst_tau:
                    tau = spec.rmst_tau[param]
                    entry["rmst"] = {"tau": tau, **{
                        code: _with_truth(
                            distribution(rows["rmst"][pick][:, a]),
                            float(np.mean(np.minimum(latent[a] * scale, tau)))
                            if len(latent[a]) else None)
                        for a, code in enumerate(spec.arm_codes)}}
                results.append(entry)
        response = []
        for c, (cut_name, cut_date) in enumerate(spec.cutoffs):
            rates = run.responses[i][c]
            response.append({"cutoff": cut_name, "date": cut_date.isoformat(),
                             **{code: distribution(rates[:, a])
                                for a, code in enumerate(spec.arm_codes)},
                             "difference": distribution(rates[:, 0] - rates[:, 1])})
        out.append({"name": scenario.name, "overrides": dict(scenario.overrides),
                    "results": results, "response": response})
    return out
