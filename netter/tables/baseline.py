"""Baseline characteristics by arm (table ``BASET01``) from a baseline document.

Categorical variables: one row per level, ``n (%)`` of the subjects with a value;
numeric variables: ``Mean (SD)`` and ``Median (range)``; a ``Missing`` row when
any subject lacks the variable.  The statistics were computed when the analysis ran
(:func:`netter.endpoints.baseline.describe_baseline`); this module only lays them out,
with the labels the document records, arms in the study's order.

Examples
--------
>>> from netter.tables.specimen import specimen_baseline
>>> print(baseline_table(specimen_baseline()).to_csv().split("\\n\\n")[0])
,Drug A (N=10),Control (N=10),Total (N=20)
"Age, years",,,
  Mean (SD),63.4 (8.2),61.2 (9.1),62.3 (8.6)
  Median (range),64.0 (48–77),60.5 (45–79),62.0 (45–79)
  Missing,1,0,1
"Sex, n (%)",,,
  Female,4 (40.0%),5 (50.0%),9 (45.0%)
  Male,6 (60.0%),5 (50.0%),11 (55.0%)
"""

from __future__ import annotations

from netter.results import BaselineDocument, BaselineVariable
from netter.results.baseline import CONTINUOUS
from netter.tables import fmt
from netter.tables.labels import arm_label, level_label, order_arms, variable_label
from netter.tables.table import Row, Table

#: Stable id of the baseline table.
TABLE_ID = "BASET01"


def _count(count: int, proportion: float | None) -> str:
    return str(count) if proportion is None else f"{count} ({fmt.percent(proportion)})"


def _variable_rows(var: BaselineVariable, order: list[int]) -> list[Row]:
    groups = [var.groups[i] for i in order]
    var = BaselineVariable(var.variable, var.kind, var.levels, tuple(groups), var.label,
                           var.level_labels)
    empty = ("",) * len(var.groups)
    label = variable_label(var)
    if var.kind == CONTINUOUS:
        rows = [Row(label, empty, section=True),
                Row("Mean (SD)", tuple(fmt.mean_sd(g.summary.mean, g.summary.sd)
                                       for g in var.groups), indent=1),
                Row("Median (range)", tuple(
                    fmt.median_range(g.summary.median, g.summary.minimum, g.summary.maximum,
                                     range_digits=0 if g.summary.whole else None)
                    for g in var.groups), indent=1)]
    else:
        rows = [Row(f"{label}, n (%)", empty, section=True)]
        for i, level in enumerate(var.levels):
            rows.append(Row(level_label(var, level), tuple(
                _count(g.counts[i].count, g.counts[i].proportion) for g in var.groups),
                indent=1))
    if any(g.missing for g in var.groups):
        rows.append(Row("Missing", tuple(str(g.missing) for g in var.groups), indent=1))
    return rows


def _abbreviations(document: BaselineDocument) -> str:
    found = ["SD: standard deviation"]
    found += [f"{k}: {v}" for k, v in (document.abbreviations or {}).items()]
    return "; ".join(found) + "."


def _column_order(document: BaselineDocument) -> list[int]:
    """Group indices in display order: arms in the study's order, ``Total`` last."""
    arms = [g.arm for g in document.groups[:-1]]
    ordered = order_arms(arms, document)
    return [arms.index(a) for a in ordered] + [len(document.groups) - 1]


def baseline_table(document: BaselineDocument) -> Table:
    """The baseline characteristics table: arms, then ``Total``.

    Parameters
    ----------
    document : BaselineDocument

    Returns
    -------
    Table
    """
    order = _column_order(document)
    rows = [row for var in document.variables for row in _variable_rows(var, order)]
    population = (f"subjects with {document.population_flag} = 'Y'"
                  if document.population_flag else "all randomised subjects (ADSL)")
    notes = (
        f"Population: {population}, by {document.arm_var}.",
        "Categorical variables: n (%) of the subjects with a value; numeric variables: "
        "mean (standard deviation, n - 1 denominator) and median (minimum–maximum; "
        "whole numbers when every value is one).",
        "Descriptive statistics only; no tests between arms.",
        *(f"{var}: not computable: {reason}." for var, reason in sorted(
            (document.not_computable or {}).items())),
        _abbreviations(document),
    )
    study = document.study
    title = (study.analysis_title if study and study.analysis_title
             else "Baseline characteristics")
    return Table(id=TABLE_ID, title=f"{title} by arm",
                 columns=("", *(f"{arm_label(document, document.groups[i].arm)} "
                                f"(N={document.groups[i].n})" for i in order)),
                 rows=tuple(rows), footnotes=notes)
