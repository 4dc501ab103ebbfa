"""Formatting rules: the one place numbers become text (netter.tables.fmt)."""

from __future__ import annotations

import math

import pytest

from netter.tables import fmt


@pytest.mark.parametrize(("estimate", "ci", "reached", "text"), [
    (8.29, (5.78, 11.04), True, "8.3 (5.8–11.0)"),
    (28.2, (24.8, None), True, "28.2 (24.8–NR)"),
    (None, (24.8, None), False, "NR (24.8–NR)"),
    (None, (None, None), False, "NR"),
    (None, (None, None), True, "NE"),
    (31.25, (None, 40.0), True, "31.2 (NE–40.0)"),
])
def test_medians(estimate, ci, reached, text):
    assert fmt.median_ci(estimate, ci, reached=reached) == text


@pytest.mark.parametrize(("p", "text"), [
    (2.7e-11, "<0.001"), (0.000999, "<0.001"), (0.001, "0.001"), (0.0494, "0.049"),
    (0.05, "0.050"), (0.9996, "1.000"), (None, "NE"), (float("nan"), "NE"),
])
def test_p_values(p, text):
    assert fmt.p_value(p) == text


def test_p_equation_for_annotations():
    assert (fmt.p_equation(1e-5), fmt.p_equation(0.2), fmt.p_equation(None)) == (
        "p<0.001", "p=0.200", "p NE")


@pytest.mark.parametrize(("value", "ci", "reason", "text"), [
    (0.176, (0.106, 0.293), None, "0.18 (0.11–0.29)"),
    (3.5, (1.2, None), None, "3.50 (1.20–∞)"),
    (None, (1.06, None), "odds ratio infinite: no responders", "∞ (1.06–∞)"),
    (None, (None, None), "monotone likelihood: hazard ratio of 'a' vs 'b' tends to infinity",
     "∞"),
    (None, (None, None), "monotone likelihood: ... tends to 0 (no events in arm 'a')", "0.00"),
    (None, (None, None), "no events", "NE"),
    (None, (None, None), None, "NE"),
])
def test_ratios_and_infinite_limits(value, ci, reason, text):
    assert fmt.ratio_ci(value, ci, reason) == text


def test_rates_counts_and_descriptives():
    assert fmt.percent(0.77832) == "77.8%" and fmt.percent(None) == "NE"
    assert fmt.percent_ci(0.7783, (0.6825, None)) == "77.8% (68.2–NE)"
    assert fmt.points_ci(-0.05, (-0.2, 0.1)) == "-5.0 (-20.0–10.0)"
    assert fmt.count_percent(21, 116) == "21 (18.1%)" and fmt.count_percent(0, 0) == "0"
    assert fmt.mean_sd(63.24, None) == "63.2 (NE)"
    assert fmt.median_range(64.0, 40.0, 87.0, range_digits=0) == "64.0 (40–87)"
    assert fmt.estimate_ci(None, (1.0, 2.0)) == "NE"


def test_numbers_never_print_nan_or_negative_zero():
    assert fmt.number(math.inf) == "NE" and fmt.number(-math.inf, missing="x") == "x"
    assert fmt.number(-0.04) == "0.0" and fmt.number(-0.06) == "-0.1"
    assert fmt.tick(12.0) == "12" and fmt.tick(2.5) == "2.5"
    assert fmt.level(0.95) == "95%" and fmt.level(0.9) == "90%"


def test_rounding_is_round_half_even_on_the_binary_value_as_r_sprintf():
    # R: sprintf("%.1f", c(61.25, 9.05, 0.125 * 100)) -> "61.2" "9.1" "12.5"
    assert [fmt.number(v) for v in (61.25, 9.05, 12.5)] == ["61.2", "9.1", "12.5"]
    assert fmt.number(0.125, 2) == "0.12"
