"""Parametric survival models and their extrapolation (table ``EXTT01``) and partitioned
survival (table ``PSMT01``), from an extrapolation document (``netter extrapolate``,
schema ``netter.extrapolation/1``).

``EXTT01`` (kind ``extrapolation``): per endpoint, a section per arm (its subjects,
events and follow-up in the heading) with one row per distribution ranked by AIC (the
document's ``rank_aic``), then, when the document has joint fits, a section of the joint
models (arm as covariate), each model followed by one row per arm with its predictions.
Columns: AIC, ΔAIC (AIC minus the lowest of the section), BIC, the restricted mean to the
horizon with its SE, the mean (``"Infinite"`` when the document records none: the curve
does not fall to 0 fast enough), and the model's restricted mean minus the Kaplan-Meier
one, both to the arm's last follow-up time.  Footnotes: horizon, BIC's n, the fitting
method and tolerance, spline knots, the CI method, models not fitted (and why, as far as
the document says), models that did not converge, what the study asked for that the data
could not give.

``PSMT01`` (kind ``psm``, only for a document with partitioned survival): one row per
arm with the PFS and OS models, the mean time progression-free, progressed and dead to
the horizon, the OS model's restricted mean, and where PFS was clipped to OS.

Nothing is computed here but ΔAIC (a difference of two recorded numbers) and the
knots' times (``exp`` of the recorded log-time knots).

Examples
--------
>>> from netter.tables.specimen import specimen_extrapolation
>>> table = extrapolation_table(specimen_extrapolation())
>>> table.columns[:4]
('Model', 'AIC', 'ΔAIC', 'BIC')
>>> [(r.label, r.cells[:2]) for r in table.rows][:3]
[('Overall survival: Drug A (n=10, 6 events; follow-up 30.0 months)', ('', '')), \
('Weibull', ('60.2', '0.0')), ('Exponential', ('61.5', '1.3'))]
"""

from __future__ import annotations

import math

from netter.tables import fmt
from netter.tables.labels import arm_display, arm_label, unit_note
from netter.tables.table import Row, Table

#: Stable ids of the two tables.
TABLE_ID, PSM_TABLE_ID = "EXTT01", "PSMT01"
#: Text of a mean the document records as infinite (``null``).
INFINITE = "Infinite"
#: Abbreviations used in the tables.
ABBREVIATIONS = ("AIC: Akaike information criterion; BIC: Bayesian information criterion; "
                 "CI: confidence interval; KM: Kaplan-Meier; NE: not estimable; PFS: "
                 "progression-free survival; OS: overall survival; SE: standard error.")
#: Names of the distributions (for one the document holds no fit of).
DIST_NAMES = {"exponential": "Exponential", "weibull": "Weibull", "gompertz": "Gompertz",
              "lognormal": "Log-normal", "loglogistic": "Log-logistic",
              "gengamma": "Generalised gamma", "spline1": "Spline, 1 knot",
              "spline2": "Spline, 2 knots", "spline3": "Spline, 3 knots"}
#: Keys of ``not_computable`` that are not endpoints.
NOT_ENDPOINTS = frozenset({"analysis", "psm"})


def arm_order(document) -> list[str]:
    """The document's arms in display order: the study's (``arm_labels``), else the
    reference arm last.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> arm_order(SimpleNamespace(arms=("Ref", "A"), reference="Ref", arm_labels=None))
    ['A', 'Ref']
    """
    order, _ = arm_display(document)
    arms = list(document.arms)
    if order:
        rank = {value: i for i, value in enumerate(order)}
        return sorted(arms, key=lambda a: (rank.get(a, len(rank)), arms.index(a)))
    ref = document.reference
    return [a for a in arms if a != ref] + [a for a in arms if a == ref]


def endpoint_title(document, param: str) -> str:
    """The endpoint's label, else its ``PARAMCD``."""
    endpoint = document.endpoints.get(param)
    return (getattr(endpoint, "label", None) or param) if endpoint is not None else param


