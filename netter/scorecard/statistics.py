"""The statistics a scorecard row can name, and where each one is in a results document.

A study's ``scorecard.toml`` maps each published number to a statistic of one of its
analyses, in words (``statistic = "median"``, ``arm = "..."``) rather than as a path.
This module turns those words into the paths of :mod:`netter.scorecard.paths` and the
method phrase shown beside the number.  Arms are named by their values in the data;
``{unit}`` is the study's time unit; ``{ties}``, ``{conf}``, ``{strata}``... are filled
from the results document when the row is scored.

Statistics (keys each one needs besides ``statistic``):

============================  ==========================================================
``hazard_ratio``              Cox HR of the other arm (``arm`` with 3+ arms); ``stratified``
``median``, ``median_followup``  per ``arm``; a quantile (not reached = +inf)
``survival_at``               ``arm``, ``time``: S(time), in %
``events``                    events (``arm`` optional: total); a count
``events_by``                 ``arm``, ``time``: events at or before ``time``
``event_type``                ``arm``, ``description``: events with that ``EVNTDESC``
``n``                         ``arm``: subjects analysed (must equal)
``rmst``                      ``arm``, ``tau``
``rmst_difference``           ``tau``
``logrank_p``, ``ph_test_p``  ``stratified``; shown, not compared
``subgroup_hr``               ``variable``, ``level`` (a subgroup analysis)
``response_rate``             ``arm``: ORR in %
``disease_control_rate``      ``arm``: DCR in %
``odds_ratio``                ``stratified`` (Mantel-Haenszel common OR when true)
``count``                     ``variable``, ``level``, ``arm``: subjects with that value
                              (a description analysis); a count
``path``                      ``value`` (and ``ci``, ``n``, ``kind``, ``scale``,
                              ``method``, ``unit``): any number of a document
============================  ==========================================================

Examples
--------
>>> where = locate("median", {"arm": "Drug"}, paramcd="OS", unit="months")
>>> where.value, where.kind, where.unit
('endpoints.OS.arms[arm=Drug].median.estimate', 'quantile', 'months')
>>> locate("hazard_ratio", {"stratified": True}, paramcd="PFS", unit="months").value
'endpoints.PFS.cox_stratified.hazard_ratio'
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of comparison (the status rule follows from the kind and the published CI).
ESTIMATE = "estimate"    # a number with a CI (HR, rate, RMST)
QUANTILE = "quantile"    # a Kaplan-Meier quantile: null = not reached (+inf), CI ends too
COUNT = "count"          # events: the reproduced CI is n x exact CI of events / n
EXACT = "exact"          # a design count that must be equal
P_VALUE = "p_value"      # shown, not compared (a p-value has no interval)
KINDS = (ESTIMATE, QUANTILE, COUNT, EXACT, P_VALUE)

#: Method phrases; ``{...}`` is filled from the results document (methods, strata).
COX = "unstratified Cox, {ties} ties, Wald {conf} CI"
COX_STRAT = "stratified Cox (strata {strata}), {ties} ties, Wald {conf} CI"
KM_MEDIAN = "Kaplan-Meier median, Brookmeyer-Crowley {conf} CI ({conf_type})"
FOLLOWUP = "reverse Kaplan-Meier median follow-up, {conf} CI ({conf_type})"
EVENTS = "events in the analysis set"
N_SET = "subjects in the analysis set"
ORR = "confirmed ORR (CR + PR) / N, {ci_method} CI"


@dataclass(frozen=True)
class Location:
    """Where a statistic is in a results document and how it is compared."""

    value: str
    ci: str | None = None
    n: str | None = None
    kind: str = ESTIMATE
    scale: float = 1.0
    method: str = ""
    unit: str = ""


def _num(value) -> str:
    """A number as it appears in paths and phrases (``24.0`` -> ``24``)."""
    return f"{float(value):g}"


def _hazard_ratio(o: dict, at: str, unit: str) -> Location:
    model = "cox_stratified" if o.get("stratified") else "cox"
    base = f"{at}.{model}" + (f"_by_arm[arm={o['arm']}]" if o.get("arm") else "")
    return Location(f"{base}.hazard_ratio", f"{base}.ci",
                    method=COX_STRAT if o.get("stratified") else COX)


def _quantile(stat: str, method: str):
    def where(o: dict, at: str, unit: str) -> Location:
        base = f"{at}.arms[arm={o['arm']}].{stat}"
        return Location(f"{base}.estimate", f"{base}.ci", kind=QUANTILE, method=method,
                        unit=unit)
    return where


def _survival_at(o: dict, at: str, unit: str) -> Location:
    base = f"{at}.arms[arm={o['arm']}].landmarks[time={_num(o['time'])}]"
    return Location(f"{base}.survival", f"{base}.ci", scale=100.0, unit="%",
                    method=(f"Kaplan-Meier S({_num(o['time'])} {unit}), pointwise {{conf}} CI "
                            "({conf_type})"))


def _events(o: dict, at: str, unit: str) -> Location:
    base = at + (f".arms[arm={o['arm']}]" if o.get("arm") else "")
    return Location(f"{base}.events", n=f"{base}.n", kind=COUNT, method=EVENTS)


def _events_by(o: dict, at: str, unit: str) -> Location:
    base = f"{at}.arms[arm={o['arm']}]"
    time = _num(o["time"])
    return Location(f"{base}.landmarks[time={time}].events", n=f"{base}.n", kind=COUNT,
                    method=f"events at or before {time} {unit} (landmark {time})")


def _event_type(o: dict, at: str, unit: str) -> Location:
    base = f"{at}.arms[arm={o['arm']}]"
    return Location(f"{base}.event_types[description={o['description']}].count",
                    n=f"{base}.n", kind=COUNT,
                    method=f"events with EVNTDESC '{o['description']}'")


def _n(o: dict, at: str, unit: str) -> Location:
    return Location(f"{at}.arms[arm={o['arm']}].n", kind=EXACT,
                    method=f"{N_SET} ({at.rsplit('.', 1)[-1]})")


def _rmst(o: dict, at: str, unit: str) -> Location:
    base = f"{at}.arms[arm={o['arm']}].rmst[tau={_num(o['tau'])}]"
    return Location(f"{base}.estimate", f"{base}.ci", unit=unit,
                    method=f"RMST to {_num(o['tau'])} {unit}, normal {{conf}} CI")


def _rmst_difference(o: dict, at: str, unit: str) -> Location:
    base = f"{at}.rmst_difference[tau={_num(o['tau'])}]"
    return Location(f"{base}.estimate", f"{base}.ci", unit=unit,
                    method=(f"RMST difference (arm - reference) to {_num(o['tau'])} {unit}, "
                            "normal {conf} CI"))


def _logrank_p(o: dict, at: str, unit: str) -> Location:
    stratified = o.get("stratified")
    return Location(f"{at}.logrank{'_stratified' if stratified else ''}.p_value", kind=P_VALUE,
                    method=("stratified log-rank test (strata {strata})" if stratified
                            else "unstratified log-rank test"))


def _ph_test_p(o: dict, at: str, unit: str) -> Location:
    stratified = o.get("stratified")
    return Location(f"{at}.ph_test{'_stratified' if stratified else ''}.p_value", kind=P_VALUE,
                    method=("cox.zph score test (km transform) of the "
                            f"{'stratified' if stratified else 'unstratified'} Cox model"))


def _subgroup_hr(o: dict, at: str, unit: str) -> Location:
    base = f"variables[variable={o['variable']}].levels[level={o['level']}]"
    return Location(f"{base}.hazard_ratio", f"{base}.ci",
                    method=(f"unstratified Cox in the subgroup {o['variable']} = {o['level']}, "
                            "{ties} ties, Wald {conf} CI"))


def _rate(key: str | None, words: str):
    def where(o: dict, at: str, unit: str) -> Location:
        base = f"response.arms[arm={o['arm']}]" + (f".{key}" if key else "")
        return Location(f"{base}.rate", f"{base}.ci", scale=100.0, unit="%", method=words)
    return where


def _odds_ratio(o: dict, at: str, unit: str) -> Location:
    if o.get("stratified"):
        base = "response.cmh.common_odds_ratio"
        method = "Mantel-Haenszel common odds ratio (strata {strata}), {conf} CI"
    else:
        base = "response.odds_ratio"
        method = "odds ratio (conditional MLE, exact {conf} CI; R fisher.test)"
    return Location(f"{base}.estimate", f"{base}.ci", method=method)


def _count(o: dict, at: str, unit: str) -> Location:
    group = f"variables[variable={o['variable']}].groups[arm={o['arm']}]"
    return Location(f"{group}.counts[level={o['level']}].count", n=f"{group}.n", kind=COUNT,
                    method=f"subjects with {o['variable']} = {o['level']}")


#: Statistic -> (keys it needs, whether it is read under ``endpoints.<PARAMCD>``, locator).
STATISTICS = {
    "hazard_ratio": ((), True, _hazard_ratio),
    "median": (("arm",), True, _quantile("median", KM_MEDIAN)),
    "median_followup": (("arm",), True, _quantile("median_followup", FOLLOWUP)),
    "survival_at": (("arm", "time"), True, _survival_at),
    "events": ((), True, _events),
    "events_by": (("arm", "time"), True, _events_by),
    "event_type": (("arm", "description"), True, _event_type),
    "n": (("arm",), True, _n),
    "rmst": (("arm", "tau"), True, _rmst),
    "rmst_difference": (("tau",), True, _rmst_difference),
    "logrank_p": ((), True, _logrank_p),
    "ph_test_p": ((), True, _ph_test_p),
    "subgroup_hr": (("variable", "level"), False, _subgroup_hr),
    "response_rate": (("arm",), False, _rate(None, ORR)),
    "disease_control_rate": (("arm",), False,
                             _rate("dcr", "confirmed DCR (CR + PR + SD) / N, {ci_method} CI")),
    "odds_ratio": ((), False, _odds_ratio),
    "count": (("variable", "level", "arm"), False, _count),
}


def locate(statistic: str, options: dict, *, paramcd: str | None, unit: str) -> Location:
    """Where ``statistic`` with ``options`` is in a document (see the module table).

    Raises
    ------
    KeyError
        Unknown statistic, or a key it needs is missing (the message names it).
    """
    if statistic not in STATISTICS:
        raise KeyError(f"unknown statistic {statistic!r}; known: {', '.join(STATISTICS)}, path")
    needs, under_endpoint, where = STATISTICS[statistic]
    missing = [k for k in needs if options.get(k) is None]
    if missing:
        raise KeyError(f"statistic {statistic!r} needs {', '.join(missing)}")
    if under_endpoint and not paramcd:
        raise KeyError(f"statistic {statistic!r} needs an endpoint (paramcd)")
    return where(options, f"endpoints.{paramcd}", unit)
