"""The synthetic trial reproduces NETTER-1's design facts and ADaM conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netter.adam.io import load_adam

LU, CONTROL = "177Lu-DOTATATE", "Octreotide LAR 60 mg"
CUTOFFS = {"primary": "2015-07-24", "update": "2016-06-30", "final": "2021-01-14"}


@pytest.mark.parametrize(("cutoff", "n_lu", "n_control"),
                         [("primary", 116, 113), ("update", 117, 114), ("final", 117, 114)])
def test_arm_sizes_match_the_publications(locks, cutoff, n_lu, n_control):
    counts = locks[cutoff]["adsl"]["TRT01P"].value_counts().to_dict()
    assert counts == {LU: n_lu, CONTROL: n_control}


def test_randomisation_window(locks):
    dates = locks["final"]["adsl"]["RANDDT"]
    assert dates.min() == "2012-09-06" and dates.max() == "2016-01-14"
    assert (locks["primary"]["adsl"]["RANDDT"] <= "2015-07-24").all()


def test_every_dataset_validates(default_trial_dir):
    for cutoff in CUTOFFS:
        data = load_adam(default_trial_dir / cutoff)
        assert set(data.adtte["USUBJID"]) <= set(data.adsl["USUBJID"])
        assert set(data.adrs["USUBJID"]) <= set(data.adsl["USUBJID"])
        assert sorted(data.adtte["PARAMCD"].unique()) == ["OS", "PFS", "TTDGHS"]
        assert (data.adtte.groupby("USUBJID").size() == 3).all()


def test_stratified_blocks_keep_each_stratum_balanced(locks):
    adsl = locks["final"]["adsl"].sort_values("SUBJID")
    for _, stratum in adsl.groupby(["STRAT1R", "STRAT2R"]):
        is_lu = (stratum["TRT01P"] == LU).to_numpy()
        imbalance = np.cumsum(np.where(is_lu, 1, -1))
        # permuted blocks of 4 (2 + 2): never more than 2 apart, balanced at each block end
        assert np.abs(imbalance).max() <= 2
        assert (imbalance[3::4] == 0).all()


@pytest.mark.parametrize("cutoff", list(CUTOFFS))
def test_nothing_after_the_cutoff_is_visible(locks, cutoff):
    cut = CUTOFFS[cutoff]
    adsl, adtte, adrs = (locks[cutoff][d] for d in ("adsl", "adtte", "adrs"))
    assert (adtte["ADT"] <= cut).all() and (adrs["ADT"] <= cut).all()
    assert (adsl.loc[adsl["DTHFL"] == "Y", "DTHDT"] <= cut).all()
    assert (adsl.loc[adsl["DTHFL"] == "N", "DTHDT"] == "").all()
    assert (adsl["DCUTDT"] == cut).all()
    assert (adsl.loc[adsl["XOVERFL"] == "Y", "TRT01P"] == CONTROL).all()


@pytest.mark.parametrize("cutoff", list(CUTOFFS))
def test_aval_is_adt_minus_startdt_plus_one(locks, cutoff):
    adtte = locks[cutoff]["adtte"]
    days = (pd.to_datetime(adtte["ADT"]) - pd.to_datetime(adtte["STARTDT"])).dt.days + 1
    assert (adtte["AVAL"].astype(int) == days).all()
    assert (adtte["AVALU"] == "DAYS").all()


def test_pfs_events_come_from_scans_or_deaths(locks):
    data = locks["final"]
    pfs = data["adtte"][data["adtte"]["PARAMCD"] == "PFS"].set_index("USUBJID")
    first_pd = data["adrs"][data["adrs"]["AVALC"] == "PD"].groupby("USUBJID")["ADT"].min()
    deaths = data["adsl"].set_index("USUBJID")["DTHDT"]
    events = pfs[pfs["CNSR"] == "0"]
    for usubjid, row in events.iterrows():
        candidates = [d for d in (first_pd.get(usubjid), deaths[usubjid]) if d]
        assert row["ADT"] == min(candidates), usubjid
        expected = "Disease progression" if row["ADT"] == first_pd.get(usubjid) else "Death"
        assert row["EVNTDESC"] == expected


def test_os_agrees_with_adsl_death_and_last_alive_dates(locks):
    data = locks["update"]
    os_ = data["adtte"][data["adtte"]["PARAMCD"] == "OS"].merge(data["adsl"], on="USUBJID")
    died = os_["CNSR"] == "0"
    assert (os_.loc[died, "ADT"] == os_.loc[died, "DTHDT"]).all()
    assert (os_["ADT"] == os_["LSTALVDT"]).all()
    assert (died == (os_["DTHFL"] == "Y")).all()


def test_events_at_an_earlier_lock_are_unchanged_later(locks):
    """A database lock only adds information: earlier events keep their dates."""
    earlier = locks["primary"]["adtte"]
    later = locks["final"]["adtte"].set_index(["USUBJID", "PARAMCD"])
    events = earlier[earlier["CNSR"] == "0"].set_index(["USUBJID", "PARAMCD"])
    os_events = events.xs("OS", level="PARAMCD", drop_level=False)
    assert (later.loc[os_events.index, "ADT"] == os_events["ADT"]).all()
    assert (later.loc[events.index, "CNSR"] == "0").all()


def test_visit_schedule_is_12_weekly_within_window(locks):
    adrs = locks["final"]["adrs"]
    weeks = adrs["AVISITN"].astype(int)
    assert (weeks % 12 == 0).all()
    assert (np.abs(adrs["ADY"].astype(int) - 1 - 7 * weeks) <= 7).all()
    per_subject = adrs.groupby("USUBJID")["AVALC"].apply(list)
    assert all("PD" not in seq[:-1] for seq in per_subject)  # scans stop at PD