def ranked(models: dict) -> list[tuple[str, object]]:
    """``(distribution, model)`` pairs by the document's AIC rank (ties by AIC, name).

    Works for per-arm models (``.fit``) and joint models alike.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> ms = {"a": N(fit=N(rank_aic=2, aic=5.0)), "b": N(fit=N(rank_aic=1, aic=4.0))}
    >>> [k for k, _ in ranked(ms)]
    ['b', 'a']
    """
    return sorted(models.items(), key=lambda kv: (kv[1].fit.rank_aic, kv[1].fit.aic, kv[0]))


def mean_text(mean: float | None, digits: int = 1) -> str:
    """The mean, or ``"Infinite"`` when the document records none.

    Examples
    --------
    >>> mean_text(77.204), mean_text(None), mean_text(float("nan"))
    ('77.2', 'Infinite', 'NE')
    """
    if mean is None:
        return INFINITE
    return fmt.number(mean, digits)


def restricted_text(value: float | None, se: float | None, digits: int = 1) -> str:
    """``"73.8 (4.1)"``: the restricted mean and its SE (the SE ``"NE"`` when absent).

    Examples
    --------
    >>> restricted_text(73.753, 4.06), restricted_text(73.753, None)
    ('73.8 (4.1)', '73.8 (NE)')
    """
    return f"{fmt.number(value, digits)} ({fmt.number(se, digits)})"


def _signed(value: float | None, digits: int) -> str:
    text = fmt.number(value, digits)
    return f"+{text}" if value is not None and text not in (fmt.NE,) and float(text) > 0 \
        else text


def _model_label(fit) -> str:
    return fit.label if fit.converged else f"{fit.label} (not converged)"


def _prediction_cells(pred, digits: int) -> tuple[str, str, str]:
    return (restricted_text(pred.restricted_mean, pred.restricted_mean_se, digits),
            mean_text(pred.mean, digits), _signed(pred.difference_from_km, digits))


def _fit_cells(fit, best: float) -> tuple[str, str, str]:
    return (fmt.number(fit.aic, 1), fmt.number(fit.aic - best, 1), fmt.number(fit.bic, 1))


def _knots_text(knots, digits: int) -> str:
    inner = [fmt.number(math.exp(k), digits) for k in knots[1:-1]]
    return ", ".join(inner)


def _psm_params(document) -> set[str]:
    psm = getattr(document, "partitioned_survival", None)
    return set() if psm is None else {psm.pfs_param, psm.os_param}


def _missing_notes(document, param: str) -> list[str]:
    """Distributions asked for but absent from an arm, and fits that did not converge."""
    ep = document.endpoints[param]
    asked = tuple(document.settings.distributions)
    name = endpoint_title(document, param)
    out = []
    for arm in arm_order(document):
        a = ep.arms.get(arm)
        if a is None:
            out.append(f"{name}, {arm_label(document, arm)}: no models (the arm is not in "
                       "the results).")
            continue
        absent = [d for d in asked if d not in a.models]
        if absent and param in _psm_params(document) and set(a.models) <= _psm_dists(
                document):
            out.append(f"{name}, {arm_label(document, arm)}: fitted for partitioned survival "
                       f"only ({', '.join(m.fit.label for m in a.models.values())}); the "
                       "other distributions were not asked for this endpoint.")
        elif absent:
            out.append(f"{name}, {arm_label(document, arm)}: not fitted: "
                       f"{', '.join(dist_label(document, param, d) for d in absent)} (not "
                       "in the results, which record no reason).")
        for _, m in ranked(a.models):
            if not m.fit.converged:
                out.append(f"{name}, {arm_label(document, arm)}: {m.fit.label} did not "
                           f"converge ({m.fit.engine}); its numbers are shown as recorded.")
    if ep.joint is not None:
        absent = [d for d in asked if d not in ep.joint]
        if absent:
            out.append(f"{name}, joint models: not fitted: "
                       f"{', '.join(dist_label(document, param, d) for d in absent)} (not "
                       "in the results, which record no reason).")
        for _, m in ranked(ep.joint):
            if not m.fit.converged:
                out.append(f"{name}, joint {m.fit.label} did not converge ({m.fit.engine}); "
                           "its numbers are shown as recorded.")
    return out


