"""Hazard ratio adjusted for treatment switching (table ``XOVT01``), from a crossover
document (``netter crossover``, schema ``netter.crossover/1``).

One row per method: the randomised (ITT) comparison first, then the methods that adjust
for switching (RPSFTM re-censored and not, IPCW, two-stage estimation) and last the two
naive comparators, under a heading that marks them biased.  Columns: the hazard ratio
with its CI (:func:`netter.tables.fmt.ratio_ci`), how that CI was made (short; the
document's own words are in a footnote), the method's key parameter, and the bootstrap
CI when the analysis ran one.  Footnotes give the switchers, the profile and every
setting behind the numbers, why a method is not estimable, its warnings, and each
method's assumptions as the document records them (in full, each once).  Nothing is
computed here.

Examples
--------
>>> from netter.tables.specimen import specimen_crossover
>>> table = crossover_table(specimen_crossover())
>>> table.columns
('Method', 'HR (95% CI)', 'CI method', 'Key parameter')
>>> [(r.label, r.cells[0]) for r in table.rows][:3]
[('ITT (as randomised)', '0.44 (0.08–2.40)'), ('Adjusted for switching', ''), \
('RPSFTM, re-censored', '0.38 (0.05–2.71)')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netter.results import CrossoverDocument, HazardRatio
from netter.results.crossover import METHODS
from netter.tables import fmt
from netter.tables.labels import arm_display, arm_label
from netter.tables.table import Row, Table

#: Stable id of the crossover table.
TABLE_ID = "XOVT01"
#: Label of the randomised comparison.
ITT_LABEL = "ITT (as randomised)"
#: Method keys adjusting for switching, and the naive (biased) comparators.
ADJUSTED, NAIVE = ("rpsftm", "rpsftm_no_recensor", "ipcw", "tse"), ("censor", "exclude")
#: Headings of the two groups of methods.
ADJUSTED_HEADING, NAIVE_HEADING = "Adjusted for switching", "Naive comparators (biased)"
#: Abbreviations used in the table.
ABBREVIATIONS = ("AF: acceleration factor; AFT: accelerated failure time; CI: confidence "
                 "interval; HR: hazard ratio; IPCW: inverse probability of censoring "
                 "weighting; ITT: intention to treat; NE: not estimable; RPSFTM: "
                 "rank-preserving structural failure time model; SE: standard error.")


@dataclass(frozen=True)
class MethodRow:
    """One method as the table and the figure show it.

    ``group`` is ``"itt"``, ``"adjusted"`` or ``"naive"``; ``result`` the document's
    entry (the :class:`~netter.results.IttResult` for the ITT row); ``hazard_ratio``
    ``None`` when the method gave none; ``reason`` why it is not estimable.
    """

    key: str
    label: str
    group: str
    result: object
    hazard_ratio: HazardRatio | None
    reason: str | None

    @property
    def estimable(self) -> bool:
        """Whether the row has a hazard ratio to show."""
        return self.hazard_ratio is not None and self.hazard_ratio.estimate is not None


def method_rows(document: CrossoverDocument) -> list[MethodRow]:
    """The ITT comparison, then every method the document holds, in :data:`METHODS`
    order (methods not asked for are left out).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> [(r.key, r.group, r.estimable) for r in method_rows(specimen_crossover())][3:5]
    [('ipcw', 'adjusted', True), ('tse', 'adjusted', False)]
    """
    itt = document.itt
    reason = None
    if itt.hazard_ratio.estimate is None:
        reason = itt.hazard_ratio.ci_method.removeprefix("not estimable: ")
    rows = [MethodRow("itt", ITT_LABEL, "itt", itt, itt.hazard_ratio, reason)]
    for key in METHODS:
        result = getattr(document.methods, key, None)
        if result is None:
            continue
        group = "naive" if key in NAIVE else "adjusted"
        why = result.not_estimable_reason
        if why is None and (result.hazard_ratio is None
                            or result.hazard_ratio.estimate is None):
            why = "no hazard ratio in the results"
        rows.append(MethodRow(key, result.label, group, result, result.hazard_ratio, why))
    return rows


def hr_text(row: MethodRow) -> str:
    """The hazard ratio and its CI (``"NE"`` when not estimable).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> [hr_text(r) for r in method_rows(specimen_crossover())][:2]
    ['0.44 (0.08–2.40)', '0.38 (0.05–2.71)']
    """
    hr = row.hazard_ratio
    if hr is None:
        return fmt.NE
    return fmt.ratio_ci(hr.estimate, hr.ci, row.reason)


def ci_short(ci_method: str) -> str:
    """A short name of how a CI was made, from the document's description of it (the
    part before any ``;``, the confidence level left out).

    Examples
    --------
    >>> ci_short("Wald 95%, robust (sandwich) SE clustered by subject")
    'Wald, robust SE'
    >>> ci_short("95%, SE set so that the Wald p-value equals the ITT logrank p-value "
    ...          "(preserved p); bootstrap: bootstrap percentile, 20 of 20 resamples")
    'Preserved ITT p-value'
    >>> ci_short("Wald 95%, model SE"), ci_short("profile likelihood 90%")
    ('Wald, model SE', 'profile likelihood')
    """
    main = ci_method.split(";")[0].strip()
    low = main.lower()
    if low.startswith("not estimable"):
        return ""
    if "preserved p" in low:
        return "Preserved ITT p-value"
    if low.startswith("bootstrap percentile"):
        return "Bootstrap percentile"
    if "robust" in low:
        return "Wald, robust SE"
    if "naive model se" in low:
        return "Wald, naive SE (ignores stage 1)"
    if low.startswith("wald") and "model se" in low:
        return "Wald, model SE"
    short = re.sub(r"\s*\d+(\.\d+)?%", "", main).strip(" ,")
    return short or main


def compared_arms(document: CrossoverDocument) -> list[str]:
    """The experimental and the reference arm, in the study's order when the document
    records it (``arm_labels``), else the experimental arm first.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> compared_arms(specimen_crossover())
    ['Drug A', 'Control']
    """
    arms = [document.experimental, document.reference]
    order, _ = arm_display(document)
    rank = {value: i for i, value in enumerate(order)}
    return sorted(arms, key=lambda arm: rank.get(arm, len(rank) + arms.index(arm)))


def _counts(document: CrossoverDocument, n: dict, events: dict) -> str:
    return "; ".join(f"{arm_label(document, arm)}: {n.get(arm, 0)} ({events.get(arm, 0)})"
                     for arm in compared_arms(document))


def key_parameter(document: CrossoverDocument, row: MethodRow) -> str:
    """The method's key parameter: psi (CI) and acceleration factor (RPSFTM), the
    weights' range and robust SE (IPCW), the acceleration factor of switching (two-stage),
    patients (events) per arm (ITT, naive).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> doc = specimen_crossover()
    >>> [key_parameter(doc, r) for r in method_rows(doc)]  # doctest: +NORMALIZE_WHITESPACE
    ['Drug A: 10 (2); Control: 10 (4)', 'psi -0.52 (-1.90–0.60); AF 1.68',
     'psi -0.61 (-2.00–0.50); AF 1.84', 'weights 0.62–2.41; robust SE 0.900', 'AF NE',
     'Drug A: 10 (2); Control: 10 (3)', 'Drug A: 10 (2); Control: 6 (3)']
    """
    r, digits = row.result, fmt.DIGITS["ratio"]
    if row.key == "itt" or row.group == "naive":
        return _counts(document, r.n, r.events)
    if row.key.startswith("rpsftm"):
        psi = (fmt.NE if r.psi is None or r.psi.estimate is None
               else fmt.estimate_ci(r.psi.estimate, r.psi.ci, digits))
        return f"psi {psi}; AF {fmt.number(r.acceleration_factor, digits)}"
    if row.key == "ipcw":
        weights = (fmt.NE if r.weights is None
                   else fmt.interval((r.weights.minimum, r.weights.maximum), digits))
        se = row.hazard_ratio.se_robust if row.hazard_ratio is not None else None
        return f"weights {weights}; robust SE {fmt.number(se, 3)}"
    if row.key == "tse":
        af = r.acceleration_factor
        return "AF " + (fmt.NE if af is None or af.estimate is None
                        else fmt.ratio_ci(af.estimate, af.ci))
    return ""


def _bootstrap(row: MethodRow) -> str:
    ci = row.hazard_ratio.bootstrap_ci if row.hazard_ratio is not None else None
    if ci is None:
        return ""
    return fmt.interval(ci, fmt.DIGITS["ratio"], upper=fmt.INFINITY)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _numbers(values: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"(1)–(3), (5)"``."""
    runs: list[list[int]] = []
    for v in values:
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ", ".join(f"({r[0]})" if len(r) == 1 else f"({r[0]}){fmt.DASH}({r[-1]})"
                     for r in runs)


