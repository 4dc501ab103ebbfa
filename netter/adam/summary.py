"""A short human summary of validated ADaM data, as ``netter validate`` prints it.

Examples
--------
>>> import pandas as pd
>>> from netter.adam.io import AdamData
>>> adsl = pd.DataFrame({"USUBJID": ["S1", "S2", "S3"],
...                      "TRT01P": ["Drug A", "Placebo 10 mg", "Drug A"]})
>>> adtte = pd.DataFrame({"USUBJID": ["S1", "S2", "S3"], "PARAMCD": ["PFS"] * 3,
...                       "AVAL": [100.0, 50.0, 80.0], "CNSR": [0, 0, 1]})
>>> data = AdamData(adsl, adtte, None, {"adsl": "d/adsl.csv", "adtte": "d/adtte.csv"}, "TRT01P")
>>> print(describe(data))
Files
  ADSL   d/adsl.csv
  ADTTE  d/adtte.csv
  ADRS   (none)
Subjects by TRT01P: 3
  Drug A         2
  Placebo 10 mg  1
ADTTE parameters
  PARAMCD  records  events  censored
  PFS            3       2         1
"""

from __future__ import annotations

import pandas as pd

from netter.adam import columns as col
from netter.adam.io import AdamData


def describe(data: AdamData) -> str:
    """Summarise validated data: files, subjects per arm, ADTTE events, ADRS records.

    Every listing is sorted (arms, ``PARAMCD``), so the output is deterministic.

    Parameters
    ----------
    data : AdamData
        As returned by :func:`netter.adam.io.load_adam`.

    Returns
    -------
    str
        Several lines, no trailing newline.

    Examples
    --------
    >>> from netter.adam.io import AdamData
    >>> adsl = pd.DataFrame({"USUBJID": ["S1", "S2"], "TRT01P": ["A", "B"]})
    >>> adtte = pd.DataFrame({"USUBJID": ["S1", "S2"], "PARAMCD": ["OS", "OS"], "CNSR": [1, 0]})
    >>> adrs = pd.DataFrame({"USUBJID": ["S1"], "PARAMCD": ["BOR"], "AVALC": ["PR"]})
    >>> files = {"adsl": "adsl.csv", "adtte": "adtte.csv", "adrs": "adrs.csv"}
    >>> print(describe(AdamData(adsl, adtte, adrs, files, "TRT01P")).split("ADTTE parameters")[1])
    <BLANKLINE>
      PARAMCD  records  events  censored
      OS             2       1         1
    ADRS records
      PARAMCD  records
      BOR            1
    """
    lines = _files(data) + _arms(data.adsl, data.arm_var) + _events(data.adtte)
    if data.adrs is not None:
        lines += _responses(data.adrs)
    return "\n".join(lines)


def _files(data: AdamData) -> list[str]:
    return ["Files"] + [
        f"  {dataset.upper():<6} {data.files.get(dataset, '(none)')}" for dataset in col.DATASETS
    ]


def _arms(adsl: pd.DataFrame, arm_var: str) -> list[str]:
    counts = adsl[arm_var].value_counts().sort_index()
    width = max(len(str(arm)) for arm in counts.index)
    head = f"Subjects by {arm_var}: {len(adsl)}"
    return [head] + [f"  {str(arm):<{width}}  {n}" for arm, n in counts.items()]


def _events(adtte: pd.DataFrame) -> list[str]:
    event = adtte[col.CNSR] == 0
    table = pd.DataFrame(
        {
            "records": adtte.groupby(col.PARAMCD).size(),
            "events": event.groupby(adtte[col.PARAMCD]).sum(),
        }
    )
    table["censored"] = table["records"] - table["events"]
    return ["ADTTE parameters"] + _table(table.sort_index())


def _responses(adrs: pd.DataFrame) -> list[str]:
    table = adrs.groupby(col.PARAMCD).size().sort_index().to_frame("records")
    return ["ADRS records"] + _table(table)


def _table(table: pd.DataFrame) -> list[str]:
    """Indented text table: ``PARAMCD`` left-aligned, counts right-aligned."""
    keys = [str(k) for k in table.index]
    key_width = max([len(col.PARAMCD), *map(len, keys)])
    widths = [max(len(c), *(len(str(v)) for v in table[c])) for c in table.columns]
    head = "  " + f"{col.PARAMCD:<{key_width}}" + "".join(
        f"  {c:>{w}}" for c, w in zip(table.columns, widths, strict=True)
    )
    rows = [
        "  " + f"{key:<{key_width}}" + "".join(
            f"  {int(v):>{w}}" for v, w in zip(row, widths, strict=True)
        )
        for key, row in zip(keys, table.itertuples(index=False), strict=True)
    ]
    return [head, *rows]