def _psm_dists(document) -> set[str]:
    psm = getattr(document, "partitioned_survival", None)
    if psm is None:
        return set()
    return {d for occ in psm.arms.values() for d in (occ.pfs_distribution, occ.os_distribution)}


def _knot_notes(document, digits: int) -> list[str]:
    s = document.settings
    parts = []
    for param in sorted(document.endpoints):
        ep = document.endpoints[param]
        for arm in arm_order(document):
            a = ep.arms.get(arm)
            if a is None:
                continue
            splines = [m.fit for _, m in sorted(a.models.items()) if m.fit.knots
                       and len(m.fit.knots) > 2]
            if splines:
                first, last = splines[0].knots[0], splines[0].knots[-1]
                text = "; ".join(f"{f.label} at {_knots_text(f.knots, digits)}"
                                 for f in splines)
                parts.append(f"{endpoint_title(document, param)}, {arm_label(document, arm)}: "
                             f"{text} (boundary knots {fmt.number(math.exp(first), digits)} "
                             f"and {fmt.number(math.exp(last), digits)})")
    if not parts:
        return []
    how = ("given" if s.knots else "at centiles of the log event times (the default)")
    return [f"Spline models (Royston-Parmar, log cumulative hazard): internal knots {how}, "
            f"boundary knots at the first and last event times, in {s.time_unit}: "
            + "; ".join(parts) + "."]


def _footnotes(document) -> tuple[str, ...]:
    s = document.settings
    unit = s.time_unit
    digits = fmt.time_digits(unit)
    years = s.horizon / {"days": 365.25, "weeks": 365.25 / 7, "months": 12.0,
                         "years": 1.0}.get(unit, float("nan"))
    horizon = f"{fmt.tick(s.horizon)} {unit}" + (
        f" ({fmt.tick(round(years, 2))} years)" if math.isfinite(years) and unit != "years"
        else "")
    out = [
        f"Restricted mean (SE): area under the model's survival curve from 0 to the "
        f"horizon, {horizon}. Mean: the area under the whole curve; '{INFINITE}' when the "
        "curve does not fall to 0 fast enough for it to be finite.",
        "Model − KM: the model's restricted mean minus the Kaplan-Meier restricted mean, "
        "both to the arm's last follow-up time (in the heading); a large difference is a "
        "poor fit within the data.",
        f"Models ranked by AIC within each section (1 = lowest); ΔAIC: AIC minus the "
        f"section's lowest; BIC = -2 log-likelihood + p log(n), n = {s.bic_n}.",
        f"Maximum likelihood: {s.optimiser} optimiser, tolerance {s.tolerance:g}, at most "
        f"{s.max_iter} iterations; method profile {s.profile}; confidence level "
        f"{fmt.level(s.conf_level)}.",
        f"Pointwise CIs of the fitted curves (figures): {s.ci_method}.",
    ]
    if any(ep.joint for ep in document.endpoints.values()):
        ref = arm_label(document, document.reference)
        out.append(f"Joint models: each distribution fitted to all arms with the arm as a "
                   f"covariate on the location parameter, {ref} the baseline; AIC and BIC "
                   "are of the joint fit, the means of each arm's curve under it.")
    elif s.joint:
        out.append("Joint models were asked for but are not in the results.")
    else:
        out.append("No joint models (arm as covariate): not asked for.")
    out += _knot_notes(document, digits)
    for param in sorted(document.endpoints):
        out += _missing_notes(document, param)
    psm = getattr(document, "partitioned_survival", None)
    if psm is not None:
        out.append("Partitioned survival: see the partitioned-survival table (PSMT01).")
    out += [f"{key}: not computable: {why}." for key, why in sorted(
        (getattr(document, "not_computable", None) or {}).items())]
    out.append(unit_note(unit))
    out.append(ABBREVIATIONS)
    return tuple(out)


def _arm_heading(document, param: str, arm: str, a, digits: int) -> str:
    return (f"{endpoint_title(document, param)}: {arm_label(document, arm)} (n={a.n}, "
            f"{a.events} events; follow-up {fmt.number(a.follow_up, digits)} "
            f"{document.settings.time_unit})")


