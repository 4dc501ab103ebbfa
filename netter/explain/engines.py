"""lifelines and statsmodels run live, each at its defaults, on an explainer's input.

Each function returns the statistics of :func:`netter.explain.compute.statistics` as
that library gives them when called the way its documentation shows, at its default
settings (a 95% level: lifelines ``alpha=0.05``, statsmodels ``alpha=0.05``).  A
statistic the library does not compute is :data:`~netter.explain.compute.NA`; "not
reached" (lifelines' and statsmodels' ``inf``/``nan``) is ``None``, as in netter.

What is read, and from where
----------------------------
lifelines
    ``KaplanMeierFitter().fit(t, e)``: ``median_survival_time_``, the median CI by
    ``median_survival_times(confidence_interval_)``, S(t) by
    ``survival_function_at_times`` with the CI row of
    ``confidence_interval_survival_function_`` at or before t;
    ``restricted_mean_survival_time(kmf, t=tau, return_variance=True)`` (the SE shown is
    the square root of that variance); ``statistics.logrank_test``; ``CoxPHFitter().fit``
    (``exp(coef)`` and its CI, ``p``, ``log_likelihood_ratio_test()``).  No score test,
    RMST difference, response rate or odds ratio.
statsmodels
    ``SurvfuncRight(t, e)``: ``quantile(0.5)``, ``quantile_ci(0.5)``, S(t) read off its
    step curve (no pointwise CI: statsmodels gives simultaneous bands only);
    ``survdiff``; ``PHReg(t, x, status=e).fit()`` (``exp(params)``, ``conf_int()``,
    ``pvalues``); ``proportion_confint(x, n)``; ``Table2x2(table).oddsratio`` and
    ``oddsratio_confint()``.  No RMST, no Cox likelihood-ratio or score test.

Warnings the libraries raise (e.g. lifelines' ``IntegrationWarning`` from its RMST
variance) are collected, not printed: :func:`engine_values` returns them as notes.
"""

from __future__ import annotations

import warnings

import numpy as np

from netter.explain.compute import NA, Statistic, finite, statistics  # noqa: F401 (doctest)
from netter.explain.inputs import ExplainInput

#: The live engines, in display order.
ENGINES = ("lifelines", "statsmodels")


def _step(times: np.ndarray, values: np.ndarray, t: float, start: float = 1.0):
    """A right-continuous step curve (``start`` before its first time) read at ``t``."""
    i = int(np.searchsorted(times, t, side="right")) - 1
    return start if i < 0 else values[i]


def _lifelines(inp: ExplainInput) -> dict:
    import pandas as pd
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import logrank_test
    from lifelines.utils import median_survival_times, restricted_mean_survival_time

    out: dict = {}
    for arm in inp.arms:
        kmf = KaplanMeierFitter().fit(inp.time[arm], inp.event[arm])
        median_ci = median_survival_times(kmf.confidence_interval_).to_numpy()[0]
        out[("median", arm)] = kmf.median_survival_time_
        out[("median_lower", arm)], out[("median_upper", arm)] = median_ci
        ci = kmf.confidence_interval_survival_function_
        for t in inp.landmarks:
            name = f"survival_at_{t:g}"
            out[(name, arm)] = float(kmf.survival_function_at_times(t).iloc[0])
            row = ci.loc[:t].iloc[-1].to_numpy()
            out[(name + "_lower", arm)], out[(name + "_upper", arm)] = row
        mean, variance = restricted_mean_survival_time(kmf, t=inp.tau, return_variance=True)
        out[("rmst", arm)], out[("rmst_se", arm)] = mean, np.sqrt(variance)
    for arm in inp.others:
        group = inp.comparison(arm)
        ref = inp.reference
        lr = logrank_test(inp.time[arm], inp.time[ref], inp.event[arm], inp.event[ref])
        out[("logrank_chisq", group)], out[("logrank_p", group)] = lr.test_statistic, lr.p_value
        time, event, labels = inp.pair(arm)
        frame = pd.DataFrame({"T": time, "E": event, "x": (labels == arm).astype(float)})
        cph = CoxPHFitter().fit(frame, "T", "E")
        row = cph.summary.iloc[0]
        out[("hazard_ratio", group)] = row["exp(coef)"]
        out[("hazard_ratio_lower", group)] = row["exp(coef) lower 95%"]
        out[("hazard_ratio_upper", group)] = row["exp(coef) upper 95%"]
        out[("wald_p", group)] = row["p"]
        llr = cph.log_likelihood_ratio_test()
        out[("lr_chisq", group)], out[("lr_p", group)] = llr.test_statistic, llr.p_value
    return out


