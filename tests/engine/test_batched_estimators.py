"""Batched estimators (netter.engine.estimators) against netter.stats, trial by trial.

Several hundred seeded random trials (mixed sizes, ties, strata, near-equal times and
the degenerate cases: no events in an arm or at all, one subject in an arm or a
stratum, an empty arm, all censored, a monotone likelihood) plus NETTER-1 trials from
the simulator, and hypothesis property tests.  Every number is compared with the
netter.stats estimator run on that trial alone: values to 1e-8 (relative, with a tiny
absolute floor for values that are 0 in exact arithmetic), and NaN exactly where
netter.stats gives ``None``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netter.engine.estimators import (
    SurvivalBatch,
    batched_clopper_pearson,
    batched_cox,
    batched_km,
    batched_logrank,
    event_table,
    km_curves,
    km_quantile_batch,
    rmst_batch,
)
from netter.errors import SurvivalDataError
from netter.profiles import get_profile
from netter.stats.binomial import clopper_pearson
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier, survival_at
from netter.stats.logrank import logrank_test
from netter.stats.quantiles import km_quantile
from netter.stats.rmst import rmst

RTOL = 1e-8
ATOL = 1e-10
COX_PROFILES = ("r", "sas", "r+ties=breslow", "r+convergence=r")
KM_PROFILES = ("r", "sas", "lifelines")
LANDMARKS = (0.0, 0.5, 1.0, 2.0, 3.5, 7.0, 30.0)
TAUS = (0.5, 3.0, 50.0)


def profile(name: str):
    preset, *options = name.split("+")
    return get_profile(preset, options=options) if options else get_profile(preset)


def close(ref, got, what, rtol=RTOL, atol=ATOL) -> None:
    """``got`` (a float, NaN for not estimable) equals ``ref`` (float or None)."""
    if ref is None:
        assert np.isnan(got), f"{what}: netter.stats gives None, batched gives {got!r}"
        return
    assert not np.isnan(got), f"{what}: netter.stats gives {ref!r}, batched gives NaN"
    assert abs(got - ref) <= atol + rtol * abs(ref), f"{what}: {ref!r} vs {got!r}"


# ----------------------------------------------------------------------------- trials

def degenerate_trials() -> list[tuple[np.ndarray, ...]]:
    """(time, event, arm, stratum) of the awkward cases, each a trial of its own."""
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    arm = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    s0 = np.zeros(8, dtype=int)
    one = np.ones(8, dtype=bool)
    return [
        (t, np.zeros(8, dtype=bool), arm, s0),  # all censored
        (t, arm == 1, arm, s0),  # no events in arm 0
        (t, arm == 0, arm, s0),  # no events in arm 1
        (t, one, np.array([1, 1, 1, 0, 1, 1, 1, 1]), s0),  # one subject in arm 0
        (t, one, arm, np.array([0, 0, 0, 0, 1, 1, 1, 2])),  # a stratum with one subject
        (np.array([3.0]), np.array([True]), np.array([0]), np.array([0])),  # one subject
        (t, one, np.zeros(8, dtype=int), s0),  # arm 1 empty
        (np.full(8, 2.0), one, arm, s0),  # every event tied
        (np.array([1.0, 1 + 1e-12, 1 + 2e-12, 2.0, 2.0 + 1e-9, 3.0, 3.0, 4.0]), one, arm,
         s0),  # near-equal times (R timefix)
        (np.array([0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 0.0, 3.0]), one, arm, s0),  # zero times
        (np.array([1.0, 5.0, 2.0, 6.0, 3.0, 7.0, 4.0, 8.0]), one,
         np.array([1, 0, 1, 0, 1, 0, 1, 0]), s0),  # arm 1 gone before arm 0's events
        (t, one, arm, np.array([0, 1, 0, 1, 2, 3, 2, 3])),  # strata with one arm each
        (np.array([1.0, 2.0, 3.0, 4.0, 1.0, 2.0]), np.array([1, 1, 0, 0, 1, 1], dtype=bool),
         np.array([0, 0, 0, 0, 1, 1]), np.zeros(6, dtype=int)),  # medians on a flat 0.5
    ]


def random_trials(seed: int, count: int) -> list[tuple[np.ndarray, ...]]:
    """Seeded random trials: sizes 1-80, integer / day-based / continuous times, 1-5 strata."""
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(count):
        n = int(rng.integers(1, 80))
        kind = rng.integers(0, 3)
        if kind == 0:
            time = rng.integers(0, 8, n).astype(float)  # heavy ties
        elif kind == 1:
            time = rng.integers(1, 700, n) / 30.4375  # the engine's months
        else:
            time = rng.exponential(5.0, n)
        event = rng.random(n) < rng.choice([0.0, 0.3, 0.7, 1.0])
        arm = (rng.random(n) < rng.choice([0.1, 0.5, 0.9])).astype(int)
        stratum = rng.integers(0, rng.integers(1, 6), n)
        if rng.random() < 0.1:
            event[arm == int(rng.integers(0, 2))] = False
        trials.append((time, event, arm, stratum))
    return trials


def netter1_trials(seeds) -> list[tuple[np.ndarray, ...]]:
    """PFS and OS of NETTER-1 trials from the simulator, locked at the primary cut-off."""
    from netter.synthetic.config import load_config
    from netter.synthetic.lock import lock_database
    from netter.synthetic.trial import simulate_trial

    config = load_config("studies/netter1/simulation.toml")
    out = []
    for seed in seeds:
        data = lock_database(config, simulate_trial(config, seed=seed), config.cutoffs.dates[0])
        adsl = data["adsl"].set_index("USUBJID")
        strata = adsl["STRAT1R"].astype(str) + "/" + adsl["STRAT2R"].astype(str)
        codes = {v: i for i, v in enumerate(sorted(strata.unique()))}
        for param in ("PFS", "OS"):
            tte = data["adtte"][data["adtte"]["PARAMCD"] == param]
            ids = tte["USUBJID"].to_numpy()
            out.append((tte["AVAL"].to_numpy(dtype=float) / 30.4375,
                        tte["CNSR"].to_numpy() == 0,
                        (adsl.loc[ids, "TRT01P"].to_numpy() != "177Lu-DOTATATE").astype(int),
                        strata.loc[ids].map(codes).to_numpy()))
    return out


TRIALS = degenerate_trials() + random_trials(20240601, 240) + netter1_trials((1, 2, 3))
BATCH = SurvivalBatch.from_trials(*zip(*TRIALS, strict=True))


def two_arms(trial) -> bool:
    return np.unique(trial[2]).size == 2


# ----------------------------------------------------------------------------- log-rank

@pytest.mark.parametrize("stratified", [False, True])
def test_logrank_equals_netter_stats(stratified):
    res = batched_logrank(BATCH, stratified=stratified)
    none = 0
    for b, (t, e, a, s) in enumerate(TRIALS):
        ref = logrank_test(t, e, a, strata=s if stratified else None)
        close(ref.chisq, res.chisq[b], f"trial {b} chisq")
        close(ref.p_value, res.p_value[b], f"trial {b} p")
        none += ref.chisq is None
        if len(ref.groups) == 2:
            np.testing.assert_array_equal(res.observed[b], ref.observed)
            np.testing.assert_allclose(res.expected[b], ref.expected, rtol=RTOL, atol=ATOL)
            close(ref.variance[1][1], res.variance[b], f"trial {b} variance")
    assert 10 < none < len(TRIALS) / 2  # the degenerate cases are exercised


def test_logrank_shared_table_and_padding_ignored():
    table = event_table(BATCH, stratified=True)
    a = batched_logrank(BATCH, stratified=True, table=table)
    # garbage outside `valid` changes nothing
    junk = SurvivalBatch(time=np.where(BATCH.valid, BATCH.time, np.nan),
                         event=BATCH.event | ~BATCH.valid,
                         arm=np.where(BATCH.valid, BATCH.arm, 1),
                         stratum=np.where(BATCH.valid, BATCH.stratum, 7), valid=BATCH.valid)
    b = batched_logrank(junk, stratified=True)
    np.testing.assert_array_equal(a.chisq, b.chisq)
    np.testing.assert_array_equal(a.expected, b.expected)


# ----------------------------------------------------------------------------- Cox

@pytest.mark.parametrize("stratified", [False, True])
@pytest.mark.parametrize("name", COX_PROFILES)
def test_cox_equals_netter_stats(name, stratified):
    prof = profile(name)
    res = batched_cox(BATCH, profile=prof, stratified=stratified)
    estimable = 0
    for b, (t, e, a, s) in enumerate(TRIALS):
        if not two_arms((t, e, a, s)):
            assert np.isnan(res.coef[b]) and not res.estimable[b]
            continue
        model = cox_hazard_ratio(t, e, a, reference=1, strata=s if stratified else None,
                                 profile=prof)
        eff = model.effects[0]
        what = f"{name} trial {b}"
        for field in ("coef", "se", "hazard_ratio", "ci_lower", "ci_upper"):
            close(getattr(eff, field), getattr(res, field)[b], f"{what} {field}")
        close(eff.p_value, res.wald_p[b], f"{what} p", atol=0.0)
        assert res.estimable[b] == (eff.not_estimable_reason is None), what
        if eff.not_estimable_reason is None:
            estimable += 1
            assert res.iterations[b] == model.iterations, what
            assert res.converged[b] == model.converged, what
    assert 0.5 * len(TRIALS) < estimable < len(TRIALS) - 10


def test_cox_no_events_and_monotone_are_nan():
    res = batched_cox(BATCH, profile="r", stratified=False)
    # all censored; no events in arm 0 (HR -> 0); no events in arm 1 (HR -> infinity)
    assert np.isnan(res.hazard_ratio[:3]).all()
    assert res.iterations[0] == 0 and res.converged[0]
    assert np.isfinite(res.hazard_ratio[3])  # one subject in arm 0, with an event


def test_cox_realistic_hazard_ratio():
    """A NETTER-1 PFS trial: a large treatment effect (arm 0 = 177Lu-DOTATATE)."""
    b = len(TRIALS) - 6  # first NETTER-1 trial, PFS
    res = batched_cox(BATCH, profile="r", stratified=True)
    assert 0.05 < res.hazard_ratio[b] < 0.5
    assert res.ci_lower[b] < res.hazard_ratio[b] < res.ci_upper[b]


# ----------------------------------------------------------------------------- Kaplan-Meier

def arm_data(trial, g):
    t, e, a, _ = trial
    return t[a == g], e[a == g]


@pytest.mark.parametrize("name", KM_PROFILES)
def test_km_median_landmarks_rmst_equal_netter_stats(name):
    prof = profile(name)
    km = batched_km(BATCH, profile=prof, times=LANDMARKS, tau=TAUS[1])
    curves = km_curves(BATCH, profile=prof)
    quartiles = {q: km_quantile_batch(curves, q) for q in (0.25, 0.75)}
    other_tau = {tau: rmst_batch(curves, tau=tau) for tau in (TAUS[0], TAUS[2])}
    # lifelines' RMST variance E[min(T, tau)^2] - RMST^2 cancels: both sides carry noise
    # of order sqrt(eps) * tau where the variance is 0
    se_atol = 1e-6 * max(TAUS) if name == "lifelines" else ATOL
    for b, trial in enumerate(TRIALS):
        for g in (0, 1):
            t, e = arm_data(trial, g)
            what = f"{name} trial {b} arm {g}"
            assert km.n[b, g] == t.size and km.events[b, g] == e.sum()
            if t.size == 0:
                assert np.isnan(km.median[b, g]) and np.isnan(km.survival[b, g]).all()
                continue
            ref = kaplan_meier(t, e, profile=prof)
            med = km_quantile(ref, 0.5)
            close(med.estimate, km.median[b, g], f"{what} median")
            close(med.ci_lower, km.median_lower[b, g], f"{what} median lower")
            close(med.ci_upper, km.median_upper[b, g], f"{what} median upper")
            for q, res in quartiles.items():
                close(km_quantile(ref, q).estimate, res.estimate[b, g], f"{what} q{q}")
            for i, lm in enumerate(survival_at(ref, LANDMARKS)):
                assert km.n_risk[b, g, i] == lm.n_risk, f"{what} n_risk at {LANDMARKS[i]}"
                for field in ("survival", "std_err", "ci_lower", "ci_upper"):
                    close(getattr(lm, field), getattr(km, field)[b, g, i],
                          f"{what} {field} at {LANDMARKS[i]}")
            for tau, est, se in [(TAUS[1], km.rmst, km.rmst_se)] + [
                    (tau, r.estimate, r.se) for tau, r in other_tau.items()]:
                r = rmst(t, e, tau=tau, profile=prof)
                close(r.estimate, est[b, g], f"{what} rmst({tau})")
                close(r.se, se[b, g], f"{what} rmst se({tau})", atol=se_atol)


def test_km_curves_bitwise_and_flat_median():
    curves = km_curves(BATCH, profile="r")
    for b, trial in enumerate(TRIALS[:40]):
        for g in (0, 1):
            t, e = arm_data(trial, g)
            if t.size:
                ref = kaplan_meier(t, e, profile="r")
                length = curves.length[b, g]
                np.testing.assert_array_equal(curves.time[b, g, :length], ref.time)
                np.testing.assert_array_equal(curves.survival[b, g, :length], ref.survival)
                np.testing.assert_array_equal(curves.n_risk[b, g, :length], ref.n_risk)
    # the last degenerate trial: S = 0.5 from t = 2 to a censored end at 4 (arm 0), and
    # from 1 to an event at 2 (arm 1): R's midpoints
    b = len(degenerate_trials()) - 1
    assert batched_km(BATCH, profile="r").median[b].tolist() == [3.0, 1.5]


# ----------------------------------------------------------------------------- binomial

def test_clopper_pearson_equals_netter_stats():
    n = np.repeat(np.arange(0, 41), 41).reshape(41, 41)
    x = np.tile(np.arange(0, 41), 41).reshape(41, 41)
    x = np.minimum(x, n)
    for level in (0.95, 0.8):
        res = batched_clopper_pearson(x, n, level)
        for xi, ni, est, lo, up in zip(x.ravel(), n.ravel(), res.estimate.ravel(),
                                       res.lower.ravel(), res.upper.ravel(), strict=True):
            ref = clopper_pearson(int(xi), int(ni), level)
            close(ref.estimate, est, f"{xi}/{ni}")
            close(ref.lower, lo, f"{xi}/{ni} lower")
            close(ref.upper, up, f"{xi}/{ni} upper")


# ----------------------------------------------------------------------------- input

def test_from_arrays_validates():
    with pytest.raises(SurvivalDataError, match="time"):
        SurvivalBatch.from_arrays([[1.0, np.nan]], [[1, 0]], [[0, 1]])
    with pytest.raises(SurvivalDataError, match="arm"):
        SurvivalBatch.from_arrays([[1.0, 2.0]], [[1, 0]], [[0, 2]])
    with pytest.raises(SurvivalDataError, match="event"):
        SurvivalBatch.from_arrays([[1.0, 2.0]], [[1, 3]], [[0, 1]])
    with pytest.raises(SurvivalDataError, match="stratum"):
        SurvivalBatch.from_arrays([[1.0, 2.0]], [[1, 0]], [[0, 1]], [[0, -1]])
    ok = SurvivalBatch.from_arrays([[1.0, np.nan]], [[1, 0]], [[0, 7]], valid=[[True, False]])
    assert ok.time.tolist() == [[1.0, 0.0]] and ok.arm.tolist() == [[0, 0]]


# ----------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def small_trials(draw):
    n = draw(st.integers(1, 14))
    time = draw(st.lists(st.sampled_from([0.0, 1.0, 1.0 + 1e-12, 2.0, 2.5, 3.0, 7.0]),
                         min_size=n, max_size=n))
    event = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    arm = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    stratum = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return tuple(np.array(v) for v in (time, event, arm, stratum))


@SETTINGS
@given(st.lists(small_trials(), min_size=1, max_size=6), st.booleans(),
       st.sampled_from(["r", "sas"]))
def test_property_logrank_cox_per_trial(trials, stratified, name):
    batch = SurvivalBatch.from_trials(*zip(*trials, strict=True))
    lr = batched_logrank(batch, stratified=stratified)
    cox = batched_cox(batch, profile=name, stratified=stratified)
    for b, (t, e, a, s) in enumerate(trials):
        strata = s if stratified else None
        ref = logrank_test(t, e, a, strata=strata)
        close(ref.chisq, lr.chisq[b], "chisq")
        if np.unique(a).size == 2:
            eff = cox_hazard_ratio(t, e, a, reference=1, strata=strata,
                                   profile=name).effects[0]
            close(eff.coef, cox.coef[b], "coef")
            close(eff.se, cox.se[b], "se")
        else:
            assert np.isnan(cox.coef[b])


@SETTINGS
@given(st.lists(small_trials(), min_size=1, max_size=6), st.sampled_from(KM_PROFILES))
def test_property_km_per_arm(trials, name):
    batch = SurvivalBatch.from_trials(*zip(*trials, strict=True))
    km = batched_km(batch, profile=name, times=(1.0, 2.0), tau=2.5)
    for b, trial in enumerate(trials):
        for g in (0, 1):
            t, e = arm_data(trial, g)
            if not t.size:
                assert np.isnan(km.median[b, g])
                continue
            ref = kaplan_meier(t, e, profile=name)
            med = km_quantile(ref, 0.5)
            close(med.estimate, km.median[b, g], "median")
            close(med.ci_lower, km.median_lower[b, g], "median lower")
            close(med.ci_upper, km.median_upper[b, g], "median upper")
            close(survival_at(ref, 2.0)[0].survival, km.survival[b, g, 1], "S(2)")
            close(rmst(t, e, tau=2.5, profile=name).estimate, km.rmst[b, g], "rmst")
