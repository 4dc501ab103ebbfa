"""One-sample binomial proportions with confidence intervals that equal R's.

Two intervals, both two-sided at level ``conf_level``:

* ``"clopper-pearson"`` (exact; the default): R ``binom.test(x, n,
  conf.level = conf_level)$conf.int``, i.e. ``qbeta(alpha/2, x, n - x + 1)`` and
  ``qbeta(1 - alpha/2, x + 1, n - x)``, with 0 when ``x = 0`` and 1 when ``x = n``;
* ``"wilson"`` (score interval without continuity correction): R ``prop.test(x, n,
  conf.level = conf_level, correct = FALSE)$conf.int``.

The reference values live in ``tests/reference/response/`` (``tests/reference/response.R``).

Conventions
-----------
* ``n = 0`` is not an error: the estimate and both limits are ``None`` with a
  ``not_estimable_reason`` (R's ``binom.test`` stops, ``prop.test`` returns ``NaN``).
* ``x = 0`` gives the lower limit 0 and ``x = n`` the upper limit 1, exactly, for both
  methods (as R).

Examples
--------
>>> ci = binomial_ci(18, 116)
>>> round(ci.estimate, 4), round(ci.lower, 4), round(ci.upper, 4), ci.method
(0.1552, 0.0946, 0.2341, 'clopper-pearson')
>>> wilson(0, 10).ci
(0.0, 0.2775327998628892)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import betaincinv

from netter.errors import NetterError
from netter.stats.distributions import normal_quantile

#: Confidence-interval methods for one proportion, and the R call each one equals.
CI_METHODS: dict[str, str] = {
    "clopper-pearson": "binom.test(x, n, conf.level = conf_level)$conf.int",
    "wilson": "prop.test(x, n, conf.level = conf_level, correct = FALSE)$conf.int",
}
DEFAULT_CI_METHOD = "clopper-pearson"


class BinomialDataError(NetterError, ValueError):
    """Counts that are not a proportion (negative, non-integer, more successes than trials)."""


def check_counts(x, n) -> tuple[int, int]:
    """Validate a count of successes ``x`` out of ``n`` trials and return them as ints.

    Raises
    ------
    BinomialDataError
        ``x`` or ``n`` negative, not a whole number, or ``x > n``.

    Examples
    --------
    >>> check_counts(3.0, 10)
    (3, 10)
    >>> check_counts(4, 3)
    Traceback (most recent call last):
    ...
    netter.stats.binomial.BinomialDataError: x = 4 exceeds n = 3
    """
    out = []
    for name, value in (("x", x), ("n", n)):
        try:
            number = float(value)
        except (TypeError, ValueError) as err:
            raise BinomialDataError(f"{name} must be a whole number, got {value!r}") from err
        if not math.isfinite(number) or number != math.floor(number) or number < 0:
            raise BinomialDataError(f"{name} must be a whole number >= 0, got {value!r}")
        out.append(int(number))
    if out[0] > out[1]:
        raise BinomialDataError(f"x = {out[0]} exceeds n = {out[1]}")
    return out[0], out[1]


def check_conf_level(conf_level) -> float:
    """A two-sided confidence level strictly between 0 and 1, as a float.

    Examples
    --------
    >>> check_conf_level(0.9)
    0.9
    """
    level = float(conf_level)
    if not 0.0 < level < 1.0:
        raise NetterError(f"conf_level must lie in (0, 1), got {conf_level!r}")
    return level


@dataclass(frozen=True)
class BinomialCI:
    """A proportion ``x / n`` and its two-sided confidence interval.

    Attributes
    ----------
    x, n : int
        Successes and trials.
    estimate : float or None
        ``x / n``; ``None`` when ``n = 0``.
    lower, upper : float or None
        Confidence limits; ``None`` when ``n = 0``.
    method : str
        ``"clopper-pearson"`` or ``"wilson"`` (see :data:`CI_METHODS`).
    conf_level : float
    not_estimable_reason : str or None
    """

    x: int
    n: int
    estimate: float | None
    lower: float | None
    upper: float | None
    method: str
    conf_level: float
    not_estimable_reason: str | None = None

    @property
    def ci(self) -> tuple[float | None, float | None]:
        """``(lower, upper)``."""
        return (self.lower, self.upper)


def _empty(x: int, n: int, method: str, level: float) -> BinomialCI:
    return BinomialCI(x, n, None, None, None, method, level, "no subjects (n = 0)")


def clopper_pearson(x, n, conf_level: float = 0.95) -> BinomialCI:
    """Exact (Clopper-Pearson) interval: R ``binom.test(x, n, conf.level=)$conf.int``.

    Parameters
    ----------
    x, n : int
        Successes and trials (``0 <= x <= n``).
    conf_level : float
        Two-sided level.

    Returns
    -------
    BinomialCI

    Examples
    --------
    >>> ci = clopper_pearson(0, 113)
    >>> ci.lower, round(ci.upper, 6)
    (0.0, 0.032118)
    >>> clopper_pearson(5, 5).upper
    1.0
    """
    x, n = check_counts(x, n)
    level = check_conf_level(conf_level)
    if n == 0:
        return _empty(x, n, "clopper-pearson", level)
    alpha = (1.0 - level) / 2.0
    lower = 0.0 if x == 0 else float(betaincinv(x, n - x + 1, alpha))
    upper = 1.0 if x == n else float(betaincinv(x + 1, n - x, 1.0 - alpha))
    return BinomialCI(x, n, x / n, lower, upper, "clopper-pearson", level)


def wilson(x, n, conf_level: float = 0.95) -> BinomialCI:
    """Wilson score interval: R ``prop.test(x, n, conf.level=, correct=FALSE)$conf.int``.

    With ``z = qnorm((1 + conf_level) / 2)``, ``p = x / n`` and ``c = z^2 / (2n)``, the
    limits are ``(p + c -/+ z * sqrt(p(1 - p)/n + c/(2n))) / (1 + 2c)``, the lower set
    to 0 when ``x = 0`` and the upper to 1 when ``x = n`` (as R).

    Examples
    --------
    >>> ci = wilson(18, 116)
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.1005, 0.232)
    """
    x, n = check_counts(x, n)
    level = check_conf_level(conf_level)
    if n == 0:
        return _empty(x, n, "wilson", level)
    z = float(normal_quantile((1.0 + level) / 2.0))
    p = x / n
    z22n = z * z / (2.0 * n)
    half = z * math.sqrt(p * (1.0 - p) / n + z22n / (2.0 * n))
    upper = 1.0 if p >= 1.0 else (p + z22n + half) / (1.0 + 2.0 * z22n)
    lower = 0.0 if p <= 0.0 else (p + z22n - half) / (1.0 + 2.0 * z22n)
    return BinomialCI(x, n, p, max(lower, 0.0), min(upper, 1.0), "wilson", level)


def binomial_ci(x, n, *, method: str = DEFAULT_CI_METHOD, conf_level: float = 0.95
                ) -> BinomialCI:
    """Proportion ``x / n`` with the named confidence interval.

    Parameters
    ----------
    x, n : int
        Successes and trials.
    method : str
        ``"clopper-pearson"`` (default, R ``binom.test``) or ``"wilson"`` (R
        ``prop.test(correct = FALSE)``).
    conf_level : float
        Two-sided level (default 0.95).

    Returns
    -------
    BinomialCI

    Raises
    ------
    NetterError
        An unknown method or a level outside (0, 1); ``BinomialDataError`` for bad counts.

    Examples
    --------
    >>> binomial_ci(3, 113, method="wilson").method
    'wilson'
    """
    if method == "clopper-pearson":
        return clopper_pearson(x, n, conf_level)
    if method == "wilson":
        return wilson(x, n, conf_level)
    raise NetterError(f"unknown CI method {method!r}; choose one of {', '.join(CI_METHODS)}")
