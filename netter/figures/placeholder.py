"""The figure drawn where the data could not give what the study asked for.

A report keeps its layout whatever the data: a Kaplan-Meier figure of an endpoint the
data lack, or the forest plot of a subgroup analysis of three arms, is a panel that
says what is missing and why (the reason recorded in the results' ``not_computable``).
The reason is wrapped to the figure's width (at most :data:`REASON_LINES` lines) and
the figure is as tall as its text; both are drawn literally
(:func:`netter.figures.theme.plain`).

Examples
--------
>>> fig = not_computable_figure("PFS", "the ADTTE of cut-off final has no PARAMCD PFS")
>>> [t.get_text() for t in fig.texts][0]
'PFS: not computable'
"""

from __future__ import annotations

from matplotlib.figure import Figure

from netter.figures.theme import BASE_SIZE, FONT, GREY, SINGLE, TICK_SIZE, wrap

#: Most lines of the reason; where the title's middle and the reason's top are (in from
#: the top) and the height of one line of the reason (in).
REASON_LINES, TITLE_AT, REASON_AT, LINE_HEIGHT = 12, 0.42, 0.84, 0.135


def not_computable_figure(what: str, reason: str, width: float = SINGLE) -> Figure:
    """A blank panel titled ``"<what>: not computable"`` with the reason below it.

    Examples
    --------
    >>> fig = not_computable_figure("OS", "word " * 200)
    >>> fig.texts[1].get_text().count("\\n") + 1, round(float(fig.get_figheight()), 2)
    (12, 2.66)
    """
    title = wrap(f"{what}: not computable", 0.9 * width, BASE_SIZE + 1, max_lines=2,
                 weight="bold")
    text = wrap(reason, 0.9 * width, TICK_SIZE, max_lines=REASON_LINES)
    extra = 0.2 * title.count("\n")  # a second line of title
    height = max(1.4, REASON_AT + extra + LINE_HEIGHT * (text.count("\n") + 1) + 0.2)
    fig = Figure(figsize=(width, height), dpi=100)
    fig.text(0.05, 1 - (TITLE_AT + extra / 2) / height, title, fontsize=BASE_SIZE + 1,
             weight="bold", family=FONT, ha="left", va="center")
    fig.text(0.05, 1 - (REASON_AT + extra) / height, text, fontsize=TICK_SIZE, color=GREY,
             family=FONT, ha="left", va="top")
    return fig
