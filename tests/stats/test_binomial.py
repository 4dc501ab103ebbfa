"""One-sample proportions against R binom.test / prop.test (tests/reference/response.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netter.errors import NetterError
from netter.stats.binomial import (
    BinomialDataError,
    binomial_ci,
    check_counts,
    clopper_pearson,
    wilson,
)
from tests.reference_values import close as _close
from tests.reference_values import r_value

REFERENCE = Path(__file__).parents[1] / "reference" / "response"
RTOL = 1e-8


def close(actual, expected: float) -> bool:
    """``actual`` equals the R value to ``RTOL`` relative (None = not finite)."""
    return _close(actual, expected, RTOL)

BINOMIAL = pd.read_csv(REFERENCE / "binomial.csv", dtype={"estimate": str, "lower": str,
                                                           "upper": str})






def test_reference_file_covers_both_methods_levels_and_edges():
    assert set(BINOMIAL["method"]) == {"clopper-pearson", "wilson"}
    assert set(BINOMIAL["conf_level"]) == {0.95, 0.9}
    pairs = set(zip(BINOMIAL["x"], BINOMIAL["n"], strict=True))
    assert {(0, 1), (1, 1), (0, 113), (1000, 1000), (5000, 10000)} <= pairs


@pytest.mark.parametrize("row", BINOMIAL.to_dict("records"),
                         ids=lambda r: f"{r['method']}-{r['x']}/{r['n']}-{r['conf_level']}")
def test_reference_interval_equals_r(row):
    ci = binomial_ci(row["x"], row["n"], method=row["method"], conf_level=row["conf_level"])
    assert close(ci.estimate, r_value(row["estimate"]))
    assert close(ci.lower, r_value(row["lower"])), (ci.lower, row["lower"])
    assert close(ci.upper, r_value(row["upper"])), (ci.upper, row["upper"])
    assert ci.method == row["method"] and ci.conf_level == row["conf_level"]


@pytest.mark.parametrize("method", ["clopper-pearson", "wilson"])
def test_limits_are_exactly_zero_and_one_at_the_edges(method):
    none = binomial_ci(0, 7, method=method)
    every = binomial_ci(7, 7, method=method)
    assert none.lower == 0.0 and none.estimate == 0.0 and 0 < none.upper < 1
    assert every.upper == 1.0 and every.estimate == 1.0 and 0 < every.lower < 1


@pytest.mark.parametrize("function", [clopper_pearson, wilson])
def test_no_subjects_is_not_estimable_rather_than_an_error(function):
    ci = function(0, 0)
    assert (ci.estimate, ci.lower, ci.upper) == (None, None, None)
    assert ci.ci == (None, None) and ci.not_estimable_reason == "no subjects (n = 0)"


def test_narrower_level_gives_a_narrower_interval():
    wide, narrow = clopper_pearson(18, 116, 0.95), clopper_pearson(18, 116, 0.90)
    assert wide.lower < narrow.lower < narrow.upper < wide.upper


@pytest.mark.parametrize(("x", "n"), [(-1, 5), (6, 5), (1.5, 5), ("a", 5), (1, float("nan"))])
def test_bad_counts_are_refused(x, n):
    with pytest.raises(BinomialDataError):
        check_counts(x, n)


def test_bad_method_or_level_is_refused():
    with pytest.raises(NetterError, match="unknown CI method"):
        binomial_ci(1, 2, method="jeffreys")
    with pytest.raises(NetterError, match="conf_level"):
        binomial_ci(1, 2, conf_level=1.0)


def test_counts_given_as_floats_are_accepted():
    assert clopper_pearson(3.0, 10.0) == clopper_pearson(3, 10)
