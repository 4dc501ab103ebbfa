"""The one place numbers become text, for every table and figure of netter.

Rules (journal style):

* estimates with a CI: ``"8.3 (5.8–11.0)"`` (en dash between the limits);
* a median or quantile not reached: ``"NR"``; a CI upper limit not reached: ``"NR"``;
* not estimable: ``"NE"``; a ratio's missing upper limit: ``"∞"`` and lower: ``"0"``
  only when the reason says the estimate tends there, else ``"NE"``;
* months and rates 1 decimal, hazard and odds ratios 2 decimals;
* rates as percentages: ``"77.8%"``; counts with a percentage: ``"21 (18.1%)"``;
* p-values: ``"<0.001"`` below 0.001, else 3 decimals (``"0.049"``).

Rounding is Python's (round half to even on the binary value), the same as R
``sprintf``.

Examples
--------
>>> median_ci(8.29, (5.78, 11.04))
'8.3 (5.8–11.0)'
>>> median_ci(None, (24.8, None), reached=False)
'NR (24.8–NR)'
>>> p_value(2.7e-11), p_value(0.04949), p_value(None)
('<0.001', '0.049', 'NE')
>>> ratio_ci(0.176, (0.106, 0.293))
'0.18 (0.11–0.29)'
"""

from __future__ import annotations

import math

#: Text of a number that cannot be estimated.
NE = "NE"
#: Text of a median (or upper limit) that was not reached.
NR = "NR"
#: Text of an infinite upper limit of a ratio.
INFINITY = "∞"
#: Between the limits of an interval.
DASH = "–"

#: Decimals by kind of number.
DIGITS = {"months": 1, "rate": 1, "ratio": 2, "continuous": 1, "chisq": 2}


#: Decimals of times in each unit (days are whole numbers; months and weeks one decimal).
TIME_DIGITS = {"days": 0, "weeks": 1, "months": 1, "years": 2}


def time_digits(unit: str) -> int:
    """Decimals of a time in ``unit`` (one for an unknown unit).

    Examples
    --------
    >>> time_digits("days"), time_digits("months"), time_digits("fortnights")
    (0, 1, 1)
    """
    return TIME_DIGITS.get(unit, DIGITS["months"])


def number(value: float | None, digits: int = 1, missing: str = NE) -> str:
    """``value`` with ``digits`` decimals; ``missing`` for ``None`` or non-finite.

    Examples
    --------
    >>> number(3.14159, 2), number(None), number(float("nan"), missing="NR")
    ('3.14', 'NE', 'NR')
    >>> number(-0.04, 1)
    '0.0'
    """
    if value is None or not math.isfinite(value):
        return missing
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def interval(ci, digits: int = 1, *, lower: str = NE, upper: str = NE) -> str:
    """``"lo–hi"``; a missing limit prints as ``lower`` / ``upper``.

    Examples
    --------
    >>> interval((5.81, None), upper="NR"), interval([None, None])
    ('5.8–NR', 'NE–NE')
    """
    lo, hi = ci
    return f"{number(lo, digits, lower)}{DASH}{number(hi, digits, upper)}"


def median_ci(estimate: float | None, ci, *, reached: bool = True,
              digits: int = DIGITS["months"]) -> str:
    """A median (or other quantile) in months with its CI: ``"8.3 (5.8–11.0)"``.

    Parameters
    ----------
    estimate : float or None
    ci : pair of float or None
    reached : bool
        ``False`` when ``estimate`` is ``None`` because the curve never fell to the
        quantile (prints ``"NR"``; ``True`` prints ``"NE"``).  A missing upper
        limit is always "not reached", a missing lower limit ``"NE"``.

    Examples
    --------
    >>> median_ci(None, (None, None), reached=True)
    'NE'
    >>> median_ci(31.2, (20.9, None))
    '31.2 (20.9–NR)'
    """
    head = number(estimate, digits, NE if reached else NR)
    if ci[0] is None and ci[1] is None and estimate is None:
        return head
    return f"{head} ({interval(ci, digits, upper=NR)})"


def estimate_ci(estimate: float | None, ci, digits: int = 1) -> str:
    """``"19.4 (17.7–21.2)"``; ``"NE"`` when there is no estimate.

    Examples
    --------
    >>> estimate_ci(19.444, (17.698, 21.191)), estimate_ci(-8.0, (-10.2, None))
    ('19.4 (17.7–21.2)', '-8.0 (-10.2–NE)')
    """
    if estimate is None:
        return NE
    return f"{number(estimate, digits)} ({interval(ci, digits)})"


def ratio(value: float | None, reason: str | None = None,
          digits: int = DIGITS["ratio"]) -> str:
    """A hazard or odds ratio; ``None`` is ``"∞"`` or ``"0"`` when ``reason`` says the
    estimate tends there (monotone likelihood), else ``"NE"``.

    Examples
    --------
    >>> ratio(0.2104), ratio(None, "hazard ratio tends to infinity"), ratio(None)
    ('0.21', '∞', 'NE')
    """
    if value is not None:
        return number(value, digits)
    text = (reason or "").lower()
    if "tends to infinity" in text or "infinite" in text:
        return INFINITY
    if "tends to 0" in text:
        return number(0.0, digits)
    return NE


