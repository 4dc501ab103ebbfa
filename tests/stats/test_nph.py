"""Weighted log-rank, MaxCombo, piecewise Cox and scaled Schoenfeld residuals against R
(tests/reference/nph.R: survival 3.5.3, mvtnorm 1.1-3), plus the degenerate cases."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.errors import SurvivalDataError
from netter.stats.nph import (
    MAXCOMBO_WEIGHTS,
    check_cuts,
    check_weights,
    maxcombo,
    piecewise_cox,
    weighted_logrank,
)
from netter.stats.ph import cox_zph

REFERENCE = Path(__file__).parents[1] / "reference"
#: FH statistics, correlations, piecewise Cox and residuals: exact arithmetic.
TOL = 1e-9
#: The MaxCombo p-value: two quasi-Monte Carlo integrations (scipy's Genz with absolute
#: error <= 1e-6, R's GenzBretz with abseps 1e-8) agree to this.
P_TOL = 2e-5
REF = {"lung": "male", "veteran": "standard", "netter1_final_os": "Octreotide LAR 60 mg"}
STRATA = {"lung": "ecog", "veteran": "celltype", "netter1_final_os": "STRAT1R+STRAT2R"}
CUTS = {"lung": (180, 365), "veteran": (30, 90), "netter1_final_os": (6, 12, 24)}


def _table(name: str) -> dict:
    df = pd.read_csv(REFERENCE / "nph" / f"{name}.csv", keep_default_na=False,
                     dtype={"value": str, "key": str})
    out = {}
    for row in df.itertuples(index=False):
        value = float("nan") if row.value == "NA" else float(row.value)
        out[(row.dataset, row.strata, row.method, row.key, row.stat)] = value
    return out


FH, MC, PW, ZPH, RMST = (_table(n) for n in ("fh", "maxcombo", "piecewise", "zph", "rmst"))
CASES = [(d, s) for d in REF for s in ("", STRATA[d])]


def _data(dataset: str, strata: str):
    df = pd.read_csv(REFERENCE / "data" / f"{dataset}.csv")
    cols = None if strata == "" else [df[c].astype(str) for c in strata.split("+")]
    return df["time"].to_numpy(float), df["event"].to_numpy(int), df["group"].to_numpy(str), cols


def _close(actual, expected, tol=TOL):
    return abs(actual - expected) <= tol * max(1.0, abs(expected))


@pytest.mark.parametrize(("dataset", "strata"), CASES)
def test_fleming_harrington_matches_r(dataset, strata):
    time, event, group, cols = _data(dataset, strata)
    keys = {k[3] for k in FH if k[:3] == (dataset, strata, "fh")}
    assert len(keys) == 8
    for key in keys:
        rho, gamma = (float(v) for v in key.split(","))
        r = weighted_logrank(time, event, group, reference=REF[dataset], rho=rho, gamma=gamma,
                             strata=cols)
        for stat, value in (("u", r.u), ("var", r.variance), ("z", r.z), ("p", r.p_value)):
            assert _close(value, FH[(dataset, strata, "fh", key, stat)]), (key, stat)
        if gamma == 0:  # R survdiff(rho = rho)
            assert _close(r.z ** 2, FH[(dataset, strata, "fh", key, "survdiff_chisq")])


@pytest.mark.parametrize(("dataset", "strata"), CASES)
def test_maxcombo_matches_r(dataset, strata):
    time, event, group, cols = _data(dataset, strata)
    r = maxcombo(time, event, group, reference=REF[dataset], strata=cols)
    base = (dataset, strata, "maxcombo")
    for i, t in enumerate(r.tests):
        assert _close(t.z, MC[(*base, ",".join(f"{v:g}" for v in MAXCOMBO_WEIGHTS[i]), "z")])
        for j in range(4):
            assert _close(r.correlation[i][j], MC[(*base, f"{i + 1}|{j + 1}", "corr")])
    assert _close(r.max_abs_z, MC[(*base, "", "max_abs_z")])
    assert abs(r.p_value - MC[(*base, "", "p")]) <= P_TOL


def test_maxcombo_is_deterministic():
    time, event, group, cols = _data("netter1_final_os", "STRAT1R+STRAT2R")
    runs = [maxcombo(time, event, group, reference=REF["netter1_final_os"], strata=cols)
            for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize(("dataset", "strata"), CASES)
def test_piecewise_cox_matches_r(dataset, strata, ties):
    time, event, group, cols = _data(dataset, strata)
    pieces = piecewise_cox(time, event, group, reference=REF[dataset], cuts=CUTS[dataset],
                           strata=cols, profile={"efron": "r", "breslow": "r+ties=breslow"}[ties])
    assert len(pieces) == len(CUTS[dataset]) + 1
    for k, piece in enumerate(pieces, start=1):
        base = (dataset, strata, ties, f"interval {k}")
        assert piece.events == PW[(*base, "events")]
        e = piece.model.effects[0]
        for stat, value in (("coef", e.coef), ("se", e.se), ("hr", e.hazard_ratio),
                            ("lower", e.ci_lower), ("upper", e.ci_upper), ("p", e.p_value)):
            assert _close(value, PW[(*base, stat)], 1e-8), (k, stat)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize(("dataset", "strata"), CASES)
def test_scaled_schoenfeld_matches_r(dataset, strata, ties):
    time, event, group, cols = _data(dataset, strata)
    z = cox_zph(time, event, group, reference=REF[dataset], strata=cols,
                profile={"efron": "r", "breslow": "r+ties=breslow"}[ties])
    base = (dataset, strata, ties)
    n = sum(1 for k in ZPH if k[:3] == base and k[4] == "y")
    expected = sorted((ZPH[(*base, str(i), "time")], ZPH[(*base, str(i), "y")],
                       ZPH[(*base, str(i), "x")]) for i in range(1, n + 1))
    got = sorted(zip(z.residuals.time, z.residuals.y[0], z.residuals.x, strict=True))
    assert len(got) == n == int(event.sum())
    assert list(z.residuals.time) == sorted(z.residuals.time)
    for (t, y, x), (rt, ry, rx) in zip(got, expected, strict=True):
        assert _close(t, rt) and _close(x, rx) and _close(y, ry, 1e-8)
    assert _close(z.global_test.chisq, ZPH[(*base, "", "chisq")])


# --- degenerate cases ----------------------------------------------------------------


def test_no_events_is_not_estimable():
    r = weighted_logrank([1, 2, 3], [0, 0, 0], ["a", "b", "a"], reference="a", rho=0, gamma=1)
    assert (r.z, r.p_value, r.not_estimable_reason) == (None, None, "no events")
    m = maxcombo([1, 2, 3], [0, 0, 0], ["a", "b", "a"], reference="a")
    assert m.p_value is None and m.not_estimable_reason == "FH(0,0): no events"


def test_gamma_weight_zero_at_every_event_is_not_estimable():
    # one event time only: S(t-) = 1 there, so (1 - S)^gamma = 0
    r = weighted_logrank([1, 1, 2, 3], [1, 1, 0, 0], ["a", "b", "a", "b"], reference="a",
                         rho=0, gamma=1)
    assert r.z is None and r.not_estimable_reason.startswith("zero variance")


def test_one_arm_is_refused():
    with pytest.raises(SurvivalDataError, match="compares two arms"):
        weighted_logrank([1, 2], [1, 1], ["a", "a"], reference="a")
    with pytest.raises(SurvivalDataError, match="reference arm 'z'"):
        maxcombo([1, 2], [1, 1], ["a", "b"], reference="z")


def test_piecewise_interval_without_events_is_not_estimable():
    pieces = piecewise_cox([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 0], list("ababab"),
                           reference="a", cuts=[4.5, 10], profile="r")
    assert [p.events for p in pieces] == [4, 0, 0]
    assert pieces[0].model.effects[0].hazard_ratio is not None
    for p in pieces[1:]:
        assert p.model.effects[0].hazard_ratio is None
        assert p.model.effects[0].not_estimable_reason == "no events"
    assert pieces[-1].end is None


def test_bad_weights_and_cuts():
    with pytest.raises(SurvivalDataError):
        check_weights([(1, -1)])
    with pytest.raises(SurvivalDataError):
        check_weights([(1,)])
    with pytest.raises(SurvivalDataError):
        check_cuts([math.inf])
    with pytest.raises(SurvivalDataError):
        check_cuts([])


def test_fh00_is_the_logrank_z():
    from netter.stats.logrank import logrank_test

    t, e, g, cols = _data("veteran", "celltype")
    r = weighted_logrank(t, e, g, reference="standard", strata=cols)
    assert np.isclose(r.z ** 2, logrank_test(t, e, g, strata=cols).chisq, rtol=1e-12)
