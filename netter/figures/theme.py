"""One journal theme for every netter figure, arm styles, and deterministic saving.

* Sizes: single column 3.5 in wide (:data:`SINGLE`), double column 7 in
  (:data:`DOUBLE`); 8 pt text (7 pt ticks, 6.5 pt tables), 0.5 pt axes, no grid.
* Arms are told apart by colour *and* linetype *and* point shape, so the figures
  survive grayscale printing.  Styles follow the arms' order in the study: the
  first arm is dark blue, solid, circles; the second orange, dashed, triangles
  (their luminances differ by about half); then green dotted squares and purple
  dash-dot diamonds.
* :func:`save_figure` writes PNG (fixed DPI) and SVG with no date, no software
  string and a fixed SVG hash salt: the same figure gives the same bytes (with
  the same library versions).

Examples
--------
>>> styles = arm_styles(["Drug", "Placebo"])
>>> styles["Placebo"].linetype, styles["Drug"].shape
('dashed', 'o')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from plotnine import element_blank, element_line, element_rect, element_text, theme, theme_bw

#: Figure widths in inches (journal single and double column).
SINGLE, DOUBLE = 3.5, 7.0
#: Resolution of the PNG files.
DPI = 300
#: Font family (bundled with matplotlib, so every machine draws the same glyphs).
FONT = "DejaVu Sans"
#: Text sizes in points.
BASE_SIZE, TICK_SIZE, TABLE_SIZE = 8.0, 7.0, 6.5
#: Line widths in points: axes, curves.
AXIS_WIDTH, CURVE_WIDTH = 0.5, 0.9
#: Grey of reference lines and secondary text.
GREY = "#5a5a5a"

#: Styles in order of use (the arms' order in the study).
_STYLES = (("#00468B", "solid", "o"), ("#D95F02", "dashed", "^"), ("#42B540", "dotted", "s"),
           ("#925E9F", "dashdot", "D"))


@dataclass(frozen=True)
class ArmStyle:
    """Colour, plotnine linetype and matplotlib marker of one arm."""

    color: str
    linetype: str
    shape: str


def arm_styles(arms) -> dict[str, ArmStyle]:
    """A style per arm, by position: blue solid, orange dashed, green dotted, purple ...

    Examples
    --------
    >>> arm_styles(["A", "B", "C"])["C"].color
    '#42B540'
    """
    return {arm: ArmStyle(*_STYLES[k % len(_STYLES)]) for k, arm in enumerate(arms)}


def journal_theme(width: float = SINGLE, height: float = 3.0,
                  base_size: float = BASE_SIZE) -> theme:
    """The netter theme: white, no grid, black 0.5 pt axes, 8 pt DejaVu Sans.

    Examples
    --------
    >>> journal_theme(3.5, 2.5).themeables["figure_size"].properties["value"]
    (3.5, 2.5)
    """
    line = element_line(color="black", size=AXIS_WIDTH)
    return theme_bw(base_size=base_size, base_family=FONT) + theme(
        figure_size=(width, height), dpi=DPI,
        panel_border=element_blank(), panel_grid=element_blank(),
        panel_background=element_rect(fill="white"),
        plot_background=element_rect(fill="white", color="white"),
        axis_line_x=line, axis_line_y=line, axis_ticks_major=line,
        axis_ticks_minor=element_blank(), axis_ticks_length=3,
        axis_text=element_text(size=TICK_SIZE, color="black"),
        axis_title=element_text(size=base_size),
        plot_title=element_text(size=base_size + 1, weight="bold", ha="left"),
        legend_title=element_blank(), legend_text=element_text(size=TICK_SIZE),
        legend_background=element_blank(), legend_key=element_blank(),
        legend_key_width=22, legend_key_height=9,
        strip_background=element_blank(),
    )


def _rc() -> dict:
    return {"svg.hashsalt": "netter", "svg.fonttype": "path", "font.family": FONT,
            "path.simplify": False}


def save_figure(figure: Figure, folder: str | os.PathLike, stem: str) -> list[Path]:
    """Write ``<stem>.png`` (``DPI``) and ``<stem>.svg`` into ``folder``, deterministically.

    Returns
    -------
    list of Path
        PNG first, then SVG.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> paths = save_figure(Figure(figsize=(1, 1)), tempfile.mkdtemp(), "blank--km")
    >>> [p.name for p in paths]
    ['blank--km.png', 'blank--km.svg']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    with matplotlib.rc_context(_rc()):
        figure.savefig(png, dpi=DPI, metadata={"Software": None})
        figure.savefig(svg, metadata={"Creator": None, "Date": None, "Format": None,
                                      "Type": None})
    return [png, svg]
