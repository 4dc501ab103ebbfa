"""Weighted counting-process Cox engine against R survival 3.5.3 ``coxph(..., weights,
robust = TRUE)`` (tests/reference/weighted_cox.R), the unweighted engine, and its invariants.

Tolerances against R: the coefficients to 1e-8 absolute, the model-based and robust
standard errors and both log partial likelihoods to 1e-8 relative (the R fits use
``coxph.control(eps = 1e-12)``, these ``tolerance=1e-12``; the observed differences
are ~1e-15).  The WHAS500 cases read ``weighted_cox/inputs/whas.csv``, the rows of
``data/whas500/whas_export.csv`` (see its SOURCE.md) with the weights R used.
"""

from __future__ import annotations

import math
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netter.errors import SurvivalDataError
from netter.stats.cox import cox_hazard_ratio
from netter.stats.weighted_cox import WeightedCoxFit, fit_weighted_cox

REFERENCE = Path(__file__).parents[1] / "reference"
INPUTS = REFERENCE / "weighted_cox" / "inputs"
COXPH = pd.read_csv(REFERENCE / "weighted_cox" / "coxph.csv", keep_default_na=False,
                    dtype={"value": str})
#: Tolerances against R: coef absolute, se / se_robust / loglik relative.
COEF_ATOL = 1e-8
RTOL = 1e-8
FIT = {"tolerance": 1e-12, "max_iter": 100}

WHAS = pd.read_csv(INPUTS / "whas.csv")
CP60 = pd.read_csv(INPUTS / "cp60.csv")
#: How each R case maps onto fit_weighted_cox (see weighted_cox.R).
CASES = {
    "whas_gender": {"data": WHAS, "stop": "time", "x": ["gender"], "w": "w"},
    "whas_gender_afb": {"data": WHAS, "stop": "time", "x": ["gender", "afb"], "w": "w"},
    "whas_gender_strata": {"data": WHAS, "stop": "time", "x": ["gender"], "w": "w",
                           "strata": "afb"},
    "whas_lefttrunc": {"data": WHAS, "stop": "time", "start": "entry", "x": ["gender"],
                       "w": "w", "cluster": "row"},
    "whas_zero": {"data": WHAS, "stop": "time", "x": ["gender"], "w": "w0"},
    "cp60_arm": {"data": CP60, "stop": "stop", "start": "start", "x": ["arm"], "w": "w",
                 "cluster": "id"},
    "cp60_arm_strata": {"data": CP60, "stop": "stop", "start": "start", "x": ["arm"],
                        "w": "w", "cluster": "id", "strata": "stratum"},
    "cp60_arm_z": {"data": CP60, "stop": "stop", "start": "start", "x": ["arm", "z"],
                   "w": "w", "cluster": "id"},
    "cp60_arm_z_strata": {"data": CP60, "stop": "stop", "start": "start",
                          "x": ["arm", "z"], "w": "w", "cluster": "id",
                          "strata": "stratum"},
    "cp60_zero": {"data": CP60, "stop": "stop", "start": "start", "x": ["arm", "z"],
                  "w": "w0", "cluster": "id"},
}


def fit_case(case: str, ties: str) -> WeightedCoxFit:
    spec = CASES[case]
    d = spec["data"]
    column = lambda key: d[spec[key]] if key in spec else None  # noqa: E731
    return fit_weighted_cox(d[spec["stop"]], d["event"], d[spec["x"]].to_numpy(float),
                            start=column("start"), weights=d[spec["w"]],
                            strata=column("strata"), cluster=column("cluster"), ties=ties,
                            **FIT)


def r_values(case: str, ties: str) -> dict[str, list[float]]:
    ref = COXPH[(COXPH["case"] == case) & (COXPH["ties"] == ties)]
    out: dict[str, list[float]] = {}
    for row in ref.itertuples():
        out.setdefault(row.stat, []).append(float(row.value))
    return out


