"""Comparison methods of an endpoint, by name: each one module's function, one registry.

An endpoint is compared between arms by a list of methods.  Each method takes the
shared :class:`~netter.endpoints.comparisons.Comparison` (times, events, arms,
strata, profile) and returns a :class:`MethodOutput`: the entries of the endpoint's
``comparisons`` list (one shape for every method, each naming its method), and,
for the standard methods, the fixed fields of the results contract (``logrank``,
``cox``, ``ph_test``, ``rmst_difference`` and their ``*_stratified`` / ``*_by_arm``
forms).  Adding a method is writing its function and adding it to :data:`METHODS`;
the summary table shows any method's entries without knowing it.

The standard methods run for every endpoint (:data:`STANDARD`); a study's analysis
may ask for more by name (``comparisons = [...]``).  The non-proportional-hazards
methods (:mod:`netter.endpoints.nph`) take their parameters from
:class:`MethodSettings`: ``weighted_logrank`` (FH weight pairs, default
:data:`DEFAULT_FH_WEIGHTS`), ``maxcombo`` (its tests, default FH(0,0), FH(0,1),
FH(1,0), FH(1,1)), ``piecewise_hr`` (cut points, required) and ``rmst_grid``
(restriction times, required).  :func:`implied_methods` names the methods that
settings ask for, so giving the parameters (``--piecewise 6,12``) is asking for them.

Examples
--------
>>> import numpy as np
>>> from netter.endpoints.comparisons import Comparison
>>> from netter.profiles import get_profile
>>> base = Comparison(np.array([1.0, 2, 3, 3, 4, 5, 6, 7]),
...                   np.array([1, 1, 1, 1, 0, 1, 1, 0], dtype=bool),
...                   np.array(list("ABABABAB")), reference="A", others=("B",),
...                   profile=get_profile("r"))
>>> out = run_method("cox", base, MethodSettings())
>>> sorted(out.fields), [(c.method, c.estimand) for c in out.comparisons]
(['cox'], [('cox', 'hazard ratio')])
>>> print(out.comparisons[0].description)
Cox proportional hazards, Efron ties, Wald 95% CI
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from netter.endpoints.comparisons import (
    Comparison,
    cox_results,
    logrank_result,
    ph_result,
    rmst_difference_results,
)
from netter.endpoints.nph import (
    maxcombo_entries,
    piecewise_entries,
    rmst_grid_entries,
    weighted_logrank_entries,
)
from netter.errors import NetterError
from netter.results import (
    ComparisonResult,
    CoxResult,
    LogRankResult,
    PhTestResult,
    RmstDifferenceResult,
)

#: FH weights of ``weighted_logrank`` when none are given: FH(0,1), FH(1,0), FH(1,1).
DEFAULT_FH_WEIGHTS = ((0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


@dataclass(frozen=True)
class MethodSettings:
    """What a method may need besides the data.

    Attributes
    ----------
    rmst_tau : float or None
        RMST restriction time of ``rmst_difference``.
    time_unit : str
    weighted_logrank : tuple of (rho, gamma)
        FH weights of ``weighted_logrank`` (empty: :data:`DEFAULT_FH_WEIGHTS`).
    maxcombo : tuple of (rho, gamma)
        The tests of ``maxcombo`` (empty: :data:`netter.stats.nph.MAXCOMBO_WEIGHTS`);
        ``maxcombo_on`` asks for the method.
    piecewise : tuple of float
        Cut points of ``piecewise_hr``.
    rmst_grid : tuple of float
        Restriction times of ``rmst_grid``.
    """

    rmst_tau: float | None = None
    time_unit: str = "months"
    weighted_logrank: tuple[tuple[float, float], ...] = ()
    maxcombo: tuple[tuple[float, float], ...] = ()
    maxcombo_on: bool = False
    piecewise: tuple[float, ...] = ()
    rmst_grid: tuple[float, ...] = ()


def implied_methods(settings: MethodSettings) -> tuple[str, ...]:
    """The methods ``settings`` ask for by giving their parameters.

    Examples
    --------
    >>> implied_methods(MethodSettings(piecewise=(6.0, 12.0), maxcombo_on=True))
    ('maxcombo', 'piecewise_hr')
    """
    wanted = (("weighted_logrank", bool(settings.weighted_logrank)),
              ("maxcombo", settings.maxcombo_on or bool(settings.maxcombo)),
              ("piecewise_hr", bool(settings.piecewise)), ("rmst_grid", bool(settings.rmst_grid)))
    return tuple(name for name, on in wanted if on)


@dataclass(frozen=True)
class MethodOutput:
    """A method's results: ``comparisons`` entries, and contract fields of the endpoint."""

    comparisons: tuple[ComparisonResult, ...] = ()
    fields: dict = field(default_factory=dict)


