"""The Markdown summary written beside a reconstruction (``reconstruction.md``).

It shows, for a reviewer: the inputs and how survival was read, the fit by arm
(events, RMSE, maximum absolute difference), the published and reconstructed numbers
at risk, the last-interval rule, what the cleaning changed, every warning, the overlay
figure, and what reconstructed data cannot give.  Tables are computed by
:mod:`netter.reconstruct.diagnostics`; this module only formats them.

Arm labels, file names and messages come from the user: every such text goes through
:func:`md_text` (Markdown and HTML characters escaped, so ``<script>`` stays text, ``|``
does not split a table cell and a backtick opens no code) or :func:`md_code` (a code
span that no backtick in the text can close).

Examples
--------
>>> markdown_table(["a", "b"], [[1, "x"], [2, "y|z"]])
'| a | b |\\n|---|---|\\n| 1 | x |\\n| 2 | y\\\\|z |\\n'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pandas as pd

from netter.reconstruct import diagnostics

#: What patient-level data reconstructed from a figure cannot support.
LIMITS = (
    "**No covariates.** Only arm, time and event are reconstructed: no stratification "
    "factors, baseline characteristics or subgroups. Stratified log-rank tests and Cox "
    "models, adjusted analyses and subgroup analyses cannot be redone; the unstratified "
    "hazard ratio is what can be compared with a published (often stratified) one.",
    "**Approximate timing.** Event times are the digitised step times (digitising error "
    "of a few pixels); censoring times within each at-risk interval are assumed evenly "
    "spread, so censoring patterns (administrative, informative) are not recovered.",
    "**Tails.** Beyond the last published number at risk the censoring follows the "
    "stated last-interval rule; estimates where few patients remain are least reliable.",
    "**No other endpoints or linked data.** One figure gives one endpoint; patients "
    "cannot be linked across endpoints (PFS and OS of the same patient), so crossover "
    "adjustment or joint models are out of reach.",
)

#: Characters escaped with a backslash wherever they are (Markdown emphasis, code, links,
#: tables, strikethrough, maths).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
#: HTML characters, written as entities (no tag, comment or entity can start).
_HTML = {"&": "&amp;", "<": "&lt;"}
#: Starts of a text that would open a block (heading, list, quote, rule).
_MD_BLOCK_START = re.compile(r"^(\s*)([#+=>-]|\d{1,9}(?=[.)]))")


def _visible(text: str) -> str:
    """Control characters (line breaks, escapes) shown as ``\\n``, ``\\x1b``: never raw."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
                   else c for c in str(text))


def md_text(text, *, start: bool = True) -> str:
    """Text shown literally in Markdown (and in the HTML made from it).

    Backslash-escapes ``\\ ` * _ [ ] | ~ $``, writes ``&`` and ``<`` as entities (so no
    HTML tag can open), shows control characters as escapes, and (``start``) escapes a
    leading ``#``, ``+``, ``-``, ``=``, ``>`` or ``1.`` that would open a block where the
    text starts a line or list item.

    Examples
    --------
    >>> print(md_text("<script>alert(1)</script> | `x` *y*"))
    &lt;script>alert(1)&lt;/script> \\| \\`x\\` \\*y\\*
    >>> print(md_text("# 1. arm"), md_text("1. arm"), md_text("-1", start=False))
    \\# 1. arm 1\\. arm -1
    """
    out = _MD_SPECIAL.sub(r"\\\1", _visible(text))
    out = "".join(_HTML.get(c, c) for c in out)
    if start:
        match = _MD_BLOCK_START.match(out)
        if match:
            lead, mark = match.group(1), match.group(2)
            if mark[0].isdigit():
                rest = out[match.end():]
                out = f"{lead}{mark}\\{rest}"
            else:
                out = f"{lead}\\{out[match.end(1):]}"
    return out


