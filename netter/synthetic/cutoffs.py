"""Lock the database at a cut-off date: what the trial's ADaM datasets looked like then.

Only subjects randomised on or before the cut-off enter; scans, deaths, crossovers and
losses to follow-up after it are unknown.  Event and censoring rules (CNSR: 0 = event):

PFS (RECIST 1.1 by central review)
    0  progression (first ``PD`` scan) or death, whichever first;
    1  censored at the last adequate scan (CR/PR/SD): no event by the cut-off;
    2  censored at randomisation: no adequate post-baseline scan and no event;
    3  censored at the last adequate scan (or randomisation) because the event came after
       ``max_missed_before_censoring`` or more missed scheduled scans (FDA 2018 guidance).
OS
    0  death; 1 censored at the last date known alive (loss to follow-up, or the cut-off).
TTDGHS
    0  first questionnaire showing the deterioration (the config's ``[qol]``);
    1  censored at the last questionnaire; 2 censored at randomisation (none completed).

``AVAL`` is in days, ``ADT - STARTDT + 1`` (admiral's convention); ``STARTDT`` = ``RANDDT``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> subjects = pd.DataFrame({"usubjid": ["S1", "S2"], "randdt": pd.to_datetime(["2015-01-01"] * 2),
...                          "death_day": [100, NEVER], "dropout_day": [NEVER, 50]})
>>> os_records(subjects, np.array([365, 365]))[["AVAL", "CNSR"]].values.tolist()
[[101, 0], [51, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.synthetic.visits import NEVER


def _first_day(visits: pd.DataFrame, mask, n: int, how: str) -> np.ndarray:
    """Per subject, the min or max study day of ``visits[mask]`` (NEVER / -1 if none)."""
    picked = visits.loc[mask].groupby("subject")["day"].agg(how)
    out = np.full(n, NEVER if how == "min" else -1, dtype=np.int64)
    out[picked.index.to_numpy()] = picked.to_numpy()
    return out


def _tte_frame(paramcd, label, subjects, day, cnsr, evntdesc, cnsdtdsc) -> pd.DataFrame:
    start = subjects["randdt"].to_numpy().astype("datetime64[D]")
    return pd.DataFrame({
        col.USUBJID: subjects["usubjid"].to_numpy(),
        col.PARAMCD: paramcd,
        col.PARAM: label,
        col.STARTDT: start,
        col.ADT: start + day.astype("timedelta64[D]"),
        col.AVAL: day + 1,
        col.AVALU: "DAYS",
        col.CNSR: cnsr,
        col.EVNTDESC: np.where(cnsr == 0, evntdesc, ""),
        col.CNSDTDSC: np.where(cnsr == 0, "", cnsdtdsc),
    })


def pfs_records(config, subjects, visits, cut_day) -> pd.DataFrame:
    """ADTTE rows for PFS at the cut-off (see the module docstring for CNSR)."""
    n = len(subjects)
    pd_day = _first_day(visits, visits["response"] == "PD", n, "min")
    death = subjects["death_day"].to_numpy()
    death = np.where(death <= cut_day, death, NEVER)
    adequate = _first_day(visits, visits["response"].isin(["CR", "PR", "SD"]), n, "max")
    event_day = np.minimum(pd_day, death)
    has_event = event_day < NEVER
    asm = config.assessment
    allowed_gap = asm.max_missed_before_censoring * 7 * asm.interval_weeks + asm.window_days
    late = has_event & (event_day - np.maximum(adequate, 0) > allowed_gap)
    last_adequate = np.maximum(adequate, 0)
    cnsr = np.where(has_event & ~late, 0, np.where(late, 3, np.where(adequate >= 0, 1, 2)))
    day = np.where(cnsr == 0, event_day, last_adequate)
    evnt = np.where(pd_day <= death, "Disease progression", "Death")
    cens = np.select(
        [cnsr == 1, cnsr == 2, cnsr == 3],
        ["Last adequate tumour assessment", "Randomisation (no adequate assessment)",
         "Last adequate assessment before event after missed assessments"], "")
    return _tte_frame(col.PARAM_PFS, config.progression.param_label, subjects, day, cnsr, evnt,
                      cens)


def os_records(subjects, cut_day, label: str = "Overall survival") -> pd.DataFrame:
    """ADTTE rows for overall survival at the cut-off (``PARAM`` = ``label``)."""
    death = subjects["death_day"].to_numpy()
    dropout = subjects["dropout_day"].to_numpy()
    died = death <= cut_day
    last_alive = np.minimum(dropout, cut_day)
    day = np.where(died, death, last_alive)
    cnsr = np.where(died, 0, 1)
    cens = np.where(dropout <= cut_day, "Last known alive (lost to follow-up)",
                    "Last known alive (data cut-off)")
    return _tte_frame(col.PARAM_OS, label, subjects, day, cnsr, "Death", cens)


def qol_records(subjects, visits, cut_day, qol=None) -> pd.DataFrame:
    """ADTTE rows for time to QoL deterioration (``PARAM``, event and censoring
    descriptions from the config's ``[qol]`` section ``qol``, generic without one)."""
    from netter.synthetic.config import QolSection

    words = qol or QolSection((0.0,), (0.0,), (1.0,), 0.0)
    n = len(subjects)
    done = visits["qol_done"]
    worse = _first_day(visits, done & visits["qol_deteriorated"], n, "min")
    last = _first_day(visits, done, n, "max")
    has_event = worse < NEVER
    cnsr = np.where(has_event, 0, np.where(last >= 0, 1, 2))
    day = np.where(has_event, worse, np.maximum(last, 0))
    cens = np.where(cnsr == 1, words.censor_description, "Randomisation (no assessment)")
    return _tte_frame(col.PARAM_TTDGHS, words.param_label, subjects, day, cnsr,
                      words.event_description, cens)
