"""Per-subject best overall response of the response endpoint: source, audit, checks.

:func:`response_subjects` gives one row per analysed subject (ITT: every ADSL subject,
or those with the population flag ``Y``) with arm, strata and BOR.  The BOR is ADRS
``PARAMCD = "BOR"`` when ADRS has it (a subject without a record counts as ``NE``),
otherwise it is derived from the visit-level ``OVR`` records by
:func:`netter.adam.response.derive_best_response`.  :func:`check_bor` rederives a
recorded BOR and lists the subjects where the two disagree; :func:`bor_audit` /
:func:`write_bor_audit_csv` write out the per-subject derivation for review.

Examples
--------
>>> adrs = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["BOR", "BOR"],
...                      "AVALC": ["PR", "SD"]})
>>> recorded_bor(adrs)["BOR"].tolist()
['PR', 'SD']
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.response import counted_assessments, derive_best_response
from netter.errors import AdamError, NetterError
from netter.results.response import BOR_CATEGORIES, SOURCE_DERIVED, SOURCE_RECORDED
from netter.spreadsheet import safe_frame

#: Responders are CR and PR; disease control adds SD.
RESPONDERS = ("CR", "PR")
DISEASE_CONTROL = ("CR", "PR", "SD")


def _population(adsl: pd.DataFrame, flag: str | None) -> pd.DataFrame:
    if flag is None:
        return adsl
    if flag not in adsl.columns:
        raise AdamError(f"ADSL: population flag {flag} is not a variable of ADSL")
    return adsl.loc[adsl[flag].astype(str).str.strip().str.upper().eq("Y")]


def recorded_bor(adrs: pd.DataFrame) -> pd.DataFrame | None:
    """ADRS ``PARAMCD = "BOR"`` as ``USUBJID``, ``BOR`` (upper case); ``None`` if absent.

    Raises
    ------
    AdamError
        A subject with more than one BOR record, or a value outside CR/PR/SD/PD/NE.

    Examples
    --------
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["BOR", "OVR"],
    ...                      "AVALC": ["pr", "SD"]})
    >>> recorded_bor(adrs).to_dict("records")
    [{'USUBJID': 'A', 'BOR': 'PR'}]
    """
    rows = adrs.loc[adrs[col.PARAMCD].astype(str).str.strip().str.upper() == col.PARAM_BOR]
    if rows.empty:
        return None
    out = pd.DataFrame({col.USUBJID: rows[col.USUBJID].astype(str).to_numpy(),
                        "BOR": rows[col.AVALC].astype(str).str.strip().str.upper().to_numpy()})
    repeated = out.loc[out[col.USUBJID].duplicated(), col.USUBJID].unique().tolist()
    if repeated:
        raise AdamError(f"ADRS: more than one BOR record for USUBJID {', '.join(repeated[:5])}")
    bad = out.loc[~out["BOR"].isin(BOR_CATEGORIES)]
    if not bad.empty:
        first = bad.iloc[0]
        raise AdamError(f"ADRS: BOR = {first['BOR']!r} is not one of "
                        f"{', '.join(BOR_CATEGORIES)} (USUBJID {first[col.USUBJID]})")
    return out.sort_values(col.USUBJID, kind="stable").reset_index(drop=True)


def _derived(adsl: pd.DataFrame, adrs: pd.DataFrame, **rules) -> pd.DataFrame:
    if "RANDDT" not in adsl.columns:
        raise AdamError("ADSL has no RANDDT: the best overall response cannot be derived "
                        "from the OVR records (and ADRS has no BOR records)")
    out = derive_best_response(adsl, adrs, **rules)
    return out.assign(**{col.USUBJID: out[col.USUBJID].astype(str)})


def response_subjects(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    arm_var: str = col.DEFAULT_ARM_VAR,
    strata=(),
    population_flag: str | None = None,
    use_recorded: bool = True,
    confirm: bool = True,
    confirm_days: int = 28,
    sd_min_days: int = 42,
    cutoff: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, str]:
    """The analysed subjects with arm, strata and BOR, and where the BOR came from.

    Parameters
    ----------
    adsl, adrs : DataFrame
        Validated ADaM datasets (:func:`netter.adam.io.load_adam`).
    arm_var : str
        ADSL arm variable.
    strata : sequence of str
        ADSL stratification variables to carry (missing values stay missing).
    population_flag : str, optional
        ADSL flag (e.g. ``ITTFL``); only subjects with ``Y`` are analysed.
    use_recorded : bool
        Use ADRS ``PARAMCD = "BOR"`` when present (default); ``False`` always derives.
    confirm, confirm_days, sd_min_days, cutoff
        Derivation rules, passed to :func:`netter.adam.response.derive_best_response`.

    Returns
    -------
    tuple
        ``(frame, source)``: ``frame`` has ``USUBJID``, ``arm_var``, the strata and
        ``BOR`` (every analysed subject; ``NE`` when nothing qualifies or no record),
        sorted by ``USUBJID``; ``source`` is :data:`SOURCE_RECORDED` or
        :data:`SOURCE_DERIVED`.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["x", "y"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"] * 2)})
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "A"], "PARAMCD": ["OVR", "OVR"],
    ...     "AVALC": ["PR", "PR"], "ADT": pd.to_datetime(["2015-03-26", "2015-06-18"])})
    >>> frame, source = response_subjects(adsl, adrs)
    >>> frame["BOR"].tolist(), source == SOURCE_DERIVED
    (['PR', 'NE'], True)
    """
    strata = tuple(strata)
    missing = [v for v in (arm_var, *strata) if v not in adsl.columns]
    if missing:
        raise AdamError(f"ADSL: variable(s) {', '.join(missing)} not found (ADSL has "
                        f"{', '.join(map(str, adsl.columns))})")
    population = _population(adsl, population_flag)
    base = population[list(dict.fromkeys([col.USUBJID, arm_var, *strata]))].copy()
    base[col.USUBJID] = base[col.USUBJID].astype(str)
    recorded = recorded_bor(adrs) if use_recorded else None
    if recorded is not None:
        bor, source = recorded, SOURCE_RECORDED
    else:
        bor = _derived(population, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)[[col.USUBJID, "BOR"]]
        source = SOURCE_DERIVED
    frame = base.merge(bor, on=col.USUBJID, how="left", validate="one_to_one")
    frame["BOR"] = frame["BOR"].fillna("NE")
    return (frame.sort_values(col.USUBJID, kind="stable").reset_index(drop=True),
            source + unused_records(adrs))


def unused_records(adrs: pd.DataFrame) -> str:
    """The ADRS records of parameters other than OVR and BOR, which no response uses, as
    a note for ``bor_source`` (empty when there are none): nothing vanishes unsaid.

    Examples
    --------
    >>> adrs = pd.DataFrame({"PARAMCD": ["OVR", "OVRLRESP", "OVRLRESP", "NEWLES"]})
    >>> unused_records(adrs)
    '; not used: PARAMCD NEWLES (1 record), OVRLRESP (2 records)'
    """
    codes = adrs[col.PARAMCD].dropna().astype(str).str.strip().str.upper()
    other = codes[~codes.isin((col.PARAM_OVR, col.PARAM_BOR))].value_counts().sort_index()
    if other.empty:
        return ""
    items = ", ".join(f"{code} ({n} record{'s' if n != 1 else ''})" for code, n in other.items())
    return f"; not used: {col.PARAMCD} {items}"


def check_bor(adsl: pd.DataFrame, adrs: pd.DataFrame, *, confirm: bool = True,
              confirm_days: int = 28, sd_min_days: int = 42,
              cutoff: pd.Timestamp | None = None) -> pd.DataFrame:
    """Subjects whose recorded BOR (ADRS ``PARAMCD = "BOR"``) differs from the rederived one.

    Every ADSL subject is checked; a subject without a BOR record counts as ``NE``,
    as in the analysis.

    Returns
    -------
    DataFrame
        ``USUBJID``, ``BOR_RECORDED``, ``BOR_DERIVED``, ``N_ASSESS`` (assessments the
        derivation counted), one row per disagreeing subject, sorted; empty when
        they all agree.

    Raises
    ------
    NetterError
        ADRS has no BOR records to check.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"] * 2)})
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "A", "A", "B"],
    ...     "PARAMCD": ["OVR", "OVR", "BOR", "BOR"], "AVALC": ["PR", "PD", "PR", "NE"],
    ...     "ADT": pd.to_datetime(["2015-03-26", "2015-06-18", None, None])})
    >>> check_bor(adsl, adrs).to_dict("records")
    [{'USUBJID': 'A', 'BOR_RECORDED': 'PR', 'BOR_DERIVED': 'SD', 'N_ASSESS': 2}]
    """
    recorded = recorded_bor(adrs)
    if recorded is None:
        raise NetterError("ADRS has no BOR records (PARAMCD = 'BOR') to check")
    derived = _derived(adsl, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)
    both = derived.merge(recorded.rename(columns={"BOR": "BOR_RECORDED"}), on=col.USUBJID,
                         how="left").rename(columns={"BOR": "BOR_DERIVED"})
    both["BOR_RECORDED"] = both["BOR_RECORDED"].fillna("NE")
    differ = both.loc[both["BOR_RECORDED"] != both["BOR_DERIVED"]]
    return differ[[col.USUBJID, "BOR_RECORDED", "BOR_DERIVED", "N_ASSESS"]].sort_values(
        col.USUBJID, kind="stable").reset_index(drop=True)


def _counted_assessments(adsl: pd.DataFrame, adrs: pd.DataFrame,
                         cutoff: pd.Timestamp | None) -> dict[str, str]:
    """Per subject, the OVR assessments the derivation counts, as ``day:AVALC`` text.

    The rules of :func:`netter.adam.response.derive_best_response`: after
    randomisation, on or before the cut-off, up to and including the first PD;
    the study day is ``ADT - RANDDT + 1``.
    """
    return {usubjid: " ".join(f"{d}:{v}" for d, v in zip(days, values, strict=True))
            for usubjid, (days, values) in counted_assessments(adsl, adrs, cutoff=cutoff).items()}


def bor_audit(adsl: pd.DataFrame, adrs: pd.DataFrame, *, arm_var: str = col.DEFAULT_ARM_VAR,
              confirm: bool = True, confirm_days: int = 28, sd_min_days: int = 42,
              cutoff: pd.Timestamp | None = None) -> pd.DataFrame:
    """The per-subject BOR derivation, one row per ADSL subject, for a reviewer.

    Columns: ``USUBJID``, the arm, ``RANDDT``, ``N_ASSESS`` (OVR assessments
    counted), ``ASSESSMENTS`` (those assessments as ``study-day:AVALC``, separated
    by spaces), ``BOR_DERIVED``, ``BOR_RECORDED`` (empty without ADRS BOR
    records), ``AGREE`` (``Y``/``N``, empty without records), ``RESPONDER`` and
    ``DISEASE_CONTROL`` (``Y``/``N``, from the BOR the analysis uses: the recorded
    one when ADRS has BOR records, as :func:`response_subjects`), and the rules
    applied (``CONFIRM``, ``CONFIRM_DAYS``, ``SD_MIN_DAYS``, ``CUTOFF``).

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A"], "TRT01P": ["x"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"])})
    >>> adrs = pd.DataFrame({"USUBJID": ["A"] * 3, "PARAMCD": ["OVR"] * 3,
    ...     "AVALC": ["PR", "PR", "PD"],
    ...     "ADT": pd.to_datetime(["2015-03-26", "2015-06-18", "2015-09-10"])})
    >>> row = bor_audit(adsl, adrs).iloc[0]
    >>> row["ASSESSMENTS"], row["BOR_DERIVED"], row["RESPONDER"]
    ('85:PR 169:PR 253:PD', 'PR', 'Y')
    """
    if arm_var not in adsl.columns:
        raise AdamError(f"ADSL: variable {arm_var} not found")
    derived = _derived(adsl, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)
    seq = _counted_assessments(adsl, adrs, cutoff)
    base = adsl[[col.USUBJID, arm_var, "RANDDT"]].assign(
        **{col.USUBJID: adsl[col.USUBJID].astype(str)})
    out = base.merge(derived.rename(columns={"BOR": "BOR_DERIVED"}), on=col.USUBJID,
                     how="left", validate="one_to_one")
    out["RANDDT"] = pd.to_datetime(out["RANDDT"]).dt.strftime("%Y-%m-%d")
    out["ASSESSMENTS"] = out[col.USUBJID].map(seq).fillna("")
    recorded = recorded_bor(adrs)
    if recorded is None:
        out["BOR_RECORDED"] = ""
        out["AGREE"] = ""
        used = out["BOR_DERIVED"]
    else:
        rec = out[col.USUBJID].map(recorded.set_index(col.USUBJID)["BOR"]).fillna("NE")
        out["BOR_RECORDED"] = rec
        out["AGREE"] = np.where(rec == out["BOR_DERIVED"], "Y", "N")
        used = rec
    out["RESPONDER"] = np.where(used.isin(RESPONDERS), "Y", "N")
    out["DISEASE_CONTROL"] = np.where(used.isin(DISEASE_CONTROL), "Y", "N")
    out["CONFIRM"] = "Y" if confirm else "N"
    out["CONFIRM_DAYS"] = int(confirm_days)
    out["SD_MIN_DAYS"] = int(sd_min_days)
    out["CUTOFF"] = "" if cutoff is None else pd.Timestamp(cutoff).strftime("%Y-%m-%d")
    columns = [col.USUBJID, arm_var, "RANDDT", "N_ASSESS", "ASSESSMENTS", "BOR_DERIVED",
               "BOR_RECORDED", "AGREE", "RESPONDER", "DISEASE_CONTROL", "CONFIRM",
               "CONFIRM_DAYS", "SD_MIN_DAYS", "CUTOFF"]
    return out[columns].sort_values(col.USUBJID, kind="stable").reset_index(drop=True)


def write_bor_audit_csv(path: str | os.PathLike, adsl: pd.DataFrame, adrs: pd.DataFrame,
                        **options) -> Path:
    """Write :func:`bor_audit` to ``path`` as CSV (UTF-8, no index); return the path.

    ``options`` are those of :func:`bor_audit`.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(bor_audit(adsl, adrs, **options)).to_csv(target, index=False, encoding="utf-8")
    return target
