"""Reading the committed R reference outputs under ``tests/reference/`` (shared by tests)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd

from netter.profiles import get_profile

REFERENCE = Path(__file__).resolve().parent / "reference"
RESPONSE = REFERENCE / "response"


def r_value(text: str) -> float:
    """An R number as the reference scripts write it (``NA``/``NaN``/``Inf`` included)."""
    return math.nan if text in ("NA", "NaN") else float(text)


def close(actual, expected: float, rtol: float) -> bool:
    """``actual`` (None = not finite) equals the R value to ``rtol`` relative."""
    if not math.isfinite(expected):
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=rtol, abs_tol=0.0)


def load_long(name: str) -> dict[tuple[str, float], dict[str, float]]:
    """``tests/reference/response/<name>.csv`` as {(case, conf_level): {stat: value}}."""
    frame = pd.read_csv(RESPONSE / f"{name}.csv", dtype={"value": str})
    out: dict[tuple[str, float], dict[str, float]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault((row.case, row.conf_level), {})[row.stat] = r_value(row.value)
    return out


def load_km_case(case: str, subset: str) -> tuple[np.ndarray, np.ndarray]:
    """Times and events of one Kaplan-Meier reference case (dataset or hand-made input)."""
    path = REFERENCE / "data" / f"{case}.csv"
    if not path.exists():
        path = REFERENCE / "km" / "inputs" / f"{case}.csv"
    df = pd.read_csv(path)
    if subset != "all":
        df = df[df["group"].astype(str) == subset]
    return df["time"].to_numpy(float), df["event"].to_numpy(int)


def profile_for(conf_type: str, conf_level: float):
    """A profile with the given CI transform and level."""
    return dataclasses.replace(get_profile("r", conf_level=conf_level), ci_transform=conf_type)
