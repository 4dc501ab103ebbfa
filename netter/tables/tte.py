"""Time-to-event summary table of one endpoint, as in a clinical study report.

Rows: events (by ADTTE ``EVNTDESC``) and censorings (by ``CNSDTDSC``), median
(95% CI), landmark rates, RMST and median follow-up per arm; then the comparisons
with the reference arm: unstratified and stratified Cox hazard ratios with their
Wald p-values, log-rank p-values, RMST difference, and one row per entry of any
other comparison method in the endpoint's ``comparisons`` list (its description,
estimate with CI, p-value).  Every number comes from the results document;
:mod:`netter.tables.fmt` writes it.  Arms are in the study's order with their labels
(reference last without a study); times are in the document's unit.

Examples
--------
>>> from netter.tables.tte import ARM_ROWS
>>> ARM_ROWS[0]
'Events, n (%)'
"""

from __future__ import annotations

from netter.results import ArmResult, CoxResult, EndpointResult, ResultsDocument
from netter.tables import fmt, notes
from netter.tables.labels import arm_label, endpoint_name, order_arms, unit_note
from netter.tables.table import Row, Table

#: Headings of the per-arm rows, in order (landmark rows follow the median).
ARM_ROWS = ("Events, n (%)", "Censored, n (%)", "Median, {unit} (95% CI)")

#: Comparison methods with rows of their own (the results contract's fields); entries
#: of any other method get the generic rows.
CONTRACT_METHODS = frozenset({"logrank", "cox", "ph_test", "rmst_difference"})
#: Non-proportional-hazards methods, with rows of their own (:func:`_nph_rows`).
NPH_METHODS = frozenset({"weighted_logrank", "maxcombo", "piecewise_hr", "rmst_grid"})


def table_id(paramcd: str) -> str:
    """Stable id of an endpoint's summary table.

    Examples
    --------
    >>> table_id("PFS")
    'TTET01-PFS'
    """
    return f"TTET01-{paramcd}"


def arm_order(arms, reference: str, name=str) -> list:
    """Arms with the reference last (the compared arms first, in their order).

    ``name(arm)`` gives an item's label (default ``str``: items are labels).

    Examples
    --------
    >>> arm_order(["A", "Ref", "B"], "Ref")
    ['A', 'B', 'Ref']
    >>> arm_order([{"arm": "Ref"}, {"arm": "A"}], "Ref", name=lambda a: a["arm"])
    [{'arm': 'A'}, {'arm': 'Ref'}]
    """
    return ([a for a in arms if name(a) != reference]
            + [a for a in arms if name(a) == reference])


def _not_reached(reason: str | None) -> bool:
    return reason is not None and reason.startswith("not reached")


def _types(arms: list[ArmResult], total: str, counts: list[int], field: str) -> list[Row]:
    """A total row (``counts`` per arm) and one row per description found in any arm."""
    rows = [Row(total, tuple(fmt.count_percent(c, a.n) for c, a in zip(counts, arms,
                                                                         strict=True)))]
    by_arm = [{c.description: c.count for c in (getattr(a, field) or ())} for a in arms]
    for kind in sorted({kind for found in by_arm for kind in found}):
        rows.append(Row(kind, tuple(fmt.count_percent(found.get(kind, 0), a.n)
                                    for found, a in zip(by_arm, arms, strict=True)), indent=1))
    return rows


