"""2 x 2 and stratified 2 x 2 x K tables of response by arm: layout, building, checking.

A 2 x 2 table is ``[[x1, n1 - x1], [x2, n2 - x2]]``: row 0 the experimental arm, row 1
the reference arm, column 0 responders, column 1 non-responders, exactly the matrix
``rbind(c(x1, n1 - x1), c(x2, n2 - x2))`` handed to R.  A stratified table has shape
``(K, 2, 2)``, ``tables[k]`` being stratum ``k`` (R's ``x[, , k]``).  Odds ratios are
odds(arm 0) / odds(arm 1) and differences are ``x1/n1 - x2/n2``.

Examples
--------
>>> table_2x2(18, 116, 3, 113).tolist()
[[18, 98], [3, 110]]
"""

from __future__ import annotations

import math

import numpy as np

from netter.errors import NetterError
from netter.stats.binomial import check_counts


class TableError(NetterError, ValueError):
    """A table that is not a 2 x 2 (x K) table of non-negative whole counts."""


def table_2x2(x1, n1, x2, n2) -> np.ndarray:
    """The 2 x 2 table ``[[x1, n1 - x1], [x2, n2 - x2]]`` (arm 0 = experimental).

    Examples
    --------
    >>> table_2x2(65, 151, 7, 75).tolist()
    [[65, 86], [7, 68]]
    """
    a, n_a = check_counts(x1, n1)
    c, n_c = check_counts(x2, n2)
    return np.array([[a, n_a - a], [c, n_c - c]], dtype=np.int64)


def stratified_tables(counts) -> np.ndarray:
    """A ``(K, 2, 2)`` table from rows ``(x1, n1, x2, n2)``, one per stratum.

    Examples
    --------
    >>> stratified_tables([(3, 5, 1, 4), (2, 2, 0, 3)]).shape
    (2, 2, 2)
    """
    rows = [table_2x2(*row) for row in counts]
    if not rows:
        raise TableError("no strata given")
    return np.stack(rows)


def check_table(table, *, stratified: bool = False) -> np.ndarray:
    """Validate a 2 x 2 (or, with ``stratified``, K x 2 x 2) table of counts.

    Raises
    ------
    TableError
        Wrong shape, or counts that are negative, missing or not whole numbers.

    Examples
    --------
    >>> check_table([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> check_table([[1, -2], [3, 4]])
    Traceback (most recent call last):
    ...
    netter.stats.tables.TableError: counts must be whole numbers >= 0
    """
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError) as err:
        raise TableError("counts must be whole numbers >= 0") from err
    want = "K x 2 x 2" if stratified else "2 x 2"
    if (stratified and (arr.ndim != 3 or arr.shape[1:] != (2, 2) or arr.shape[0] < 1)) or (
            not stratified and arr.shape != (2, 2)):
        raise TableError(f"expected a {want} table, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.floor(arr)):
        raise TableError("counts must be whole numbers >= 0")
    return arr.astype(np.int64)


def none_if_not_finite(value: float) -> float | None:
    """``value`` as a float, or ``None`` when infinite or NaN."""
    return float(value) if math.isfinite(value) else None



def informative_strata(tables: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
    """Strata with at least 2 subjects, and the indices of those dropped (R refuses them).

    Examples
    --------
    >>> used, dropped = informative_strata(stratified_tables([(1, 1, 0, 0), (2, 3, 1, 4)]))
    >>> used.shape, dropped
    ((1, 2, 2), (0,))
    """
    totals = tables.sum(axis=(1, 2))
    dropped = tuple(int(k) for k in np.flatnonzero(totals < 2))
    return tables[totals >= 2], dropped
