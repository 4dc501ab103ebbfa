"""PFS / OS / QoL event and censoring rules at a database lock, on hand-built subjects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netter.synthetic.config import load_config
from netter.synthetic.cutoffs import NEVER, os_records, pfs_records, qol_records
from tests.synthetic.helpers import NETTER1_CONFIG

#: 12-weekly scans, +/- 7 days; an event after >= 2 missed scans is censored
CONFIG = load_config(NETTER1_CONFIG)


def _subjects(death_days, dropout_days=None):
    n = len(death_days)
    return pd.DataFrame({
        "usubjid": [f"S{i}" for i in range(n)],
        "randdt": pd.to_datetime(["2015-01-01"] * n),
        "death_day": np.array(death_days, dtype=np.int64),
        "dropout_day": np.array(dropout_days or [NEVER] * n, dtype=np.int64),
    })


def _visits(rows):
    frame = pd.DataFrame(rows, columns=["subject", "day", "response", "qol_done",
                                        "qol_deteriorated"])
    return frame.astype({"subject": int, "day": int, "qol_done": bool, "qol_deteriorated": bool})


def test_pfs_rules():
    subjects = _subjects([NEVER, 400, 50, NEVER, 200])
    visits = _visits([
        (0, 84, "SD", True, False), (0, 168, "PD", True, True),    # S0: PD at day 168
        (1, 84, "SD", True, False),                                # S1: death 316 d after scan
        (3, 84, "PR", True, False), (3, 170, "NE", True, False),  # S3: no event
        (4, 84, "NE", True, False),                                # S4: death at 200, no adequate
    ])
    pfs = pfs_records(CONFIG, subjects, visits, np.full(5, 1000))
    assert pfs["CNSR"].tolist() == [0, 3, 0, 1, 3]
    # AVAL = day + 1; S1 censored at its last adequate scan; S2 death before any scan is an
    # event; S3 censored at the PR (NE is not adequate); S4 censored at randomisation
    assert pfs["AVAL"].tolist() == [169, 85, 51, 85, 1]
    assert pfs["EVNTDESC"].tolist() == ["Disease progression", "", "Death", "", ""]


def test_pfs_without_any_scan_or_event_is_censored_at_randomisation():
    pfs = pfs_records(CONFIG, _subjects([NEVER]), _visits([]), np.array([30]))
    assert pfs["CNSR"].tolist() == [2] and pfs["AVAL"].tolist() == [1]


def test_pfs_death_after_the_cutoff_is_not_seen():
    visits = _visits([(0, 84, "SD", True, False)])
    pfs = pfs_records(CONFIG, _subjects([120]), visits, np.array([100]))
    assert pfs["CNSR"].tolist() == [1] and pfs["AVAL"].tolist() == [85]


def test_os_rules():
    subjects = _subjects([300, NEVER, NEVER, 900], [NEVER, 200, NEVER, NEVER])
    os_ = os_records(subjects, np.array([500, 500, 500, 500]))
    assert os_["CNSR"].tolist() == [0, 1, 1, 1]
    assert os_["AVAL"].tolist() == [301, 201, 501, 501]
    assert os_["CNSDTDSC"].tolist()[1:] == ["Last known alive (lost to follow-up)",
                                            "Last known alive (data cut-off)",
                                            "Last known alive (data cut-off)"]


def test_qol_rules():
    visits = _visits([
        (0, 84, "SD", True, False), (0, 168, "SD", False, True), (0, 252, "PD", True, True),
        (1, 84, "SD", True, False),
        (2, 84, "SD", False, False),
    ])
    qol = qol_records(_subjects([NEVER] * 3), visits, np.full(3, 1000))
    # S0: the missed questionnaire at 168 cannot show the deterioration; seen at 252
    assert qol["CNSR"].tolist() == [0, 1, 2]
    assert qol["AVAL"].tolist() == [253, 85, 1]