def _suffix(base: Comparison) -> str:
    return "_stratified" if base.strata_names else ""


def _strata_text(base: Comparison) -> str:
    return f", stratified by {', '.join(base.strata_names)}" if base.strata_names else ""


def _level(conf_level: float) -> str:
    return f"{100 * conf_level:g}%"


def _strata(base: Comparison) -> dict:
    return {"strata": base.strata_names} if base.strata_names else {}


def logrank_entry(test: LogRankResult, base: Comparison) -> ComparisonResult:
    """The log-rank test as a ``comparisons`` entry (a test of all arms: ``arm`` None)."""
    return ComparisonResult(
        method="logrank", description=f"log-rank test{_strata_text(base)}", arm=None,
        reference=base.reference, estimand=None, estimate=None, ci=(None, None),
        conf_level=None, statistic=test.chisq, df=test.df, p_value=test.p_value,
        not_estimable_reason=test.not_estimable_reason, **_strata(base))


def cox_entry(cox: CoxResult, base: Comparison) -> ComparisonResult:
    """One arm's Cox hazard ratio as a ``comparisons`` entry (Wald CI and p)."""
    return ComparisonResult(
        method="cox",
        description=(f"Cox proportional hazards, {cox.ties.capitalize()} ties, Wald "
                     f"{_level(cox.conf_level)} CI{_strata_text(base)}"),
        arm=cox.arm, reference=cox.reference, estimand="hazard ratio",
        estimate=cox.hazard_ratio, ci=cox.ci, conf_level=cox.conf_level,
        statistic=cox.chisq_wald, df=1 if cox.chisq_wald is not None else None,
        p_value=cox.p_value_wald, not_estimable_reason=cox.not_estimable_reason,
        **_strata(base))


def ph_entry(test: PhTestResult, base: Comparison) -> ComparisonResult:
    """The proportional-hazards test as a ``comparisons`` entry."""
    return ComparisonResult(
        method="ph_test",
        description=(f"proportional-hazards score test of the arm term (cox.zph, "
                     f"{test.transform} transform){_strata_text(base)}"),
        arm=None, reference=base.reference, estimand=None, estimate=None, ci=(None, None),
        conf_level=None, statistic=test.chisq, df=test.df, p_value=test.p_value,
        not_estimable_reason=test.not_estimable_reason, **_strata(base))


def rmst_entry(diff: RmstDifferenceResult, base: Comparison, unit: str) -> ComparisonResult:
    """One arm's RMST difference as a ``comparisons`` entry (normal CI)."""
    level = base.profile.conf_level
    return ComparisonResult(
        method="rmst_difference",
        description=(f"difference in restricted mean survival time to {diff.tau:g} {unit}, "
                     f"normal {_level(level)} CI"),
        arm=diff.arm, reference=diff.reference, estimand=f"RMST difference ({unit})",
        estimate=diff.estimate, ci=diff.ci, conf_level=level, statistic=None, df=None,
        p_value=diff.p_value, not_estimable_reason=diff.not_estimable_reason)


