"""The ADaM vocabulary netter reads and writes, and the one place names and units translate.

ADaM names (``USUBJID``, ``TRT01P``, ``AVAL``, ``CNSR`` ...) live at the edges of
the library; Python names live inside.  Every translation between the two, and
every conversion of a duration between units (``AVALU`` to the study's time unit),
happens in this module.  Nothing here belongs to a particular trial.

Examples
--------
>>> days_to_months(30.4375)
1.0
>>> from_days([14.0], "weeks").tolist()
[2.0]
>>> import numpy as np
>>> cnsr_to_event(np.array([0, 1, 2])).tolist()
[True, False, False]
"""

from __future__ import annotations

import numpy as np

#: Average days per month (365.25 / 12), the CDISC / admiral convention.
DAYS_PER_MONTH = 30.4375

#: Multiplier from each accepted ``AVALU`` unit to days.
UNIT_TO_DAYS: dict[str, float] = {
    "DAYS": 1.0,
    "WEEKS": 7.0,
    "MONTHS": DAYS_PER_MONTH,
    "YEARS": 365.25,
}

#: Unit assumed when ``AVALU`` is absent.
DEFAULT_UNIT = "DAYS"

#: Longest plausible time to event: 100 years, in days.  Longer ``AVAL`` is refused by
#: validation (a typo or a placeholder, never follow-up).
MAX_TIME_DAYS = 36525.0

#: Largest ``CNSR`` accepted (it must fit a 32-bit integer).
MAX_CNSR = 2**31 - 1

#: Variables whose values are codes, compared in upper case (``ovr`` is ``OVR``).
CODE_VARS = ("PARAMCD", "AVALC")

# --- datasets -------------------------------------------------------------
ADSL = "adsl"
ADTTE = "adtte"
ADRS = "adrs"
DATASETS = (ADSL, ADTTE, ADRS)

# --- variables --------------------------------------------------------------
STUDYID = "STUDYID"
USUBJID = "USUBJID"
PARAMCD = "PARAMCD"
PARAM = "PARAM"
AVAL = "AVAL"
AVALC = "AVALC"
AVALU = "AVALU"
CNSR = "CNSR"
STARTDT = "STARTDT"
ADT = "ADT"
EVNTDESC = "EVNTDESC"
CNSDTDSC = "CNSDTDSC"

#: Default arm variable in ADSL (planned treatment for period 01).
DEFAULT_ARM_VAR = "TRT01P"

#: Variables each dataset must carry (the arm variable is checked separately,
#: because the user may name another one).
REQUIRED: dict[str, tuple[str, ...]] = {
    ADSL: (USUBJID,),
    ADTTE: (USUBJID, PARAMCD, AVAL, CNSR),
    ADRS: (USUBJID, PARAMCD, AVALC, ADT),
}

#: Variables converted to numbers when present (``CNSR`` further to an integer).
NUMERIC_VARS = frozenset(
    {AVAL, CNSR, "AGE", "ADY", "ASEQ", "AVISITN", "PARAMN", "BASE", "CHG", "PCHG",
     "TRT01PN", "TRT01AN", "TRTDURD"}
)

#: Date variables, parsed as ISO 8601 dates when present.
DATE_VARS = frozenset(
    {"RANDDT", "TRTSDT", "TRTEDT", "DTHDT", "LSTALVDT", "XOVERDT", STARTDT, ADT}
)

# --- parameters ---------------------------------------------------------------
#: Time-to-event parameters the simulator writes.
PARAM_PFS = "PFS"
PARAM_OS = "OS"
PARAM_TTDGHS = "TTDGHS"

#: Visit-level RECIST 1.1 overall response and derived best overall response.
PARAM_OVR = "OVR"
PARAM_BOR = "BOR"
RESPONSE_CATEGORIES = ("CR", "PR", "SD", "PD", "NE")


def days_to_months(days):
    """Convert days to months (days / 30.4375); the only such conversion in netter.

    Parameters
    ----------
    days : float or array-like
        Durations in days.

    Returns
    -------
    float or numpy.ndarray
        Durations in months.

    Examples
    --------
    >>> round(days_to_months(365.25), 6)
    12.0
    """
    months = np.asarray(days, dtype=float) / DAYS_PER_MONTH
    return float(months) if months.ndim == 0 else months


def from_days(days, unit: str):
    """Convert days to ``unit`` (``days``, ``weeks``, ``months`` = days / 30.4375, ``years``).

    Parameters
    ----------
    days : float or array-like
    unit : str
        Any case.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from_days([365.25, 30.4375], "MONTHS").tolist()
    [12.0, 1.0]
    """
    key = str(unit).strip().upper()
    if key not in UNIT_TO_DAYS:
        raise ValueError(f"unknown time unit {unit!r}; accepted: "
                         f"{', '.join(u.lower() for u in UNIT_TO_DAYS)}")
    return np.asarray(days, dtype=float) / UNIT_TO_DAYS[key]


def to_days(values, unit: str):
    """Convert durations in an accepted ``AVALU`` unit to days.

    Parameters
    ----------
    values : float or array-like
        Durations expressed in ``unit``.
    unit : str
        One of ``DAYS``, ``WEEKS``, ``MONTHS``, ``YEARS`` (case-insensitive).

    Returns
    -------
    numpy.ndarray
        Durations in days.

    Examples
    --------
    >>> to_days([1.0, 2.0], "weeks").tolist()
    [7.0, 14.0]
    """
    key = str(unit).strip().upper()
    if key not in UNIT_TO_DAYS:
        raise ValueError(f"unknown AVALU {unit!r}; accepted: {', '.join(UNIT_TO_DAYS)}")
    return np.asarray(values, dtype=float) * UNIT_TO_DAYS[key]


def cnsr_to_event(cnsr) -> np.ndarray:
    """Translate CDISC ``CNSR`` (0 = event, positive = censored) to a boolean event flag.

    Examples
    --------
    >>> cnsr_to_event([0, 3]).tolist()
    [True, False]
    """
    return np.asarray(cnsr) == 0