def assumption_notes(rows: list[MethodRow]) -> list[str]:
    """One footnote per method with its assumptions, each assumption written in full the
    first time and by its number after.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> notes = assumption_notes(method_rows(specimen_crossover()))
    >>> notes[1]
    'Assumptions of RPSFTM, not re-censored: (1)–(2) as above; (4) no re-censoring.'
    """
    numbered: dict[str, int] = {}
    out = []
    for row in rows:
        assumptions = getattr(row.result, "assumptions", ()) or ()
        if not assumptions:
            continue
        seen = [numbered[a] for a in assumptions if a in numbered]
        parts = [f"{_numbers(seen)} as above"] if seen else []
        for text in assumptions:
            if text not in numbered:
                numbered[text] = len(numbered) + 1
                parts.append(f"({numbered[text]}) {text}")
        out.append(f"Assumptions of {row.label}: {'; '.join(parts)}.")
    return out


def _tick(value: float) -> str:
    return f"{value:g}"


def _ordinal(value: float) -> str:
    """``1 -> "1st"``, ``99 -> "99th"``, ``2.5 -> "2.5th"``."""
    text = _tick(value)
    if not text.isdigit() or text.endswith(("11", "12", "13")):
        return f"{text}th"
    return text + {"1": "st", "2": "nd", "3": "rd"}.get(text[-1], "th")