def extrapolation_rows(document, param: str) -> list[Row]:
    """The rows of one endpoint: a section per arm, then the joint models.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> rows = extrapolation_rows(specimen_extrapolation(), "OS")
    >>> [r.label for r in rows if r.section]  # doctest: +NORMALIZE_WHITESPACE
    ['Overall survival: Drug A (n=10, 6 events; follow-up 30.0 months)',
     'Overall survival: Control (n=10, 8 events; follow-up 28.0 months)',
     'Overall survival: joint models (arm as covariate)']
    """
    digits = fmt.time_digits(document.settings.time_unit)
    ep = document.endpoints[param]
    blank = ("",) * 6
    rows: list[Row] = []
    for arm in arm_order(document):
        a = ep.arms.get(arm)
        if a is None:
            continue
        rows.append(Row(_arm_heading(document, param, arm, a, digits), blank, section=True))
        models = ranked(a.models)
        if not models:
            rows.append(Row("No model fitted", blank, indent=1))
            continue
        best = min(m.fit.aic for _, m in models)
        for _, m in models:
            rows.append(Row(_model_label(m.fit),
                            _fit_cells(m.fit, best) + _prediction_cells(m.prediction, digits),
                            indent=1))
    if ep.joint:
        rows.append(Row(f"{endpoint_title(document, param)}: joint models (arm as covariate)",
                        blank, section=True))
        models = ranked(ep.joint)
        best = min(m.fit.aic for _, m in models)
        for _, m in models:
            rows.append(Row(_model_label(m.fit), _fit_cells(m.fit, best) + ("",) * 3,
                            indent=1))
            for arm in arm_order(document):
                pred = m.arms.get(arm)
                if pred is not None:
                    rows.append(Row(arm_label(document, arm), ("",) * 3
                                    + _prediction_cells(pred, digits), indent=2))
    return rows


def extrapolation_params(document) -> list[str]:
    """Endpoints shown: those in the document and those the study asked for that the data
    could not give (``not_computable``), sorted.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> extrapolation_params(replace(specimen_extrapolation(), not_computable={"PFS": "x"}))
    ['OS', 'PFS']
    """
    missing = getattr(document, "not_computable", None) or {}
    return sorted(set(document.endpoints) | (set(missing) - NOT_ENDPOINTS))


def extrapolation_table(document) -> Table:
    """The extrapolation table (``EXTT01``): every endpoint's models, ranked by AIC.

    Parameters
    ----------
    document : ExtrapolationDocument
        As read by :func:`netter.artefacts.read_any`.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> table = extrapolation_table(specimen_extrapolation())
    >>> table.title
    'Parametric survival models: fit and extrapolation to 120 months'
    >>> [r.cells[3:] for r in table.rows if r.label == "Exponential"][0]
    ('38.2 (3.1)', '41.0', '+0.4')
    """
    s = document.settings
    unit = s.time_unit
    missing = getattr(document, "not_computable", None) or {}
    rows: list[Row] = []
    for param in extrapolation_params(document):
        if param in document.endpoints:
            rows += extrapolation_rows(document, param)
        else:
            rows.append(Row(f"{param}: not computable", ("",) * 6, section=True))
            rows.append(Row(missing[param], ("",) * 6, indent=1))
    study = getattr(document, "study", None)
    title = (study.analysis_title if study is not None and getattr(study, "analysis_title",
                                                                     None)
             else f"Parametric survival models: fit and extrapolation to "
                  f"{fmt.tick(s.horizon)} {unit}")
    columns = ("Model", "AIC", "ΔAIC", "BIC",
               f"Restricted mean to {fmt.tick(s.horizon)} {unit} (SE)", "Mean",
               "Model − KM restricted mean within follow-up")
    return Table(id=TABLE_ID, title=title, columns=columns, rows=tuple(rows),
                 footnotes=_footnotes(document))


def clipping_text(occ, digits: int = 1) -> str:
    """Where PFS was clipped to OS: ``"none"``, or the grid times and largest excess.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> clipping_text(N(clipped_times=(), clipped_max=0.0))
    'None'
    >>> clipping_text(N(clipped_times=(3.0, 4.0, 5.0), clipped_max=0.01234))
    '3 grid times, 3.0–5.0; largest excess 0.012'
    """
    times = tuple(occ.clipped_times)
    if not times:
        return "None"
    n = len(times)
    return (f"{n} grid time{'s' if n != 1 else ''}, "
            f"{fmt.interval((min(times), max(times)), digits)}; largest excess "
            f"{fmt.number(occ.clipped_max, 3)}")


