"""A tiny hand-made ADaM folder whose differences between engines are known in advance.

Arm ``Drug <A> & co`` (a label that must be escaped in HTML): deaths at 1, 2, 3, 4
months, so S(t) = 1/2 exactly from 2 to 3 months: R's median is the midpoint 2.5,
lifelines' the first time S <= 1/2 (2), statsmodels' the first time S < 1/2 (3).
Arm ``Placebo``: events and censorings with ties at 1 and 2 months (Efron and Breslow
differ), the last subject censored at 20 months, so S(24) is not estimable in R and
carried forward by lifelines.  ADRS: 2 of 4 and 1 of 6 confirmed partial responses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ARM, REF = "Drug <A> & co", "Placebo"
DAYS_PER_MONTH = 30.4375


def write_tiny(folder: Path, *, adrs: bool = True) -> Path:
    """Write adsl.csv, adtte.csv (PFS in days) and adrs.csv into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    months = {ARM: [(1, 0), (2, 0), (3, 0), (4, 0)],
              REF: [(1, 0), (1, 0), (1, 1), (2, 0), (2, 0), (20, 1)]}
    adsl, adtte = [], []
    for arm, rows in months.items():
        for i, (m, cnsr) in enumerate(rows):
            usubjid = f"T-{'A' if arm == ARM else 'P'}{i + 1:02d}"
            adsl.append({"STUDYID": "T", "USUBJID": usubjid, "TRT01P": arm,
                         "RANDDT": "2020-01-01"})
            adtte.append({"STUDYID": "T", "USUBJID": usubjid, "PARAMCD": "PFS",
                          "PARAM": "Progression-free survival", "AVAL": m * DAYS_PER_MONTH,
                          "AVALU": "DAYS", "CNSR": cnsr})
    pd.DataFrame(adsl).to_csv(folder / "adsl.csv", index=False)
    pd.DataFrame(adtte).to_csv(folder / "adtte.csv", index=False)
    if adrs:
        responders = {"T-A01", "T-A02", "T-P01"}
        records = []
        for row in adsl:
            value = "PR" if row["USUBJID"] in responders else "SD"
            for day, date in ((56, "2020-02-26"), (112, "2020-04-22")):
                records.append({"STUDYID": "T", "USUBJID": row["USUBJID"], "PARAMCD": "OVR",
                                "PARAM": "Overall response", "AVALC": value, "ADT": date,
                                "ADY": day})
        pd.DataFrame(records).to_csv(folder / "adrs.csv", index=False)
    return folder
