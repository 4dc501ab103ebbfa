"""Build ADSL, ADTTE and ADRS as they stood at one data cut-off.

Examples
--------
>>> from netter.synthetic.config import load_config
>>> from netter.synthetic.trial import simulate_trial
>>> config = load_config("studies/netter1/simulation.toml")
>>> data = lock_database(config, simulate_trial(config, seed=2012), config.cutoffs.dates[0])
>>> len(data["adsl"]), sorted(data["adsl"]["TRT01P"].value_counts())
(229, [113, 116])
>>> list(data["adsl"].columns[10:13]), sorted(data["adtte"]["PARAMCD"].unique())
(['STRAT1R', 'STRAT2R', 'AGE'], ['OS', 'PFS', 'TTDGHS'])
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.synthetic.cutoffs import os_records, pfs_records, qol_records

#: ADSL variables the simulator writes itself, around the strata and covariates of the
#: config (which come after ``ITTFL``); a config may not name any of them.
FIXED_ADSL_VARIABLES = (
    col.STUDYID, col.USUBJID, "SUBJID", "SITEID", "ARM", "ARMCD", "TRT01P", "TRT01A", "RANDDT",
    "ITTFL", "DTHFL", "DTHDT", "LSTALVDT", "XOVERFL", "XOVERDT", "DCUTDT",
)


def _visible(trial, cutoff: dt.date):
    cut = np.datetime64(cutoff, "D")
    randdt = trial.subjects["randdt"].to_numpy().astype("datetime64[D]")
    keep = np.flatnonzero(randdt <= cut)
    subjects = trial.subjects.iloc[keep].reset_index(drop=True)
    cut_day = (cut - randdt[keep]).astype(np.int64)
    position = pd.Series(np.arange(len(keep)), index=keep)
    visits = trial.visits[trial.visits["subject"].isin(keep)].copy()
    visits["subject"] = position.loc[visits["subject"]].to_numpy()
    visits = visits[visits["day"].to_numpy() <= cut_day[visits["subject"].to_numpy()]]
    return subjects, visits.reset_index(drop=True), cut_day


def _flag(values) -> np.ndarray:
    return np.where(np.asarray(values, bool), "Y", "N")


def _date_or_blank(start, day, known) -> np.ndarray:
    dates = (start + np.minimum(day, 10**6).astype("timedelta64[D]")).astype(str)
    return np.where(known, dates, "")


def adsl_frame(config, subjects, cut_day, cutoff: dt.date) -> pd.DataFrame:
    """ADSL: one row per subject randomised by the cut-off.

    Columns: :data:`FIXED_ADSL_VARIABLES` up to ``ITTFL``, the variables of the config's
    strata and covariates in config order, then the death, crossover and cut-off
    variables.
    """
    start = subjects["randdt"].to_numpy().astype("datetime64[D]")
    death, dropout = subjects["death_day"].to_numpy(), subjects["dropout_day"].to_numpy()
    died = death <= cut_day
    crossed = subjects["crossover_day"].to_numpy() <= cut_day
    last_alive = np.where(died, death, np.minimum(dropout, cut_day))
    return pd.DataFrame({
        col.STUDYID: config.trial.studyid,
        col.USUBJID: subjects["usubjid"],
        "SUBJID": subjects["subjid"],
        "SITEID": [f"{s:03d}" for s in subjects["site"]],
        "ARM": subjects["arm"], "ARMCD": subjects["armcd"],
        "TRT01P": subjects["arm"], "TRT01A": subjects["arm"],
        "RANDDT": start.astype(str),
        "ITTFL": "Y",
        **{variable: subjects[variable] for variable in config.baseline_variables},
        "DTHFL": _flag(died),
        "DTHDT": _date_or_blank(start, death, died),
        "LSTALVDT": _date_or_blank(start, last_alive, np.ones(len(start), bool)),
        "XOVERFL": _flag(crossed),
        "XOVERDT": _date_or_blank(start, subjects["crossover_day"].to_numpy(), crossed),
        "DCUTDT": str(cutoff),
    }).sort_values(col.USUBJID, kind="stable").reset_index(drop=True)


def adrs_frame(config, subjects, visits) -> pd.DataFrame:
    """ADRS: one ``OVR`` record per performed scan up to the cut-off."""
    start = subjects["randdt"].to_numpy().astype("datetime64[D]")[visits["subject"].to_numpy()]
    day = visits["day"].to_numpy()
    frame = pd.DataFrame({
        col.STUDYID: config.trial.studyid,
        col.USUBJID: subjects["usubjid"].to_numpy()[visits["subject"].to_numpy()],
        col.PARAMCD: col.PARAM_OVR,
        col.PARAM: "Overall response by central review (RECIST 1.1)",
        col.AVALC: visits["response"].to_numpy(),
        "AVISIT": [f"WEEK {w}" for w in visits["week"]],
        "AVISITN": visits["week"].to_numpy(),
        col.ADT: (start + day.astype("timedelta64[D]")).astype(str),
        "ADY": day + 1,
    })
    return frame.sort_values([col.USUBJID, "AVISITN"], kind="stable").reset_index(drop=True)


def adtte_frame(config, subjects, visits, cut_day) -> pd.DataFrame:
    """ADTTE: PFS, OS and (with a ``[qol]`` section) TTDGHS for every subject."""
    parts = [pfs_records(config, subjects, visits, cut_day),
             os_records(subjects, cut_day, config.death.param_label)]
    if config.qol is not None:
        parts.append(qol_records(subjects, visits, cut_day, config.qol))
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, col.STUDYID, config.trial.studyid)
    for date_var in (col.STARTDT, col.ADT):
        frame[date_var] = frame[date_var].astype(str)
    return frame.sort_values([col.USUBJID, col.PARAMCD], kind="stable").reset_index(drop=True)


def lock_database(config, trial, cutoff: dt.date) -> dict[str, pd.DataFrame]:
    """ADaM datasets ``{"adsl", "adtte", "adrs"}`` of ``trial`` locked at ``cutoff``."""
    subjects, visits, cut_day = _visible(trial, cutoff)
    return {
        col.ADSL: adsl_frame(config, subjects, cut_day, cutoff),
        col.ADTTE: adtte_frame(config, subjects, visits, cut_day),
        col.ADRS: adrs_frame(config, subjects, visits),
    }