def psm_table(document) -> Table:
    """The partitioned-survival table (``PSMT01``): one row per arm.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> table = psm_table(specimen_extrapolation())
    >>> table.rows[0].label, table.rows[0].cells[2:5]
    ('Drug A', ('16.0', '20.5', '83.5'))
    """
    s = document.settings
    unit = s.time_unit
    digits = fmt.time_digits(unit)
    psm = document.partitioned_survival
    rows = []
    for arm in arm_order(document):
        occ = psm.arms.get(arm)
        if occ is None:
            continue
        os_ep = document.endpoints.get(psm.os_param)
        os_model = None
        if os_ep is not None and arm in os_ep.arms:
            os_model = os_ep.arms[arm].models.get(occ.os_distribution)
        alive = fmt.NE if os_model is None else fmt.number(
            os_model.prediction.restricted_mean, digits)
        label = {occ.pfs_distribution: dist_label(document, psm.pfs_param,
                                                  occ.pfs_distribution),
                 occ.os_distribution: dist_label(document, psm.os_param, occ.os_distribution)}
        rows.append(Row(arm_label(document, arm), (
            label[occ.pfs_distribution], label[occ.os_distribution],
            fmt.number(occ.mean_progression_free, digits),
            fmt.number(occ.mean_progressed, digits), fmt.number(occ.mean_dead, digits),
            alive, clipping_text(occ, digits))))
    h = f"{fmt.tick(s.horizon)} {unit}"
    pfs, os_ = (endpoint_title(document, p) for p in (psm.pfs_param, psm.os_param))
    notes = [
        f"Partitioned survival: progression-free = S_PFS(t) ({pfs}, {psm.pfs_param}); "
        f"progressed = S_OS(t) − S_PFS(t); dead = 1 − S_OS(t) ({os_}, {psm.os_param}); "
        f"each arm's own fitted models.",
        f"Mean time in each state from 0 to the horizon, {h} (trapezoid rule on the grid "
        f"of step {fmt.tick(s.grid_step)} {unit}); the three add up to the horizon.",
        "Alive: the OS model's restricted mean to the horizon (progression-free plus "
        "progressed, up to the trapezoid rule).",
        "PFS clipped to OS: grid times where the PFS model's survival exceeded the OS "
        "model's and was set to it (their range), and the largest excess (a proportion); "
        "clipping means the two models disagree and the progressed state is understated.",
        unit_note(unit),
        ABBREVIATIONS,
    ]
    arms_missing = [a for a in arm_order(document) if a not in psm.arms]
    if arms_missing:
        notes.insert(0, "No partitioned survival for "
                     + ", ".join(arm_label(document, a) for a in arms_missing) + ".")
    columns = ("Arm", "PFS model", "OS model", f"Progression-free ({unit})",
               f"Progressed ({unit})", f"Dead ({unit})", f"Alive ({unit})",
               "PFS clipped to OS")
    return Table(id=PSM_TABLE_ID, title=f"Partitioned survival: mean time in each state to "
                 f"{h}", columns=columns, rows=tuple(rows), footnotes=tuple(notes))


def dist_label(document, param: str, dist: str) -> str:
    """A distribution's label as the document records it (its fits' ``label``), else
    :data:`DIST_NAMES`, else its code.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> doc = specimen_extrapolation()
    >>> dist_label(doc, "OS", "weibull"), dist_label(doc, "OS", "gompertz")
    ('Weibull', 'Gompertz')
    """
    ep = document.endpoints.get(param)
    for a in (ep.arms.values() if ep is not None else ()):
        if dist in a.models:
            return a.models[dist].fit.label
    for m in ((ep.joint or {}).values() if ep is not None else ()):
        if m.fit.distribution == dist:
            return m.fit.label
    return DIST_NAMES.get(dist, dist)