def _statsmodels(inp: ExplainInput) -> dict:
    from statsmodels.duration.hazard_regression import PHReg
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff
    from statsmodels.stats.contingency_tables import Table2x2
    from statsmodels.stats.proportion import proportion_confint

    out: dict = {}
    for arm in inp.arms:
        sf = SurvfuncRight(inp.time[arm], inp.event[arm])
        out[("median", arm)] = sf.quantile(0.5)
        with np.errstate(divide="ignore", invalid="ignore"):  # g(S) at S = 0 or 1
            out[("median_lower", arm)], out[("median_upper", arm)] = sf.quantile_ci(0.5)
        for t in inp.landmarks:
            out[(f"survival_at_{t:g}", arm)] = _step(sf.surv_times, sf.surv_prob, t)
        if inp.responders is not None:
            x, n = inp.responders[arm]
            out[("orr", arm)] = x / n
            out[("orr_lower", arm)], out[("orr_upper", arm)] = proportion_confint(x, n)
    for arm in inp.others:
        group = inp.comparison(arm)
        time, event, labels = inp.pair(arm)
        chisq, p = survdiff(time, event, labels)
        out[("logrank_chisq", group)], out[("logrank_p", group)] = chisq, p
        fit = PHReg(time, (labels == arm).astype(float)[:, None], status=event).fit(disp=False)
        out[("hazard_ratio", group)] = np.exp(fit.params[0])
        out[("hazard_ratio_lower", group)], out[("hazard_ratio_upper", group)] = \
            np.exp(fit.conf_int()[0])
        out[("wald_p", group)] = fit.pvalues[0]
        if inp.responders is not None:
            (x1, n1), (x2, n2) = inp.responders[arm], inp.responders[inp.reference]
            table = Table2x2(np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float))
            out[("odds_ratio", group)] = table.oddsratio
            out[("odds_ratio_lower", group)], out[("odds_ratio_upper", group)] = \
                table.oddsratio_confint()
    return out


_RUNNERS = {"lifelines": _lifelines, "statsmodels": _statsmodels}


def engine_values(inp: ExplainInput, engine: str) -> tuple[dict, tuple[str, ...]]:
    """The statistics of ``inp`` from one live engine, and the warnings it raised.

    Parameters
    ----------
    inp : ExplainInput
    engine : str
        ``"lifelines"`` or ``"statsmodels"``.

    Returns
    -------
    (dict, tuple of str)
        :class:`~netter.explain.compute.Statistic` to float, ``None`` or ``NA``; and
        the distinct warnings (``"Category: first line"``), sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from netter.explain.inputs import ExplainInput
    >>> inp = ExplainInput("PFS", "months", "TRT01P", ("Drug A", "Placebo"), "Placebo",
    ...                    {"Drug A": np.array([2.0, 4, 6, 8, 10]),
    ...                     "Placebo": np.array([1.0, 2, 3, 5, 7])},
    ...                    {"Drug A": np.array([1, 0, 1, 1, 0]),
    ...                     "Placebo": np.array([1, 1, 1, 0, 1])}, (4.0,), 6.0, None)
    >>> values, notes = engine_values(inp, "statsmodels")
    >>> values[Statistic("median", "", "Placebo")], values[Statistic("rmst", "", "Placebo")]
    (3.0, 'n/a')
    """
    if engine not in _RUNNERS:
        raise ValueError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = _RUNNERS[engine](inp)
    notes = sorted({f"{w.category.__name__}: {str(w.message).strip().splitlines()[0]}"
                    for w in caught})
    values = {}
    for stat in statistics(inp):
        key = (stat.name, stat.group)
        values[stat] = finite(raw[key]) if key in raw else NA
    return values, tuple(notes)