def _arm_rows(arms: list[ArmResult], unit: str) -> list[Row]:
    digits = fmt.time_digits(unit)
    rows = (_types(arms, ARM_ROWS[0], [a.events for a in arms], "event_types")
            + _types(arms, ARM_ROWS[1], [a.censored for a in arms], "censor_types"))
    rows.append(Row(ARM_ROWS[2].format(unit=unit), tuple(
        fmt.median_ci(a.median.estimate, a.median.ci, digits=digits,
                      reached=not _not_reached(a.median.not_estimable_reason)) for a in arms)))
    for i, lm in enumerate(arms[0].landmarks if arms else ()):
        rows.append(Row(f"Event-free at {fmt.tick(lm.time)} {unit}, % (95% CI)", tuple(
            fmt.percent_ci(a.landmarks[i].survival, a.landmarks[i].ci) for a in arms)))
    if arms and arms[0].rmst is not None:
        rows.append(Row(f"RMST to {fmt.tick(arms[0].rmst.tau)} {unit}, {unit} (95% CI)",
                        tuple(fmt.estimate_ci(a.rmst.estimate, a.rmst.ci, digits)
                              for a in arms)))
    rows.append(Row(f"Median follow-up (reverse Kaplan-Meier), {unit} (95% CI)", tuple(
        fmt.median_ci(a.median_followup.estimate, a.median_followup.ci, digits=digits,
                      reached=not _not_reached(a.median_followup.not_estimable_reason))
        for a in arms)))
    return rows


def _by_arm(single: CoxResult | None, many) -> dict:
    results = many if many else ((single,) if single is not None else ())
    return {r.arm: r for r in results}


def _cox_rows(ep: EndpointResult, names: list[str], stratified: bool) -> list[Row]:
    cox = _by_arm(ep.cox_stratified, ep.cox_stratified_by_arm) if stratified else _by_arm(
        ep.cox, ep.cox_by_arm)
    if not cox:
        return []
    kind = "stratified" if stratified else "unstratified"
    hr = [fmt.ratio_ci(cox[a].hazard_ratio, cox[a].ci, cox[a].not_estimable_reason)
          if a in cox else "" for a in names]
    p = [fmt.p_value(cox[a].p_value_wald) if a in cox else "" for a in names]
    return [Row(f"Hazard ratio (95% CI), {kind}", tuple(hr)),
            Row("Wald p-value", tuple(p), indent=1)]


def _method_rows(ep: EndpointResult, names: list[str]) -> list[Row]:
    """Rows of the comparison methods outside the contract: one per description."""
    entries = [c for c in ep.comparisons or ()
               if c.method not in CONTRACT_METHODS | NPH_METHODS]
    rows = []
    for description in dict.fromkeys(c.description for c in entries):
        found = {c.arm: c for c in entries if c.description == description}
        first = next(iter(found.values()))
        if first.estimand is not None:
            rows.append(Row(f"{first.estimand.capitalize()} (95% CI), {description}", tuple(
                fmt.estimate_ci(found[n].estimate, found[n].ci) if n in found else ""
                for n in names)))
        rows.append(Row(f"p-value, {description}" if first.estimand is None else "p-value",
                        tuple(fmt.p_value(found[n].p_value) if n in found else ""
                              for n in names), indent=0 if first.estimand is None else 1))
    return rows


def _fh_name(weights) -> str:
    return ", ".join(f"FH({fmt.tick(r)},{fmt.tick(g)})" for r, g in weights or ())


def _z_p(c) -> str:
    """``"Z = -2.27; p=0.023"`` of a test entry (``"NE"`` with no statistic)."""
    if c.statistic is None:
        return fmt.NE
    name = "max |Z|" if c.method == "maxcombo" else "Z"
    return f"{name} = {fmt.number(c.statistic, 2)}; {fmt.p_equation(c.p_value)}"


