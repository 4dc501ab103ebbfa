"""CSV cells a spreadsheet will not run: text starting like a formula gets a quote.

A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the
full-width ``＝＋－＠``) is run as a formula when the file is opened in a spreadsheet: an
arm labelled ``=HYPERLINK("http://...")`` or a subject id ``-2+3+cmd|' /C calc'!A0``
would act, not show.  As OWASP recommends (CSV injection), every CSV netter writes puts
a single quote in front of such a text cell; a cell that is just a number (``-0.25``,
``+3``, ``1e-5``) is left alone, since a spreadsheet reads it as that number.

Examples
--------
>>> safe_cell("=HYPERLINK(1)"), safe_cell("-0.25"), safe_cell("-2+3+cmd"), safe_cell(7)
("'=HYPERLINK(1)", '-0.25', "'-2+3+cmd", 7)
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def safe_cell(value):
    """``value`` with a quote in front if it is text a spreadsheet would run.

    Examples
    --------
    >>> [safe_cell(v) for v in ("@SUM(A1)", "a=b", "+3", "\\tx", None)]
    ["'@SUM(A1)", 'a=b', '+3', "'\\tx", None]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame):
    """A copy of a data frame with every text cell and column name made safe.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_frame(pd.DataFrame({"=a": ["=1+1", "x"], "n": [-1, 2]})).to_dict("list")
    {"'=a": ["'=1+1", 'x'], 'n': [-1, 2]}
    """
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object:
            out[name] = out[name].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out