def ratio_ci(value: float | None, ci, reason: str | None = None,
             digits: int = DIGITS["ratio"]) -> str:
    """``"0.18 (0.11–0.29)"``; a missing upper limit is ``"∞"``, only the ratio when
    neither limit exists.

    Examples
    --------
    >>> ratio_ci(None, (None, None), "not estimable"), ratio_ci(3.5, (1.2, None))
    ('NE', '3.50 (1.20–∞)')
    """
    head = ratio(value, reason, digits)
    if ci[0] is None and ci[1] is None:
        return head
    return f"{head} ({interval(ci, digits, upper=INFINITY)})"


def p_value(p: float | None) -> str:
    """``"<0.001"`` below 0.001, else 3 decimals; ``"NE"`` for ``None``.

    Examples
    --------
    >>> p_value(0.0009999), p_value(0.001), p_value(1.0)
    ('<0.001', '0.001', '1.000')
    """
    if p is None or not math.isfinite(p):
        return NE
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def p_equation(p: float | None) -> str:
    """``"p<0.001"`` or ``"p=0.049"`` (``"p NE"`` when ``None``), for annotations.

    Examples
    --------
    >>> p_equation(1e-9), p_equation(0.0494), p_equation(None)
    ('p<0.001', 'p=0.049', 'p NE')
    """
    text = p_value(p)
    if text == NE:
        return f"p {NE}"
    return f"p{text}" if text.startswith("<") else f"p={text}"


def percent(rate: float | None, digits: int = DIGITS["rate"]) -> str:
    """A proportion as a percentage: ``0.7783 -> "77.8%"``.

    Examples
    --------
    >>> percent(0.77832), percent(1.0), percent(None)
    ('77.8%', '100.0%', 'NE')
    """
    if rate is None or not math.isfinite(rate):
        return NE
    return f"{number(100.0 * rate, digits)}%"


def percent_ci(rate: float | None, ci, digits: int = DIGITS["rate"]) -> str:
    """``"77.8% (68.2–88.8)"``: the rate and its CI in percent.

    Examples
    --------
    >>> percent_ci(0.7783, (0.6825, 0.8876)), percent_ci(None, (None, None))
    ('77.8% (68.2–88.8)', 'NE')
    """
    if rate is None:
        return NE
    lo, hi = (None if v is None else 100.0 * v for v in ci)
    return f"{percent(rate, digits)} ({interval((lo, hi), digits)})"


def points_ci(difference: float | None, ci, digits: int = DIGITS["rate"]) -> str:
    """A difference of two proportions in percentage points: ``"40.0 (8.1–68.9)"``.

    Examples
    --------
    >>> points_ci(0.4, (0.0813, 0.68921)), points_ci(None, (None, None))
    ('40.0 (8.1–68.9)', 'NE')
    """
    if difference is None:
        return NE
    lo, hi = (None if v is None else 100.0 * v for v in ci)
    return f"{number(100.0 * difference, digits)} ({interval((lo, hi), digits)})"


def count_percent(count: int, total: int, digits: int = DIGITS["rate"]) -> str:
    """``"21 (18.1%)"``; ``"0"`` when ``total`` is 0.

    Examples
    --------
    >>> count_percent(21, 116), count_percent(0, 0)
    ('21 (18.1%)', '0')
    """
    if total == 0:
        return str(count)
    return f"{count} ({percent(count / total, digits)})"


def mean_sd(mean: float | None, sd: float | None,
            digits: int = DIGITS["continuous"]) -> str:
    """``"63.2 (9.8)"``; the SD of one value is ``"NE"``.

    Examples
    --------
    >>> mean_sd(63.24, 9.81), mean_sd(70.0, None)
    ('63.2 (9.8)', '70.0 (NE)')
    """
    return f"{number(mean, digits)} ({number(sd, digits)})"


def median_range(median: float | None, low: float | None, high: float | None,
                 digits: int = DIGITS["continuous"], range_digits: int | None = None) -> str:
    """``"64.0 (28–87)"``: the range with ``range_digits`` (default ``digits``).

    Examples
    --------
    >>> median_range(64, 28, 87), median_range(64.5, 28, 87, range_digits=0)
    ('64.0 (28.0–87.0)', '64.5 (28–87)')
    """
    lo_hi = interval((low, high), digits if range_digits is None else range_digits)
    return f"{number(median, digits)} ({lo_hi})"


def months(value: float | None) -> str:
    """A time in months, 1 decimal; ``"NE"`` for ``None``.

    Examples
    --------
    >>> months(12), months(None)
    ('12.0', 'NE')
    """
    return number(value, DIGITS["months"])


def level(conf_level: float) -> str:
    """A confidence level as ``"95%"``.

    Examples
    --------
    >>> level(0.95), level(0.9)
    ('95%', '90%')
    """
    return f"{100 * conf_level:g}%"


def tick(value: float) -> str:
    """An axis tick or landmark time: whole numbers without decimals.

    Examples
    --------
    >>> tick(12.0), tick(2.5)
    ('12', '2.5')
    """
    return f"{value:g}"
