"""The Markdown summary written beside a reconstruction (``reconstruction.md``).

It shows, for a reviewer: the inputs and how survival was read, the fit by arm
(events, RMSE, maximum absolute difference), the published and reconstructed numbers
at risk, the last-interval rule, what the cleaning changed, every warning, the overlay
figure, and what reconstructed data cannot give.  Tables are computed by
:mod:`netter.reconstruct.diagnostics`; this module only formats them.

Examples
--------
>>> markdown_table(["a", "b"], [[1, "x"], [2, "y"]])
'| a | b |\\n|---|---|\\n| 1 | x |\\n| 2 | y |\\n'
"""

from __future__ import annotations

import re
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


def markdown_table(header, rows) -> str:
    """A GitHub-flavoured Markdown table (values formatted with ``str``)."""
    lines = ["| " + " | ".join(str(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
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
    notes = [f"- {a.curve.scale_note}" for a in rec.arms]
    notes = list(dict.fromkeys(notes))
    if not counts:
        return "\n".join(notes) + "\n\nNo other change was needed.\n"
    rows = [[arm, rule, n] for (arm, rule), n in sorted(counts.items())]
    return ("\n".join(notes) + "\n\n" + markdown_table(["arm", "rule", "changes"], rows)
            + f"\nEvery change is listed in `{diagnostics.CHANGES_FILE}`.\n")


def summary_markdown(rec, fit: pd.DataFrame, risk: pd.DataFrame) -> str:
    """The ``reconstruction.md`` text for a reconstruction and its diagnostics tables."""
    files = rec.inputs
    events = files.get("events", "not given")
    parts = [
        f"# Reconstructed {rec.paramcd} from a published Kaplan-Meier figure\n",
        "Patient-level data rebuilt with the algorithm of Guyot et al., BMC Med Res "
        "Methodol 2012;12:9 (`ADTTE.SRCDESC`). `adsl.csv` and `adtte.csv` in this folder "
        "can be analysed with `netter analyze --data` like any ADaM data.\n",
        "## Inputs\n",
        f"- curve: {', '.join(f'`{f}`' for f in files.get('curve', ()))}\n"
        f"- numbers at risk: `{files.get('at_risk', '')}`\n"
        f"- total events: {events if events == 'not given' else f'`{events}`'}\n"
        f"- time unit: {rec.time_unit} (`AVALU`)\n",
        "## Fit by arm\n", _fit_section(fit, rec.time_unit),
        "\nRMSE over the digitised times; maximum absolute difference between the "
        "reconstructed curve and the step function through the digitised points, over "
        "all times.\n",
        "## Numbers at risk\n", _risk_section(risk, rec.time_unit),
        "## Last interval\n",
        "".join(f"- {a.arm}: {a.fit.last_rule}\n" for a in rec.arms),
        "\n## Cleaning of the digitised points\n", _cleaning_section(rec),
        "\n## Warnings\n",
        "".join(f"- {w}\n" for w in rec.warnings) or "None.\n",
        "\n## Reconstructed curves over the digitised points\n",
        f"![Reconstructed Kaplan-Meier curves over the digitised points]"
        f"({diagnostics.FIGURE_FILE})\n",
        "\n## What reconstructed data cannot give\n",
        "".join(f"- {text}\n" for text in LIMITS),
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts))