def _logrank(base: Comparison, settings: MethodSettings) -> MethodOutput:
    test = logrank_result(base)
    return MethodOutput((logrank_entry(test, base),), {f"logrank{_suffix(base)}": test})


def _cox(base: Comparison, settings: MethodSettings) -> MethodOutput:
    models = cox_results(base)
    fields = {f"cox{_suffix(base)}": models[0]}
    if len(models) > 1:
        fields[f"cox{_suffix(base)}_by_arm"] = models
    return MethodOutput(tuple(cox_entry(m, base) for m in models), fields)


def _ph_test(base: Comparison, settings: MethodSettings) -> MethodOutput:
    test = ph_result(base)
    return MethodOutput((ph_entry(test, base),), {f"ph_test{_suffix(base)}": test})


def _rmst_difference(base: Comparison, settings: MethodSettings) -> MethodOutput:
    """RMST differences (unstratified only, and only with a restriction time)."""
    if settings.rmst_tau is None or base.strata_names:
        return MethodOutput()
    diffs = rmst_difference_results(base, settings.rmst_tau)
    fields = {"rmst_difference": diffs[0]}
    if len(diffs) > 1:
        fields["rmst_difference_by_arm"] = diffs
    return MethodOutput(tuple(rmst_entry(d, base, settings.time_unit) for d in diffs), fields)


def _weighted_logrank(base: Comparison, settings: MethodSettings) -> MethodOutput:
    weights = settings.weighted_logrank or DEFAULT_FH_WEIGHTS
    return MethodOutput(weighted_logrank_entries(base, weights))


def _maxcombo(base: Comparison, settings: MethodSettings) -> MethodOutput:
    return MethodOutput(maxcombo_entries(base, *([settings.maxcombo] if settings.maxcombo
                                                  else [])))


def _piecewise_hr(base: Comparison, settings: MethodSettings) -> MethodOutput:
    if not settings.piecewise:
        raise NetterError("comparison method 'piecewise_hr' needs cut points (--piecewise, "
                          "or `piecewise = [...]` in the study's analysis)")
    return MethodOutput(piecewise_entries(base, settings.piecewise, settings.time_unit))


def _rmst_grid(base: Comparison, settings: MethodSettings) -> MethodOutput:
    if not settings.rmst_grid:
        raise NetterError("comparison method 'rmst_grid' needs restriction times "
                          "(--rmst-grid, or `rmst_grid = [...]` in the study's analysis)")
    return MethodOutput(rmst_grid_entries(base, settings.rmst_grid, settings.time_unit))


Method = Callable[[Comparison, MethodSettings], MethodOutput]

#: Every comparison method by name.
METHODS: dict[str, Method] = {
    "logrank": _logrank,
    "cox": _cox,
    "ph_test": _ph_test,
    "rmst_difference": _rmst_difference,
    "weighted_logrank": _weighted_logrank,
    "maxcombo": _maxcombo,
    "piecewise_hr": _piecewise_hr,
    "rmst_grid": _rmst_grid,
}

#: Methods run for every endpoint, in this order (the results contract's fields).
STANDARD = ("logrank", "cox", "ph_test", "rmst_difference")


def check_methods(names) -> tuple[str, ...]:
    """The extra methods asked for, known and not standard (order kept, repeats dropped).

    Examples
    --------
    >>> check_methods(["cox"])
    ()
    >>> check_methods(["wilcoxon"])
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: unknown comparison method 'wilcoxon'; known: cox, logrank, ...
    """
    out = []
    for name in dict.fromkeys(str(n).strip() for n in names):
        if name not in METHODS:
            raise NetterError(f"unknown comparison method {name!r}; known: "
                              f"{', '.join(sorted(METHODS))}")
        if name not in STANDARD:
            out.append(name)
    return tuple(out)


def run_method(name: str, base: Comparison, settings: MethodSettings) -> MethodOutput:
    """Run the method ``name`` on ``base`` (see :data:`METHODS`)."""
    return METHODS[name](base, settings)