#: Words for the settings' codes (a code not here is shown as it is).
WORDS = {"logrank": "log-rank", "cox": "Cox", "follow-up": "their whole follow-up",
         "to-progression": "until progression",
         "from-switch": "from the switch to the end of follow-up"}


def _terms(model) -> str:
    return ", ".join(t.name for t in model if t.name != "(Intercept)") or "intercept only"


def _setting_notes(document: CrossoverDocument, rows: list[MethodRow]) -> list[str]:
    s = document.settings
    keys = {r.key for r in rows}
    unit = s.time_unit
    out = []
    rpsftm = [r for r in rows if r.key.startswith("rpsftm")]
    if rpsftm:
        lo, hi = s.rpsftm_interval
        out.append(
            f"RPSFTM: psi g-estimated with the {WORDS.get(s.rpsftm_test, s.rpsftm_test)} "
            f"test, searched in [{_tick(lo)}, {_tick(hi)}] (tolerance "
            f"{s.rpsftm_tolerance:g}); AF = exp(-psi); on treatment: experimental arm "
            f"{WORDS.get(s.exposure_experimental, s.exposure_experimental)}, switchers "
            f"{WORDS.get(s.exposure_switch, s.exposure_switch)}; re-censoring as the row "
            "says.")
    for row in rpsftm:
        roots = row.result.roots or ()
        if len(roots) > 1:
            psi = row.result.psi.estimate if row.result.psi is not None else None
            out.append(f"{row.label}: {len(roots)} roots of the estimating function in the "
                       f"search interval ({', '.join(fmt.number(v, 3) for v in roots)}); "
                       f"psi is {fmt.number(psi, 3)}.")
    if "ipcw" in keys:
        r = next(x for x in rows if x.key == "ipcw").result
        length = round(r.interval, 4)
        interval = f"{_tick(length)} {unit.removesuffix('s') if length == 1 else unit}"
        text = (f"IPCW: pooled logistic models of switching on person-intervals of "
                f"{interval} ({r.model_rows or 'rows not recorded'}); switching model terms: "
                f"{_terms(r.denominator_model)}; numerator (stabilising) terms: "
                f"{_terms(r.numerator_model)}; ")
        if s.ipcw_truncation is None:
            text += "weights not truncated"
        else:
            lo, hi = s.ipcw_truncation
            text += f"weights truncated at the {_ordinal(lo)} and {_ordinal(hi)} percentiles"
            if r.weights is not None:
                text += f" ({r.weights.truncated_rows} person-intervals truncated)"
        if r.weights is not None:
            w, d = r.weights, fmt.DIGITS["ratio"]
            text += (f"; stabilised weights over {w.rows} person-intervals: median "
                     f"{fmt.number(w.median, d)}, 1st{fmt.DASH}99th percentiles "
                     f"{fmt.interval((w.p1, w.p99), d)}, mean {fmt.number(w.mean, d)}")
        out.append(text + ".")
    if "tse" in keys:
        row = next(x for x in rows if x.key == "tse")
        r = row.result
        among = (f" (n={r.stage1_n}, {r.stage1_events} events)" if r.stage1_n else "")
        out.append(f"Two-stage estimation: {r.distribution.capitalize()} AFT model of "
                   f"survival after progression among progressed reference-arm patients"
                   f"{among}; AF of switching: the factor by which switching multiplies "
                   f"the remaining survival; {'re-censored' if r.recensor else 'not re-censored'}.")
    if keys & {"ipcw", "tse"}:
        out.append("Covariates of the switching and AFT models: "
                   f"{', '.join(s.covariates) or 'none'}.")
    if s.progression:
        out.append(_sentence(s.progression))
    if s.censor_time:
        out.append(_sentence(s.censor_time))
    if s.bootstrap:
        out.append(f"Bootstrap: {s.bootstrap} resamples within arms (seed {s.seed}), "
                   "percentile CIs.")
    return out