def _nph_rows(ep: EndpointResult, names: list[str], unit: str) -> list[Row]:
    """Rows of the weighted log-rank, MaxCombo, piecewise-HR and RMST-grid entries."""
    entries = [c for c in ep.comparisons or () if c.method in NPH_METHODS]
    rows: list[Row] = []
    groups: dict[tuple, dict] = {}
    for c in entries:
        key = (c.method, c.weights if c.method == "weighted_logrank" else None, c.interval,
               c.tau, c.estimand if c.method == "rmst_grid" else None, c.strata)
        groups.setdefault(key, {})[c.arm] = c
    digits = fmt.time_digits(unit)
    for (method, weights, interval, tau, _estimand, strata), found in groups.items():
        kind = ", stratified" if strata else ""
        first = next(iter(found.values()))
        if method in ("weighted_logrank", "maxcombo"):
            label = (f"Weighted log-rank {_fh_name(weights)}" if method == "weighted_logrank"
                     else "MaxCombo test")
            rows.append(Row(label + kind, tuple(_z_p(found[n]) if n in found else ""
                                                for n in names)))
        elif method == "piecewise_hr":
            lo, hi = interval
            span = (f"{fmt.tick(lo)}–{fmt.tick(hi)}" if hi is not None
                    else f">{fmt.tick(lo)}")
            rows.append(Row(f"Hazard ratio (95% CI), {span} {unit}{kind}", tuple(
                fmt.ratio_ci(found[n].estimate, found[n].ci, found[n].not_estimable_reason)
                if n in found else "" for n in names)))
        else:
            is_diff = first.estimand.startswith("RMST difference")
            label = (f"RMST difference to {fmt.tick(tau)} {unit}, {unit} (95% CI)" if is_diff
                     else f"RMST ratio to {fmt.tick(tau)} {unit} (95% CI)")
            rows.append(Row(label, tuple(
                (fmt.estimate_ci(found[n].estimate, found[n].ci, digits) if is_diff
                 else fmt.ratio_ci(found[n].estimate, found[n].ci,
                                   found[n].not_estimable_reason)) if n in found else ""
                for n in names)))
    return rows


def _nph_notes(ep: EndpointResult) -> list[str]:
    """Footnotes naming the weights and rules of the non-proportional-hazards rows."""
    methods = {c.method: c for c in ep.comparisons or () if c.method in NPH_METHODS}
    out = []
    if "weighted_logrank" in methods or "maxcombo" in methods:
        out.append("FH(ρ,γ): Fleming–Harrington weighted log-rank test, weights "
                   "S(t−)^ρ (1 − S(t−))^γ with S the pooled Kaplan–Meier curve (left-"
                   "continuous); Z < 0: fewer events than expected in the arm.")
    if "maxcombo" in methods:
        c = methods["maxcombo"]
        out.append(f"MaxCombo: the largest |Z| of {_fh_name(c.weights)}, p-value from their "
                   "joint normal distribution (multivariate normal integration, fixed seed).")
    if "piecewise_hr" in methods:
        out.append("Piecewise hazard ratios: Cox model with arm-by-interval effects (intervals "
                   "open on the left, closed on the right); Wald CIs; NE: no events in the "
                   "interval, or the arms not comparable within it.")
    if "rmst_grid" in methods:
        out.append("RMST grid: difference with a normal CI, ratio with a log-normal CI (delta "
                   "method); NE at a restriction time after either arm's last follow-up.")
    return out


def _comparison_rows(ep: EndpointResult, names: list[str], reference: str, unit: str,
                     reference_label: str, lifetest: bool = False) -> list[Row]:
    """Hazard ratios, log-rank tests, RMST and the non-PH methods; with ``lifetest`` (the
    ``sas`` profile) also the Wilcoxon and -2Log(LR) tests PROC LIFETEST prints."""
    first = [n for n in names if n != reference][:1]

    def only_first(text: str) -> tuple[str, ...]:
        return tuple(text if n in first else "" for n in names)

    rows = [Row(f"Comparison with {reference_label}", ("",) * len(names), section=True)]
    rows += _cox_rows(ep, names, stratified=False) + _cox_rows(ep, names, stratified=True)
    rows.append(Row("Log-rank p-value, unstratified", only_first(fmt.p_value(ep.logrank.p_value))))
    if ep.logrank_stratified is not None:
        rows.append(Row("Log-rank p-value, stratified",
                        only_first(fmt.p_value(ep.logrank_stratified.p_value))))
    if lifetest:   # the rest of SAS PROC LIFETEST's test table
        for label, test in (("Wilcoxon (Gehan) p-value, unstratified", ep.wilcoxon),
                            ("Wilcoxon (Gehan) p-value, stratified", ep.wilcoxon_stratified),
                            ("-2Log(LR) (exponential) p-value", ep.lr_exponential)):
            if test is not None:
                rows.append(Row(label, only_first(fmt.p_value(test.p_value))))
    diffs = {d.arm: d for d in (ep.rmst_difference_by_arm or (
        (ep.rmst_difference,) if ep.rmst_difference is not None else ()))}
    if diffs:
        tau = next(iter(diffs.values())).tau
        rows.append(Row(f"RMST difference to {fmt.tick(tau)} {unit}, {unit} (95% CI)", tuple(
            fmt.estimate_ci(diffs[n].estimate, diffs[n].ci, fmt.time_digits(unit))
            if n in diffs else ""
            for n in names)))
    return rows + _nph_rows(ep, names, unit) + _method_rows(ep, names)


