"""The statistics the explainer shows, and their values under a netter profile.

A statistic is a :class:`Statistic` (a name, a label, the arm or comparison it belongs
to); :func:`statistics` lists those of an :class:`~netter.explain.inputs.ExplainInput`
in display order and :func:`netter_values` computes every one of them with netter under
one :class:`~netter.profiles.Profile` (any preset, any option flipped).  A value is a
float, ``None`` (not reached or not estimable) or :data:`NA` (the engine does not give
this statistic).

Examples
--------
>>> import numpy as np
>>> from netter.explain.inputs import ExplainInput
>>> inp = ExplainInput(param="PFS", unit="months", arm_var="TRT01P",
...                    arms=("Drug A", "Placebo"), reference="Placebo",
...                    time={"Drug A": np.array([2.0, 4, 6, 8, 10]),
...                          "Placebo": np.array([1.0, 2, 3, 5, 7])},
...                    event={"Drug A": np.array([1, 0, 1, 1, 0]),
...                           "Placebo": np.array([1, 1, 1, 0, 1])},
...                    landmarks=(4.0,), tau=6.0, responders=None)
>>> values = netter_values(inp, get_profile("r"))
>>> values[Statistic("median", "Median", "Placebo")]
3.0
>>> round(values[Statistic("hazard_ratio", "Hazard ratio", "Drug A vs Placebo")], 4)
0.3203
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from netter.explain.inputs import ExplainInput
from netter.profiles import Profile, get_profile  # noqa: F401  (doctest)
from netter.stats.binomial import binomial_ci
from netter.stats.contingency import fisher_exact, table_2x2
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier, survival_at
from netter.stats.logrank import logrank_test
from netter.stats.quantiles import km_quantile
from netter.stats.rmst import rmst, rmst_difference

#: The value of a statistic an engine does not compute.
NA = "n/a"


@dataclass(frozen=True, order=True)
class Statistic:
    """One number of the comparison table.

    Attributes
    ----------
    name : str
        Machine name, e.g. ``"median_lower"``, ``"survival_at_12"``.
    label : str
        What a reader sees, e.g. ``"Median, 95% CI lower"``.
    group : str
        The arm, or the comparison ``"<arm> vs <reference>"``.

    Two statistics are equal when their name and group are (the label is text only).
    """

    name: str
    label: str = field(compare=False)
    group: str = ""


def _t(x: float) -> str:
    return f"{x:g}"


def _per_arm(inp: ExplainInput, level: str) -> list[tuple[str, str]]:
    rows = [("median", "Median"), ("median_lower", f"Median, {level} CI lower"),
            ("median_upper", f"Median, {level} CI upper")]
    for t in inp.landmarks:
        rows += [(f"survival_at_{_t(t)}", f"S({_t(t)})"),
                 (f"survival_at_{_t(t)}_lower", f"S({_t(t)}), {level} CI lower"),
                 (f"survival_at_{_t(t)}_upper", f"S({_t(t)}), {level} CI upper")]
    rows += [("rmst", f"RMST({_t(inp.tau)})"), ("rmst_se", f"RMST({_t(inp.tau)}), SE")]
    if inp.responders is not None:
        rows += [("orr", "Objective response rate"), ("orr_lower", f"ORR, {level} CI lower"),
                 ("orr_upper", f"ORR, {level} CI upper")]
    return rows


def _per_comparison(inp: ExplainInput, level: str) -> list[tuple[str, str]]:
    rows = [("logrank_chisq", "Log-rank chi-square"), ("logrank_p", "Log-rank p"),
            ("hazard_ratio", "Hazard ratio"), ("hazard_ratio_lower", f"HR, {level} CI lower"),
            ("hazard_ratio_upper", f"HR, {level} CI upper"), ("wald_p", "Cox Wald p"),
            ("lr_chisq", "Cox likelihood-ratio chi-square"), ("lr_p", "Cox likelihood-ratio p"),
            ("score_chisq", "Cox score chi-square"), ("score_p", "Cox score p"),
            ("rmst_difference", f"RMST({_t(inp.tau)}) difference"),
            ("rmst_difference_se", f"RMST({_t(inp.tau)}) difference, SE")]
    if inp.responders is not None:
        rows += [("odds_ratio", "Odds ratio of response"),
                 ("odds_ratio_lower", f"Odds ratio, {level} CI lower"),
                 ("odds_ratio_upper", f"Odds ratio, {level} CI upper")]
    return rows


def statistics(inp: ExplainInput, conf_level: float = 0.95) -> tuple[Statistic, ...]:
    """Every statistic shown for ``inp``: per arm (in arm order), then per comparison.

    Examples
    --------
    >>> import numpy as np
    >>> from netter.explain.inputs import ExplainInput
    >>> inp = ExplainInput("OS", "months", "TRT01P", ("A", "B"), "B",
    ...                    {"A": np.ones(2), "B": np.ones(2)},
    ...                    {"A": np.ones(2, int), "B": np.ones(2, int)}, (12.0,), 6.0, None)
    >>> [s.name for s in statistics(inp)][:4]
    ['median', 'median_lower', 'median_upper', 'survival_at_12']
    >>> len(statistics(inp))
    28
    """
    level = f"{100 * conf_level:g}%"
    out = [Statistic(name, label, arm) for arm in inp.arms for name, label in _per_arm(inp, level)]
    out += [Statistic(name, label, inp.comparison(arm)) for arm in inp.others
            for name, label in _per_comparison(inp, level)]
    return tuple(out)


def finite(value) -> float | None:
    """A number as the explainer keeps it: ``None`` for missing, NaN or infinite.

    Examples
    --------
    >>> finite(2), finite(float("inf")), finite(None), finite(np.nan)
    (2.0, None, None, None)
    """
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _odds_ratio(table: np.ndarray, profile: Profile) -> tuple:
    """Odds ratio and CI by the profile's ``odds_ratio`` option (no strata: ``mh`` is
    the sample odds ratio)."""
    rule = getattr(profile, "odds_ratio", "conditional")
    if rule == "conditional":
        f = fisher_exact(table, conf_level=profile.conf_level)
        return f.estimate, f.lower, f.upper
    from netter.stats import contingency

    sample = getattr(contingency, "sample_odds_ratio", None)
    if sample is None:  # not available in this netter
        return NA, NA, NA
    s = sample(table, conf_level=profile.conf_level)
    return s.estimate, s.lower, s.upper


def netter_values(inp: ExplainInput, profile: Profile) -> dict:
    """Every statistic of :func:`statistics` computed by netter under ``profile``.

    Parameters
    ----------
    inp : ExplainInput
    profile : Profile

    Returns
    -------
    dict
        :class:`Statistic` to float, ``None`` or :data:`NA`.
    """
    level = f"{100 * profile.conf_level:g}%"
    values: dict = {}

    def put(group, rows, numbers):
        for (name, label), value in zip(rows, numbers, strict=True):
            values[Statistic(name, label, group)] = value if value == NA else finite(value)

    for arm in inp.arms:
        t, e = inp.time[arm], inp.event[arm]
        km = kaplan_meier(t, e, profile=profile)
        q = km_quantile(km, 0.5)
        numbers = [q.estimate, q.ci_lower, q.ci_upper]
        for lm in survival_at(km, list(inp.landmarks)):
            numbers += [lm.survival, lm.ci_lower, lm.ci_upper]
        r = rmst(t, e, tau=inp.tau, profile=profile)
        numbers += [r.estimate, r.se]
        if inp.responders is not None:
            x, n = inp.responders[arm]
            ci = binomial_ci(x, n, conf_level=profile.conf_level)
            numbers += [ci.estimate, ci.lower, ci.upper]
        put(arm, _per_arm(inp, level), numbers)
    for arm in inp.others:
        time, event, group = inp.pair(arm)
        lr = logrank_test(time, event, group)
        cox = cox_hazard_ratio(time, event, group, reference=inp.reference, profile=profile)
        effect = cox.effects[0]
        d = rmst_difference(time, event, group, tau=inp.tau, reference=inp.reference,
                            profile=profile, arm=arm)
        numbers = [lr.chisq, lr.p_value, effect.hazard_ratio, effect.ci_lower, effect.ci_upper,
                   effect.p_value, cox.likelihood_ratio.chisq, cox.likelihood_ratio.p_value,
                   cox.score.chisq, cox.score.p_value, d.estimate, d.se]
        if inp.responders is not None:
            (x1, n1), (x2, n2) = inp.responders[arm], inp.responders[inp.reference]
            numbers += list(_odds_ratio(table_2x2(x1, n1, x2, n2), profile))
        put(inp.comparison(arm), _per_comparison(inp, level), numbers)
    return values
