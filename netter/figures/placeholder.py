"""The figure drawn where the data could not give what the study asked for.

A report keeps its layout whatever the data: a Kaplan-Meier figure of an endpoint the
data lack, or the forest plot of a subgroup analysis of three arms, is a panel that
says what is missing and why (the reason recorded in the results' ``not_computable``).

Examples
--------
>>> fig = not_computable_figure("PFS", "the ADTTE of cut-off final has no PARAMCD PFS")
>>> [t.get_text() for t in fig.texts][0]
'PFS: not computable'
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from netter.figures.theme import BASE_SIZE, FONT, GREY, SINGLE, TICK_SIZE


def not_computable_figure(what: str, reason: str, width: float = SINGLE) -> Figure:
    """A blank panel titled ``"<what>: not computable"`` with the reason below it."""
    fig = Figure(figsize=(width, 1.4), dpi=100)
    fig.text(0.05, 0.7, f"{what}: not computable", fontsize=BASE_SIZE + 1, weight="bold",
             family=FONT, ha="left", va="center")
    wrapped = textwrap.fill(reason, width=max(30, int(width * 14)))
    fig.text(0.05, 0.4, wrapped, fontsize=TICK_SIZE, color=GREY, family=FONT, ha="left",
             va="top")
    return fig
