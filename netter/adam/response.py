"""Best overall response (RECIST 1.1) from visit-level ``OVR`` records in ADRS.

Rules (all options keyword-only, recorded by the caller):

* only assessments after randomisation and, when given, on or before the data cut-off
  count; assessments after the first ``PD`` do not;
* confirmed ``CR``: a ``CR`` followed by another ``CR`` at least ``confirm_days`` later;
  confirmed ``PR``: a ``CR``/``PR`` followed by a ``CR``/``PR`` at least ``confirm_days``
  later (``NE`` in between is allowed);
* ``SD``: any ``CR``/``PR``/``SD`` assessed at least ``sd_min_days`` after randomisation
  (study day ``ADT - RANDDT + 1``) that does not qualify as a confirmed response;
* ``PD``: progression with no better qualifying response; otherwise ``NE`` (including
  subjects with no post-baseline assessment, who stay in the denominator).

Unconfirmed response (``confirm=False``) takes the best of CR > PR > SD > PD.

Examples
--------
>>> import pandas as pd
>>> adsl = pd.DataFrame({"USUBJID": ["A"], "RANDDT": pd.to_datetime(["2015-01-01"])})
>>> adrs = pd.DataFrame({"USUBJID": ["A"] * 3, "PARAMCD": ["OVR"] * 3,
...                      "AVALC": ["PR", "PR", "PD"],
...                      "ADT": pd.to_datetime(["2015-03-26", "2015-06-18", "2015-09-10"])})
>>> derive_best_response(adsl, adrs)["BOR"].tolist()
['PR']
"""

from __future__ import annotations

import pandas as pd

from netter.adam import columns as col
from netter.adam.parsing import day_numbers

RESPONDING = {"CR", "PR"}


def _best_confirmed(days: list[int], values: list[str], confirm_days: int, sd_min_days: int
                    ) -> str:
    for level, accepted in (("CR", {"CR"}), ("PR", RESPONDING)):
        for i, (day, value) in enumerate(zip(days, values, strict=True)):
            if value in accepted and any(
                later in accepted and d2 - day >= confirm_days
                for d2, later in zip(days[i + 1:], values[i + 1:], strict=True)
            ):
                return level
    return _stable_or_worse(days, values, sd_min_days)


def _stable_or_worse(days, values, sd_min_days: int) -> str:
    if any(v in {"CR", "PR", "SD"} and d >= sd_min_days for d, v in zip(days, values,
                                                                          strict=True)):
        return "SD"
    return "PD" if "PD" in values else "NE"


def _best_unconfirmed(days, values, sd_min_days: int) -> str:
    for level in ("CR", "PR"):
        if level in values:
            return level
    return _stable_or_worse(days, values, sd_min_days)


def counted_assessments(adsl: pd.DataFrame, adrs: pd.DataFrame, *,
                        cutoff: pd.Timestamp | None = None
                        ) -> dict[str, tuple[list[int], list[str]]]:
    """Per subject, the ``OVR`` assessments the derivation counts: (study days, responses).

    After randomisation, on or before ``cutoff`` when given, up to and including the
    first ``PD``; study day ``ADT - RANDDT + 1``; responses upper-cased; subjects in
    ``USUBJID`` order (those with no counted assessment are absent).

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A"], "RANDDT": ["2015-01-01"]})
    >>> adrs = pd.DataFrame({"USUBJID": ["A"] * 3, "PARAMCD": ["OVR"] * 3,
    ...                      "AVALC": ["sd", "PD", "PR"],
    ...                      "ADT": ["2015-03-26", "2015-06-18", "2015-09-10"]})
    >>> counted_assessments(adsl, adrs)
    {'A': ([85, 169], ['SD', 'PD'])}
    """
    ovr = adrs.loc[adrs[col.PARAMCD].astype(str).str.strip().str.upper() == col.PARAM_OVR,
                   [col.USUBJID, col.AVALC, col.ADT]]
    ovr = ovr.assign(**{col.USUBJID: ovr[col.USUBJID].astype(str),
                        col.ADT: pd.to_datetime(ovr[col.ADT])})
    rand = adsl[[col.USUBJID, "RANDDT"]].assign(
        **{col.USUBJID: adsl[col.USUBJID].astype(str),
           "RANDDT": pd.to_datetime(adsl["RANDDT"])})
    ovr = ovr.merge(rand, on=col.USUBJID, how="inner")
    ovr = ovr.loc[ovr[col.ADT] > ovr["RANDDT"]]
    if cutoff is not None:
        ovr = ovr.loc[ovr[col.ADT] <= pd.Timestamp(cutoff)]
    days = day_numbers(ovr[col.ADT]) - day_numbers(ovr["RANDDT"]) + 1  # never overflows
    ovr = ovr.assign(day=days).sort_values(
        [col.USUBJID, col.ADT], kind="stable")
    out = {}
    for usubjid, group in ovr.groupby(col.USUBJID, sort=True):
        values = group[col.AVALC].astype(str).str.upper().tolist()
        days = [int(d) for d in group["day"]]
        if "PD" in values:
            stop = values.index("PD") + 1
            values, days = values[:stop], days[:stop]
        out[usubjid] = (days, values)
    return out


def derive_best_response(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    confirm: bool = True,
    confirm_days: int = 28,
    sd_min_days: int = 42,
    cutoff: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per-subject best overall response for every ADSL subject (ITT denominator).

    Parameters
    ----------
    adsl : DataFrame
        ``USUBJID`` and ``RANDDT`` (datetime).
    adrs : DataFrame
        ``USUBJID``, ``PARAMCD``, ``AVALC``, ``ADT`` (datetime); only ``OVR`` rows are used.
    confirm : bool
        Require confirmation of CR/PR (RECIST 1.1 for non-randomised claims).
    confirm_days : int
        Minimum days between a response and its confirmation.
    sd_min_days : int
        Minimum study day for stable disease to count.
    cutoff : Timestamp, optional
        Ignore assessments after this date.

    Returns
    -------
    DataFrame
        ``USUBJID``, ``BOR``, ``N_ASSESS`` (assessments counted), sorted by ``USUBJID``.
    """
    best: dict[str, tuple[str, int]] = {}
    for usubjid, (days, values) in counted_assessments(adsl, adrs, cutoff=cutoff).items():
        bor = (_best_confirmed(days, values, confirm_days, sd_min_days) if confirm
               else _best_unconfirmed(days, values, sd_min_days))
        best[usubjid] = (bor, len(values))
    ids = adsl[col.USUBJID].tolist()
    out = pd.DataFrame({
        col.USUBJID: ids,
        "BOR": [best.get(u, ("NE", 0))[0] for u in ids],
        "N_ASSESS": [best.get(u, ("NE", 0))[1] for u in ids],
    })
    return out.sort_values(col.USUBJID, kind="stable").reset_index(drop=True)