def md_code(text) -> str:
    """A Markdown code span holding ``text`` literally, whatever backticks it has.

    Examples
    --------
    >>> print(md_code("curve.csv"), md_code("a`b.csv"), md_code("`x"))
    `curve.csv` ``a`b.csv`` `` `x ``
    """
    body = _visible(text)
    runs = [len(run) for run in re.findall(r"`+", body)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or (
        body.startswith(" ") and body.endswith(" ") and body.strip()) else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def markdown_table(header, rows) -> str:
    """A GitHub-flavoured Markdown table; every cell is ``str`` of its value, escaped
    (:func:`md_text`)."""
    def cell(value) -> str:
        return md_text(str(value), start=False)

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "not given" if value is None or pd.isna(value) else f"{value:g}"


def _fit_section(fit: pd.DataFrame, unit: str) -> str:
    header = ["arm", "patients", "events published", "events reconstructed", "censored",
              "RMSE", "max abs difference", f"at time ({unit.lower()})"]
    rows = [[r.arm, r.n, _number(r.events_published), r.events_reconstructed, r.censored,
             f"{r.rmse:.4f}", f"{r.max_abs_diff:.4f}", f"{r.time_of_max_diff:g}"]
            for r in fit.itertuples(index=False)]
    return markdown_table(header, rows)


def _risk_section(risk: pd.DataFrame, unit: str) -> str:
    arms = list(dict.fromkeys(risk["arm"]))
    header = [f"time ({unit.lower()})"]
    for arm in arms:
        header += [f"{arm}: published", "reconstructed"]
    rows = []
    for time in sorted(risk["time"].unique()):
        row = [f"{time:g}"]
        for arm in arms:
            hit = risk[(risk["arm"] == arm) & (risk["time"] == time)]
            row += ["", ""] if hit.empty else [int(hit["published"].iloc[0]),
                                               int(hit["reconstructed"].iloc[0])]
        rows.append(row)
    worst = int(risk["difference"].abs().max())
    return markdown_table(header, rows) + f"\nLargest difference: {worst}.\n"


def _cleaning_section(rec) -> str:
    counts = Counter((c.arm, c.rule) for c in rec.changes)
    notes = [f"- {md_text(a.curve.scale_note)}" for a in rec.arms]
    notes = list(dict.fromkeys(notes))
    if not counts:
        return "\n".join(notes) + "\n\nNo other change was needed.\n"
    rows = [[arm, rule, n] for (arm, rule), n in sorted(counts.items())]
    return ("\n".join(notes) + "\n\n" + markdown_table(["arm", "rule", "changes"], rows)
            + f"\nEvery change is listed in {md_code(diagnostics.CHANGES_FILE)}.\n")


def summary_markdown(rec, fit: pd.DataFrame, risk: pd.DataFrame) -> str:
    """The ``reconstruction.md`` text for a reconstruction and its diagnostics tables.

    Every text from the inputs (arm labels, file names, messages) is escaped.
    """
    files = rec.inputs
    events = files.get("events")
    parts = [
        f"# Reconstructed {md_text(rec.paramcd, start=False)} from a published "
        "Kaplan-Meier figure\n",
        "Patient-level data rebuilt with the algorithm of Guyot et al., BMC Med Res "
        "Methodol 2012;12:9 (`ADTTE.SRCDESC`). `adsl.csv` and `adtte.csv` in this folder "
        "can be analysed with `netter analyze --data` like any ADaM data.\n",
        "## Inputs\n",
        f"- curve: {', '.join(md_code(f) for f in files.get('curve', ()))}\n"
        f"- numbers at risk: {md_code(files.get('at_risk', ''))}\n"
        f"- total events: {'not given' if events is None else md_code(events)}\n"
        f"- time unit: {md_text(rec.time_unit, start=False)} (`AVALU`)\n",
        "## Fit by arm\n", _fit_section(fit, rec.time_unit),
        "\nRMSE over the digitised times; maximum absolute difference between the "
        "reconstructed curve and the step function through the digitised points, over "
        "all times.\n",
        "## Numbers at risk\n", _risk_section(risk, rec.time_unit),
        "## Last interval\n",
        "".join(f"- {md_text(a.arm)}: {md_text(a.fit.last_rule, start=False)}\n"
                for a in rec.arms),
        "\n## Cleaning of the digitised points\n", _cleaning_section(rec),
        "\n## Warnings\n",
        "".join(f"- {md_text(w)}\n" for w in rec.warnings) or "None.\n",
        "\n## Reconstructed curves over the digitised points\n",
        f"![Reconstructed Kaplan-Meier curves over the digitised points]"
        f"({diagnostics.FIGURE_FILE})\n",
        "\n## What reconstructed data cannot give\n",
        "".join(f"- {text}\n" for text in LIMITS),
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts))
