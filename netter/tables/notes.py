"""Footnotes naming the methods behind a table's numbers (every netter table has them).

Examples
--------
>>> from netter.results import Methods
>>> m = Methods("r", "log", 0.95, "efron", "midpoint", "greenwood", "km", "given")
>>> print(km_note(m)[:76])
Kaplan-Meier estimates with Greenwood variance and log-transformed 95% point
"""

from __future__ import annotations

from netter.results import Methods
from netter.tables import fmt

#: Abbreviations used in the tables.
ABBREVIATIONS = ("CI: confidence interval; HR: hazard ratio; NE: not estimable; "
                 "NR: not reached.")


def profile_note(methods: Methods) -> str:
    """``"Method profile r (netter): ..."``: the profile and the confidence level.

    Examples
    --------
    >>> profile_note(Methods("sas", "log-log", 0.9, "breslow", "midpoint", "greenwood",
    ...                      "km", "given"))
    'Method profile: sas; confidence level 90%.'
    >>> profile_note(Methods("sas+quantile_rule=midpoint", "log-log", 0.95, "breslow",
    ...                      "midpoint", "greenwood", "km", "given"))[-59:]
    "Options changed from profile 'sas': quantile_rule=midpoint."
    """
    text = f"Method profile: {methods.profile}; confidence level {fmt.level(methods.conf_level)}."
    if "+" in methods.profile:
        from netter.errors import NetterError
        from netter.profiles import describe_options, get_profile

        try:
            text += " " + describe_options(get_profile(methods.profile))
        except NetterError:  # a name from another netter version: print it as it is
            pass
    return text


def km_note(methods: Methods) -> str:
    """Kaplan-Meier, its variance and CI transform, the median CI rule."""
    return (f"Kaplan-Meier estimates with {methods.variance.capitalize()} variance and "
            f"{methods.conf_type}-transformed {fmt.level(methods.conf_level)} pointwise "
            "CIs; CIs of medians by Brookmeyer-Crowley with the same transform "
            f"({methods.median_rule} rule on flat segments).")


def cox_note(methods: Methods, strata) -> str:
    """The Cox model: ties, Wald CI, strata (or none).

    Examples
    --------
    >>> m = Methods("r", "log", 0.95, "efron", "midpoint", "greenwood", "km", "given")
    >>> cox_note(m, ()).split("; ")[1:]
    ['log-rank test', 'no stratification.']
    """
    where = (f"stratified analyses by {', '.join(strata)} (Cox strata, stratified log-rank)"
             if strata else "no stratification")
    return (f"Cox proportional-hazards model of the arm, {methods.ties.capitalize()} ties, "
            f"Wald CIs and p-values; log-rank test; {where}.")


def reference_note(arm: str | None, reference: str, rule: str | None = None) -> str:
    """Which arm is compared with which, and why that reference.

    Examples
    --------
    >>> reference_note("A", "B", "named by the user")
    'Comparisons: A vs B (reference arm, named by the user); HR < 1 favours A.'
    """
    why = f"reference arm, {rule}" if rule else "reference arm"
    favours = f"; HR < 1 favours {arm}" if arm else ""
    return f"Comparisons: {arm or 'each arm'} vs {reference} ({why}){favours}."