def _footnotes(document: CrossoverDocument, rows: list[MethodRow]) -> tuple[str, ...]:
    s = document.settings
    exp, ref = (arm_label(document, a) for a in (document.experimental, document.reference))
    n_ref = document.n.get(document.reference, 0)
    strata = (f"stratified by {', '.join(s.strata)}" if s.strata else "unstratified")
    itt = document.itt
    out = [
        f"Comparisons: {exp} vs {ref} (reference arm, the arm switchers come from); "
        f"HR < 1 favours {exp}.",
        f"Switchers: {fmt.count_percent(document.n_switchers, n_ref)} of the {n_ref} "
        f"patients randomised to {ref} switched to the experimental treatment.",
        f"Method profile: {s.profile}; {s.ties.capitalize()} ties; confidence level "
        f"{fmt.level(s.conf_level)}; Cox models and tests {strata}.",
        f"ITT: Cox model of the randomised arms; log-rank "
        f"{fmt.p_equation(itt.p_value_logrank)}.",
        *_setting_notes(document, rows),
        "How each CI was made: " + "; ".join(
            f"{r.label}: {r.hazard_ratio.ci_method}" for r in rows
            if r.hazard_ratio is not None and r.estimable) + ".",
    ]
    if any(r.group == "naive" for r in rows):
        out.append("Naive comparators: Cox model after censoring switchers at the switch, or "
                   "after excluding them; both are biased (see their assumptions).")
    out += [f"{r.label}: not estimable: {r.reason}." for r in rows if not r.estimable]
    out += [f"{r.label}: {w}." for r in rows for w in getattr(r.result, "warnings", ()) or ()]
    out += assumption_notes(rows)
    out += [f"{key}: not computable: {why}." for key, why in sorted(
        (document.not_computable or {}).items())]
    out.append("Patients (events) per arm in the key parameter of the ITT and naive rows. "
               + ABBREVIATIONS)
    return tuple(out)


def crossover_table(document: CrossoverDocument) -> Table:
    """The crossover table: one row per method, ITT first, naive comparators last.

    Parameters
    ----------
    document : CrossoverDocument
        As read by :func:`netter.artefacts.read_any`.

    Returns
    -------
    Table

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> table = crossover_table(specimen_crossover())
    >>> table.title
    'Overall survival: hazard ratio of Drug A vs Control adjusted for treatment switching'
    >>> [r.cells[:3] for r in table.rows if r.label == "Two-stage estimation"]
    [('NE', '', 'AF NE')]
    """
    rows = method_rows(document)
    level = fmt.level(document.settings.conf_level)
    bootstrap = any(_bootstrap(r) for r in rows)
    out: list[Row] = []
    heading = None
    for row in rows:
        if row.group != "itt" and row.group != heading:
            heading = row.group
            out.append(Row(ADJUSTED_HEADING if heading == "adjusted" else NAIVE_HEADING,
                           ("",) * (4 if bootstrap else 3), section=True))
        cells = (hr_text(row),
                 ci_short(row.hazard_ratio.ci_method) if row.estimable else "",
                 key_parameter(document, row))
        out.append(Row(row.label, cells + ((_bootstrap(row),) if bootstrap else ()),
                       indent=0 if row.group == "itt" else 1))
    study = document.study
    endpoint = document.param_label or document.param
    exp, ref = (arm_label(document, a) for a in (document.experimental, document.reference))
    title = (study.analysis_title if study and study.analysis_title else
             f"{endpoint}: hazard ratio of {exp} vs {ref} adjusted for treatment switching")
    columns = ("Method", f"HR ({level} CI)", "CI method", "Key parameter",
               *((f"Bootstrap {level} CI",) if bootstrap else ()))
    return Table(id=TABLE_ID, title=title, columns=columns, rows=tuple(out),
                 footnotes=_footnotes(document, rows))
