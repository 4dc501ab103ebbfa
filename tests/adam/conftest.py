"""Small valid NETTER-1-like ADSL / ADTTE / ADRS frames (all text, as a CSV holds them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.errors import AdamError

ARMS = ("177Lu-DOTATATE", "Octreotide LAR 60 mg")
N_SUBJECTS = 6


def subject(i: int) -> str:
    """NETTER-1 style subject id."""
    return f"NETTER1-001-{i:04d}"


def _date(start: str, days: int) -> str:
    return (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()


def make_adsl() -> pd.DataFrame:
    rows = []
    for i in range(1, N_SUBJECTS + 1):
        rows.append(
            {
                "STUDYID": "NETTER-1",
                "USUBJID": subject(i),
                "TRT01P": ARMS[i % 2],
                "AGE": str(50 + i),
                "RANDDT": _date("2013-09-01", 10 * i),
                "STRAT1R": "Ileum" if i % 3 else "Other",
            }
        )
    return pd.DataFrame(rows)


def make_adtte() -> pd.DataFrame:
    rows = []
    for i in range(1, N_SUBJECTS + 1):
        start = _date("2013-09-01", 10 * i)
        for param, label, aval, cnsr in (
            ("PFS", "Progression-free survival", 100 + 20 * i, i % 2),
            ("OS", "Overall survival", 400 + 30 * i, 1 - i % 2),
        ):
            rows.append(
                {
                    "USUBJID": subject(i),
                    "PARAMCD": param,
                    "PARAM": label,
                    "AVAL": str(aval),
                    "AVALU": "DAYS",
                    "CNSR": str(cnsr),
                    "STARTDT": start,
                    "ADT": _date(start, aval - 1),
                    "EVNTDESC": "" if cnsr else "EVENT",
                }
            )
    return pd.DataFrame(rows)


def make_adrs() -> pd.DataFrame:
    rows = []
    responses = ("SD", "PR", "CR", "PD", "NE", "SD")
    for i in range(1, N_SUBJECTS + 1):
        start = _date("2013-09-01", 10 * i)
        for week, avalc in ((12, "SD"), (24, responses[i - 1])):
            rows.append(
                {"USUBJID": subject(i), "PARAMCD": "OVR", "AVALC": avalc,
                 "ADT": _date(start, 7 * week)}
            )
        rows.append(
            {"USUBJID": subject(i), "PARAMCD": "BOR", "AVALC": responses[i - 1],
             "ADT": _date(start, 7 * 24)}
        )
    return pd.DataFrame(rows)


@pytest.fixture
def adsl() -> pd.DataFrame:
    return make_adsl()


@pytest.fixture
def adtte() -> pd.DataFrame:
    return make_adtte()


@pytest.fixture
def adrs() -> pd.DataFrame:
    return make_adrs()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """``write_csv(adsl=frame, ...)`` writes ``<name>.csv`` files and returns the folder."""

    def write(**frames: pd.DataFrame) -> Path:
        for name, frame in frames.items():
            frame.to_csv(tmp_path / f"{name}.csv", index=False)
        return tmp_path

    return write


@pytest.fixture
def trial(write_csv, adsl, adtte, adrs) -> Path:
    """A folder with a valid adsl.csv, adtte.csv and adrs.csv."""
    return write_csv(adsl=adsl, adtte=adtte, adrs=adrs)


@pytest.fixture
def load_error() -> Callable[..., str]:
    """``load_error(*args, **kwargs)``: the message of the AdamError ``load_adam`` raises."""

    def message(*args, **kwargs) -> str:
        with pytest.raises(AdamError) as info:
            load_adam(*args, **kwargs)
        return str(info.value)

    return message
