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
* Words of a document reach matplotlib through :func:`plain` or :func:`wrap`: drawn
  literally (``$`` escaped, so no mathtext is parsed; control characters as spaces;
  a character the bundled font cannot draw as "□"), and :func:`wrap`
  breaks a long text into lines of a measured width (at most a few, the last one
  ending in "…" when the text is longer still).

Examples
--------
>>> styles = arm_styles(["Drug", "Placebo"])
>>> styles["Placebo"].linetype, styles["Drug"].shape
('dashed', 'o')
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import matplotlib
from matplotlib import cbook, font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath, TextToPath
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


#: What a character the font cannot draw is drawn as.
MISSING_GLYPH = "\N{WHITE SQUARE}"
#: Ends a text cut short by :func:`wrap`.
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


@cache
def _glyphs() -> frozenset[int]:
    """Code points every face of the font (regular, bold, oblique, bold oblique) draws."""
    faces = []
    for weight in ("normal", "bold"):
        for style in ("normal", "italic"):
            path = font_manager.findfont(FontProperties(family=FONT, weight=weight,
                                                        style=style))
            faces.append(set(ft2font.FT2Font(path).get_charmap()))
    return frozenset(set.intersection(*faces))


def _clean(text) -> str:
    """Control characters (newlines too) as spaces, undrawable characters as a square."""
    glyphs = _glyphs()
    out = []
    for char in str(text):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif ord(char) in glyphs or char == " ":
            out.append(char)
        else:
            out.append(MISSING_GLYPH)
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("$", r"\$")


def plain(text) -> str:
    r"""A document's text as matplotlib draws it literally, on one line.

    ``$`` is escaped (two of them would otherwise be typeset as mathematics, or fail),
    control characters become spaces and a character the bundled font lacks
    becomes :data:`MISSING_GLYPH` (matplotlib would warn and draw an empty box).

    Examples
    --------
    >>> plain("Cost $5 vs $10"), plain("a\tb\nc"), plain("\N{CJK UNIFIED IDEOGRAPH-836F} A")
    ('Cost \\$5 vs \\$10', 'a b c', '□ A')
    """
    return _escape(_clean(text))


def text_inches(text: str, size: float = TABLE_SIZE, **font) -> float:
    r"""Width of ``text`` (as drawn: escaped as :func:`plain` gives it) in inches, in the
    theme's font; ``font`` takes ``weight`` and ``style``.  No renderer is needed.

    Examples
    --------
    >>> round(text_inches("Ileum"), 2), text_inches(r"\$5") == text_inches("$5")
    (0.25, True)
    """
    return _text_inches(text, size, font.get("weight", "normal"), font.get("style", "normal"))


_TO_PATH = TextToPath()


@lru_cache(maxsize=8192)
def _text_inches(text: str, size: float, weight: str, style: str) -> float:
    if not text:
        return 0.0
    prop = FontProperties(family=FONT, size=size, weight=weight, style=style)
    if cbook.is_math_text(text):
        return float(TextPath((0, 0), text, size=size, prop=prop).get_extents().width) / 72.0
    width = _TO_PATH.get_text_width_height_descent(text.replace(r"\$", "$"), prop,
                                                   ismath=False)[0]
    return float(width) / 72.0


def _fits(text: str, inches: float, size: float, font: dict) -> bool:
    return text_inches(_escape(text), size, **font) <= inches


def _longest_prefix(word: str, inches: float, size: float, font: dict, tail: str = "") -> int:
    """The most characters of ``word`` (at least one) that fit with ``tail`` after them."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _fits(word[:mid] + tail, inches, size, font):
            lo = mid
        else:
            hi = mid - 1
    return lo


def wrap_lines(text, inches: float, size: float = TABLE_SIZE, *,
               max_lines: int | None = 3, **font) -> list[str]:
    """``text`` broken into lines of at most ``inches`` when drawn (unescaped).

    Lines break between words; a word longer than a line is cut.  Beyond ``max_lines``
    (``None``: no limit) the last line ends with :data:`ELLIPSIS`.

    Examples
    --------
    >>> wrap_lines("Time on constant-dose octreotide LAR", 1.2)
    ['Time on constant-dose', 'octreotide LAR']
    >>> wrap_lines("word " * 40, 1.0, max_lines=2)[-1][-1]
    '…'
    """
    words = _clean(text).split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _fits(candidate, inches, size, font):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not _fits(word, inches, size, font):
            cut = _longest_prefix(word, inches, size, font)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        if not _fits(last + ELLIPSIS, inches, size, font):
            last = last[:_longest_prefix(last, inches, size, font, ELLIPSIS)]
        lines = lines[:max_lines - 1] + [last.rstrip() + ELLIPSIS]
    return lines


def wrap(text, inches: float, size: float = TABLE_SIZE, *, max_lines: int = 3,
         **font) -> str:
    """:func:`wrap_lines` joined by newlines and escaped as :func:`plain`: ready to draw.

    Examples
    --------
    >>> print(wrap("Comparator LAR 60 mg, every 4 weeks", 1.0))
    Comparator LAR 60
    mg, every 4 weeks
    """
    return "\n".join(_escape(line) for line in wrap_lines(text, inches, size,
                                                           max_lines=max_lines, **font))


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