def _footnotes(doc: ResultsDocument, ep: EndpointResult, arm: str | None) -> tuple[str, ...]:
    m = doc.methods
    strata = doc.strata if ep.cox_stratified is not None else ()
    several = len(ep.arms) > 2
    out = [notes.profile_note(m), notes.km_note(m), notes.cox_note(m, strata),
           notes.reference_note(None if several or arm is None else arm_label(doc, arm),
                                arm_label(doc, doc.reference_arm), m.reference_rule),
           f"{unit_note(doc.time_unit)} Event-free = Kaplan-Meier estimate; "
           "log-rank p-values test all arms equal."]
    if any(lm.survival is None for a in ep.arms for lm in a.landmarks):
        out.append("NE event-free rate: after the arm's last observation, where the curve "
                   "ends censored (not extrapolated).")
    if any(getattr(lm, "carried", None) for a in ep.arms for lm in a.landmarks):
        out.append("Event-free rate after the arm's last observation, where the curve ends "
                   "censored: the last value carried forward (R summary(extend = TRUE); "
                   "option landmark_rule = carry).")
    if ep.excluded:
        reasons = sorted({e.reason for e in ep.excluded})
        out.append(f"{len(ep.excluded)} subject(s) not in the analysis set: "
                   f"{'; '.join(reasons)}.")
    if doc.population_flag:
        out.append(f"Analysis population: {doc.population_flag} = 'Y'.")
    missing = getattr(doc, "not_computable", None) or {}
    if "strata" in missing:
        out.append(f"Stratification not as planned: {missing['strata']}.")
    out += _nph_notes(ep)
    out.append(notes.ABBREVIATIONS + " RMST: restricted mean survival time.")
    return tuple(out)


def tte_summary_table(results_doc: ResultsDocument, endpoint: str) -> Table:
    """The summary table of one endpoint of a ``netter analyze`` document.

    Parameters
    ----------
    results_doc : ResultsDocument
        As read by :func:`netter.artefacts.read_results`.
    endpoint : str
        ``PARAMCD`` (e.g. ``"PFS"``).

    Returns
    -------
    Table
        Columns: one per arm (reference last) headed ``"arm (N=n)"``.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> table = tte_summary_table(specimen_results(), "PFS")
    >>> table.columns
    ('', 'Drug A (N=10)', 'Control (N=10)')
    >>> [r.cells for r in table.rows if r.label.startswith("Median,")]
    [('13.5 (9.0–NR)', '4.0 (2.4–NR)')]
    """
    if endpoint not in results_doc.endpoints:
        raise KeyError(f"no endpoint {endpoint!r} in the results; it has "
                       f"{', '.join(sorted(results_doc.endpoints))}")
    doc = results_doc
    ep = doc.endpoints[endpoint]
    arms = order_arms(list(ep.arms), doc, name=lambda a: a.arm)
    names = [a.arm for a in arms]
    compared = next((n for n in names if n != doc.reference_arm), None)
    lifetest = str(doc.methods.profile).split("+")[0] == "sas"
    rows = _arm_rows(arms, doc.time_unit) + _comparison_rows(
        ep, names, doc.reference_arm, doc.time_unit, arm_label(doc, doc.reference_arm),
        lifetest=lifetest)
    title = f"{endpoint_name(ep)}: time-to-event summary by arm"
    return Table(id=table_id(endpoint), title=title,
                 columns=("", *(f"{arm_label(doc, a.arm)} (N={a.n})" for a in arms)),
                 rows=tuple(rows), footnotes=_footnotes(doc, ep, compared))