def _quiet(call, *args, **kwargs):
    """``call`` with every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call(*args, **kwargs)


def test_every_r_case_is_tested():
    assert set(COXPH["case"]) == set(CASES)
    assert set(COXPH["ties"]) == {"efron", "breslow"}


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_r_coxph_weights_robust(case, ties):
    r = r_values(case, ties)
    fit = fit_case(case, ties)
    assert fit.not_estimable_reason is None and fit.converged
    assert r["warning"] == [0.0]
    assert fit.events == r["nevent"][0]
    assert len(fit.coef) == len(r["coef"])
    np.testing.assert_allclose(fit.coef, r["coef"], rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(fit.se, r["se"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(fit.se_robust, r["se_robust"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(fit.loglik, [r["loglik0"][0], r["loglik"][0]], rtol=RTOL, atol=0)
    assert np.allclose(np.sqrt(np.diag(fit.var)), fit.se, rtol=1e-15, atol=0)
    assert np.allclose(np.sqrt(np.diag(fit.var_robust)), fit.se_robust, rtol=1e-15, atol=0)


def test_zero_weight_rows_are_as_if_left_out():
    kept = CP60[CP60["w0"] > 0]
    args = {"ties": "efron", **FIT}
    full = fit_weighted_cox(CP60["stop"], CP60["event"], CP60[["arm", "z"]], start=CP60["start"],
                            weights=CP60["w0"], cluster=CP60["id"], **args)
    part = fit_weighted_cox(kept["stop"], kept["event"], kept[["arm", "z"]], start=kept["start"],
                            weights=kept["w0"], cluster=kept["id"], **args)
    for a, b in [(full.coef, part.coef), (full.se, part.se), (full.se_robust, part.se_robust),
                 (full.loglik, part.loglik)]:
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert (full.n, part.n) == (len(CP60), len(kept)) and full.events == part.events


# ---- the unweighted engine (netter.stats.cox) ----------------------------------------------

UNWEIGHTED = [("aml", "Maintained", None), ("ovarian", "A", None), ("veteran", "standard", None),
              ("lung", "male", "ecog"), ("lung_months", "male", "ecog")]


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize(("name", "reference", "strata"), UNWEIGHTED)
def test_unit_weights_equal_the_unweighted_engine(name, reference, strata, ties):
    df = pd.read_csv(REFERENCE / "data" / f"{name}.csv")
    layers = None if strata is None else df[strata]
    model = cox_hazard_ratio(df["time"], df["event"], df["group"], reference=reference,
                             strata=layers, profile=f"r+ties={ties}")
    x = (df["group"].astype(str) != reference).to_numpy(float)
    fit = fit_weighted_cox(df["time"], df["event"], x, strata=layers, ties=ties,
                           tolerance=1e-13, max_iter=100)
    effect = model.effects[0]
    assert math.isclose(fit.coef[0], effect.coef, rel_tol=1e-10, abs_tol=1e-10)
    assert math.isclose(fit.se[0], effect.se, rel_tol=1e-10, abs_tol=0)
    assert math.isclose(fit.loglik[0], model.loglik_null, rel_tol=1e-12)
    assert math.isclose(fit.loglik[1], model.loglik, rel_tol=1e-12)
    assert (fit.n, fit.events, fit.n_clusters) == (model.n, model.events, model.n)


# ---- case weights as replicated rows ---------------------------------------------------------


def _replicate(d: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
    return d.loc[d.index.repeat(times)].reset_index(drop=True)


def test_integer_weights_equal_replicated_rows_breslow():
    """R identity: integer case weights = replicated rows (Breslow: coef, model-based and,
    with the original row as cluster, robust variance)."""
    d = CP60.assign(row=np.arange(len(CP60)))
    reps = 1 + d["id"].to_numpy() % 3
    rep = _replicate(d, reps)
    args = {"ties": "breslow", **FIT}
    weighted = fit_weighted_cox(d["stop"], d["event"], d[["arm", "z"]], start=d["start"],
                                weights=reps, cluster=d["row"], **args)
    copied = fit_weighted_cox(rep["stop"], rep["event"], rep[["arm", "z"]], start=rep["start"],
                              cluster=rep["row"], **args)
    np.testing.assert_allclose(weighted.coef, copied.coef, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weighted.se, copied.se, rtol=1e-10)
    np.testing.assert_allclose(weighted.se_robust, copied.se_robust, rtol=1e-10)
    np.testing.assert_allclose(weighted.loglik, copied.loglik, rtol=1e-12)


def test_integer_weights_on_censored_rows_equal_replicated_rows_efron():
    """Efron: replicated *event* rows become tied events, which a weight does not (R treats
    them alike only for Breslow), so the identity holds for weights on censored rows."""
    d = CP60.assign(row=np.arange(len(CP60)))
    reps = np.where(d["event"] == 1, 1, 1 + d["id"].to_numpy() % 4)
    rep = _replicate(d, reps)
    args = {"ties": "efron", **FIT}
    weighted = fit_weighted_cox(d["stop"], d["event"], d[["arm", "z"]], start=d["start"],
                                weights=reps, cluster=d["row"], **args)
    copied = fit_weighted_cox(rep["stop"], rep["event"], rep[["arm", "z"]], start=rep["start"],
                              cluster=rep["row"], **args)
    np.testing.assert_allclose(weighted.coef, copied.coef, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weighted.se, copied.se, rtol=1e-10)
    np.testing.assert_allclose(weighted.se_robust, copied.se_robust, rtol=1e-10)


# ---- not estimable --------------------------------------------------------------------------


def _not_estimable(fit: WeightedCoxFit, words: str) -> None:
    assert fit.coef is fit.se is fit.se_robust is fit.var is fit.var_robust is None
    assert not fit.estimable
    assert fit.not_estimable_reason is not None and words in fit.not_estimable_reason
    assert all(math.isfinite(v) for v in fit.loglik)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_no_events_is_not_estimable(ties):
    fit = _quiet(fit_weighted_cox, [1, 2, 3, 4], [0, 0, 0, 0], [0, 1, 0, 1], ties=ties)
    _not_estimable(fit, "no events")
    assert fit.events == 0 and fit.n == 4


def test_events_with_zero_weight_only_are_not_estimable():
    fit = _quiet(fit_weighted_cox, [1, 2, 3, 4], [1, 0, 1, 0], [0, 1, 0, 1],
                 weights=[0, 1, 0, 1], ties="efron")
    _not_estimable(fit, "no events with a positive weight")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_all_zero_weights_is_not_estimable(ties):
    fit = _quiet(fit_weighted_cox, [1, 2, 3, 4], [1, 1, 0, 1], [0, 1, 0, 1],
                 weights=[0, 0, 0, 0], ties=ties)
    _not_estimable(fit, "all weights are zero")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_monotone_likelihood_is_not_estimable(ties):
    # every event in the x = 1 rows, all x = 0 rows censored: HR -> infinity
    up = _quiet(fit_weighted_cox, [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 0, 0], [1, 1, 0, 1, 0, 0],
                weights=[1, 2, 1, 0.5, 1, 1], ties=ties)
    _not_estimable(up, "tends to infinity")
    down = _quiet(fit_weighted_cox, [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 1],
                  ties=ties)
    _not_estimable(down, "tends to 0")
    # counting process: the x = 1 rows have every event while at risk with x = 0 rows
    cp = _quiet(fit_weighted_cox, [2, 5, 3, 6, 4], [0, 1, 1, 0, 1], [0, 1, 1, 0, 1],
                start=[0, 2, 0, 3, 1], cluster=[1, 1, 2, 2, 3], ties=ties)
    _not_estimable(cp, "monotone likelihood")


def test_monotone_likelihood_with_two_covariates_is_not_estimable():
    """Arm has every event of its risk sets (R: 'Loglik converged before variable 1')."""
    event = [1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0]
    arm = [1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0]
    z = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
    for tolerance in (1e-9, 1e-12):
        fit = _quiet(fit_weighted_cox, np.arange(1, 13), event, np.c_[arm, z], ties="efron",
                     tolerance=tolerance, max_iter=100)
        _not_estimable(fit, "column(s) 0 of x diverge")


@pytest.mark.parametrize("cluster", [None, [7, 7, 7]])
def test_one_subject_is_not_estimable(cluster):
    fit = _quiet(fit_weighted_cox, [1], [1], [1.0], ties="efron")
    _not_estimable(fit, "one subject")
    split = _quiet(fit_weighted_cox, [2, 4, 5], [0, 0, 1], [0, 1, 1], start=[0, 2, 4],
                   cluster=cluster, ties="breslow")
    if cluster is None:  # three rows, three "subjects": still no comparison in any risk set
        _not_estimable(split, "no variation within any risk set")
    else:
        _not_estimable(split, "one subject")


def test_constant_or_collinear_covariates_are_not_estimable():
    time, event = [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 0]
    _not_estimable(_quiet(fit_weighted_cox, time, event, [2.5] * 6, ties="efron"),
                   "no variation within any risk set")
    x = np.c_[[1, 0, 1, 0, 1, 0], [0.1] * 6]
    _not_estimable(_quiet(fit_weighted_cox, time, event, x, ties="efron"), "column(s) 1 of x")
    x = np.c_[[1, 0, 1, 0, 1, 0], [2, 0, 2, 0, 2, 0]]
    _not_estimable(_quiet(fit_weighted_cox, time, event, x, ties="efron"), "collinear")


def test_large_but_finite_estimate_is_estimable():
    """One x = 0 row has an event while x = 1 rows are at risk: the hazard ratio is large
    but finite (decided exactly, not from the size of the estimate)."""
    fit = _quiet(fit_weighted_cox, [1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 0, 1, 0],
                 [1, 0, 1, 1, 0, 1, 0], weights=[1, 0.01, 1, 1, 1, 1, 1], ties="efron", **FIT)
    assert fit.estimable and fit.converged and fit.coef[0] > 1


# ---- invalid input --------------------------------------------------------------------------

BASE = {"stop": [1.0, 2.0, 3.0, 4.0], "event": [1, 0, 1, 0], "x": [0.0, 1.0, 0.0, 1.0]}
INVALID = [
    ({"weights": [1, -0.5, 1, 1]}, "weights must be >= 0; row 1"),
    ({"weights": [1, math.nan, 1, 1]}, "weights must be finite"),
    ({"weights": [1, 1, 1]}, "weights has 3 rows but stop has 4"),
    ({"start": [0, 2, 0, 0]}, "start must be < stop; row 1"),
    ({"start": [0, 0, 5, 0]}, "start must be < stop; row 2"),
    ({"start": [0, 0, math.inf, 0]}, "start must be finite"),
    ({"stop": [1.0, math.nan, 3.0, 4.0]}, "stop must be finite"),
    ({"stop": [1.0, -2.0, 3.0, 4.0]}, "stop must be >= 0 without start"),
    ({"stop": []}, "no rows"),
    ({"event": [1, 0, 2, 0]}, "event must be 0/1"),
    ({"event": [1, 0, math.nan, 0]}, "event must be 0/1"),
    ({"event": [1, 0, 1]}, "event has 3 rows but stop has 4"),
    ({"x": [0.0, 1.0, math.nan, 1.0]}, "x must be finite"),
    ({"x": [0.0, 1.0, 1.0]}, "x has 3 rows but stop has 4"),
    ({"x": np.zeros((4, 0))}, "x has no columns"),
    ({"x": np.zeros((4, 1, 1))}, "x must be 1-D or 2-D"),
    ({"strata": ["a", "b", None, "a"]}, "strata has missing values"),
    ({"strata": ["a", "b"]}, "strata must be one-dimensional with 4 values"),
    ({"cluster": [1, 2, math.nan, 4]}, "cluster has missing values"),
]


@pytest.mark.parametrize(("change", "message"), INVALID)
def test_invalid_input_raises_with_a_message(change, message):
    args = {**BASE, **change}
    with pytest.raises(SurvivalDataError, match=message.replace("(", r"\(")):
        fit_weighted_cox(args.pop("stop"), args.pop("event"), args.pop("x"), ties="efron",
                         **args)


def test_ties_are_required_and_checked():
    with pytest.raises(TypeError):
        fit_weighted_cox(**BASE)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="ties must be 'efron' or 'breslow'"):
        fit_weighted_cox(**BASE, ties="exact")
    with pytest.raises(ValueError, match="tolerance must be > 0"):
        fit_weighted_cox(**BASE, ties="efron", tolerance=0)


def test_intervals_shorter_than_the_tie_tolerance_are_refused():
    with pytest.raises(SurvivalDataError, match="closer than the tie tolerance"):
        fit_weighted_cox([1.0, 2.0], [1, 0], [0, 1], start=[1.0 - 1e-12, 0.0], ties="efron")


# ---- invariance to row order and to splitting a row --------------------------------------------

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.0, 1.5, 2.0, 3.0])


@st.composite
def counting_sets(draw):
    """Rows of (start, stop] integer intervals (ties), 1 or 2 covariates, weights, clusters."""
    n = draw(st.integers(2, 14))
    p = draw(st.sampled_from([1, 1, 2]))
    start = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    length = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    event = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    weights = draw(st.lists(WEIGHTS, min_size=n, max_size=n))
    x = draw(st.lists(st.lists(st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0]), min_size=p,
                               max_size=p), min_size=n, max_size=n))
    cluster = draw(st.lists(st.integers(0, n // 2 + 1), min_size=n, max_size=n))
    stop = [a + b for a, b in zip(start, length, strict=True)]
    return {"start": np.array(start, float), "stop": np.array(stop, float),
            "event": np.array(event), "x": np.array(x), "weights": np.array(weights),
            "cluster": np.array(cluster)}


def _fit(d: dict, ties: str) -> WeightedCoxFit:
    return _quiet(fit_weighted_cox, d["stop"], d["event"], d["x"], start=d["start"],
                  weights=d["weights"], cluster=d["cluster"], ties=ties, **FIT)


def _same(a: WeightedCoxFit, b: WeightedCoxFit) -> None:
    assert a.not_estimable_reason == b.not_estimable_reason
    assert a.events == b.events
    if a.coef is None:
        return
    for u, v in [(a.coef, b.coef), (a.se, b.se), (a.se_robust, b.se_robust)]:
        np.testing.assert_allclose(u, v, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(a.loglik, b.loglik, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(counting_sets(), st.sampled_from(["efron", "breslow"]), st.data())
def test_fit_is_invariant_to_row_order_and_to_splitting_a_row(d, ties, pick):
    fit = _fit(d, ties)
    assert (fit.coef is None) == (fit.not_estimable_reason is not None)
    if fit.coef is not None:
        assert all(math.isfinite(v) for v in fit.coef + fit.se + fit.se_robust)
    order = np.array(pick.draw(st.permutations(range(len(d["stop"])))))
    _same(fit, _fit({k: v[order] for k, v in d.items()}, ties))
    i = pick.draw(st.integers(0, len(d["stop"]) - 1))
    middle = (d["start"][i] + d["stop"][i]) / 2  # a half-integer: never tied with a time
    first = {k: v[i:i + 1].copy() for k, v in d.items()}
    first["stop"][0], first["event"][0] = middle, 0
    split = {k: np.concatenate([v, first[k]]) for k, v in d.items()}
    split["start"][i] = middle
    _same(fit, _fit(split, ties))


# ---- speed ------------------------------------------------------------------------------------


def test_twenty_thousand_counting_process_rows_fit_fast():
    """Vectorised: 20,000 (start, stop] rows, p = 1, both ties in well under a second each
    (about 50 ms on an idle core; the limit leaves room for a loaded machine)."""
    rng = np.random.default_rng(20_000)
    n = 20_000
    arm = rng.integers(0, 2, n).astype(float)
    stop = np.ceil(rng.exponential(300.0, n) * np.exp(0.3 * arm)) + 1.0
    start = np.floor(stop * rng.uniform(0.0, 0.9, n))
    event = (rng.uniform(size=n) < 0.7).astype(int)
    weights = rng.uniform(0.2, 3.0, n)
    cluster = rng.integers(0, 8_000, n)
    for ties in ("efron", "breslow"):
        begin = time.perf_counter()
        fit = _quiet(fit_weighted_cox, stop, event, arm, start=start, weights=weights,
                     cluster=cluster, ties=ties)
        elapsed = time.perf_counter() - begin
        assert fit.estimable and fit.converged and fit.n_clusters == np.unique(cluster).size
        assert elapsed < 1.0, elapsed
        column = fit_weighted_cox(stop, event, arm[:, None], start=start, weights=weights,
                                  cluster=cluster, ties=ties)
        assert column == fit
