"""Validation problems and how they read: one line per file, variable and kind of problem.

Examples
--------
>>> p = Problem(file="adtte.csv", variable="AVAL", value="-3", subjects=("S1",),
...             message="is negative")
>>> print(p)
adtte.csv: AVAL = -3 is negative (USUBJID S1)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.errors import AdamError

#: Grouped report lines list at most this many value/subject items, then "and N more".
MAX_ITEMS = 20
#: One item lists at most this many subjects, then "and N more".
MAX_SUBJECTS = 10

_PLAIN = re.compile(r"[^\s,;()\"']+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where (file, variable), what (value), whose (subjects).

    ``rows`` (1-based record numbers) stand in for ``subjects`` when ``USUBJID`` is missing.

    Examples
    --------
    >>> print(Problem("adtte.csv", "AVAL", "-3", ("TRIAL-0042",), "is negative"))
    adtte.csv: AVAL = -3 is negative (USUBJID TRIAL-0042)
    >>> print(Problem("adtte.csv", "CNSR", None, (), "is required in ADTTE but absent"))
    adtte.csv: CNSR is required in ADTTE but absent
    """

    file: str
    variable: str | None
    value: object
    subjects: tuple[str, ...]
    message: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        lead = _lead(self.variable, format_value(self.value) if self.value is not None else None)
        where = _where(self.subjects, self.rows)
        text = f"{self.file}: {lead}{self.message}"
        return f"{text} ({where})" if where else text


class AdamValidationError(AdamError):
    """ADaM data with problems; ``problems`` holds them all, the message lists them grouped.

    Examples
    --------
    >>> err = AdamValidationError([Problem("adsl.csv", "USUBJID", None, (), "is absent")])
    >>> print(err)
    ADaM data failed validation (1 problem):
      - adsl.csv: USUBJID is absent
    """

    def __init__(self, problems: Sequence[Problem], header: str | None = None) -> None:
        self.problems = tuple(problems)
        super().__init__(render_problems(self.problems, header=header))


def format_value(value: object) -> str:
    """Show a value the way problem messages do: numbers plain, odd strings quoted.

    Examples
    --------
    >>> format_value(-3.0), format_value("1.5"), format_value("Placebo 10 mg")
    ('-3', '1.5', '"Placebo 10 mg"')
    >>> format_value(float("nan")), format_value(pd.Timestamp("2016-01-20"))
    ('NaN', '2016-01-20')
    """
    if value is pd.NaT:
        return "NaT"
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) else f'"{value}"'
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_problems(problems: Sequence[Problem], limit: int = MAX_ITEMS,
                    header: str | None = None) -> str:
    """The message of an :class:`AdamValidationError`: a header, then one line per group.

    Examples
    --------
    >>> problems = [Problem("adtte.csv", "AVAL", v, (s,), "is negative")
    ...             for v, s in [("-3", "TRIAL-1"), ("-5", "TRIAL-2")]]
    >>> print(render_problems(problems))
    ADaM data failed validation (2 problems):
      - adtte.csv: AVAL is negative [2 cases]: -3 (USUBJID TRIAL-1); -5 (USUBJID TRIAL-2)
    """
    count = len(problems)
    header = (header or "ADaM data failed validation") + (
        f" ({count} problem{'s' if count != 1 else ''}):")
    return "\n".join([header, *(f"  - {line}" for line in group_lines(problems, limit))])


def group_lines(problems: Sequence[Problem], limit: int = MAX_ITEMS) -> list[str]:
    """One line per file x variable x kind of problem, in order of first appearance.

    Items with the same value are merged (their subjects listed together); beyond
    ``limit`` items the line ends with "and N more", so nothing goes unmentioned.

    Examples
    --------
    >>> problems = [Problem("adtte.csv", "AVALU", "HOURS", (s,), "is not an accepted unit")
    ...             for s in ("A", "B", "C")]
    >>> group_lines(problems)
    ['adtte.csv: AVALU is not an accepted unit [3 cases]: HOURS (USUBJID A, B, C)']
    """
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.variable, problem.message), []).append(problem)
    return [_group_line(group, limit) for group in groups.values()]


def _group_line(group: list[Problem], limit: int) -> str:
    if len(group) == 1:
        return str(group[0])
    merged: dict[str, tuple[list[str], list[int]]] = {}
    for problem in group:
        key = "" if problem.value is None else format_value(problem.value)
        subjects, rows = merged.setdefault(key, ([], []))
        subjects.extend(s for s in problem.subjects if s not in subjects)
        rows.extend(problem.rows)
    items = []
    for value, (subjects, rows) in merged.items():
        where = _where(tuple(subjects), tuple(rows))
        items.append(f"{value} ({where})" if value and where else value or where)
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    first = group[0]
    head = f"{first.file}: {_lead(first.variable, None)}{first.message} [{len(group)} cases]"
    return f"{head}: {'; '.join(items[:limit])}{more}"


def _lead(variable: str | None, shown: str | None) -> str:
    if variable is None:
        return ""
    return f"{variable} = {shown} " if shown is not None else f"{variable} "


def _where(subjects: tuple[str, ...], rows: tuple[int, ...]) -> str:
    parts = []
    if subjects:
        parts.append(f"{col.USUBJID} {_truncate(list(subjects))}")
    if rows:
        label = "record" if len(rows) == 1 else "records"
        parts.append(f"{label} {_truncate([str(r) for r in rows])}")
    return "; ".join(parts)


def _truncate(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_SUBJECTS])
    extra = len(names) - MAX_SUBJECTS
    return f"{shown} and {extra} more" if extra > 0 else shown
