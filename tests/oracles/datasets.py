"""Datasets the library oracles run on: two public ones, the synthetic trial, random data.

Each dataset is a :class:`Survival` (time, event, a two-level arm with its reference, a
stratification variable).  The public datasets are the CAMIS copies of the Worcester
Heart Attack Study (WHAS500: follow-up days, atrial fibrillation, gender) and of the
NCCTG lung cancer data (R ``survival::lung`` with an added treatment label).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam.io import load_adam
from netter.adam.tte import derive_tte
from tests.netter1 import ARM, PRIMARY, REF

CAMIS = Path("/work/shared/data/third-party/camis")


@dataclass(frozen=True)
class Survival:
    """One dataset: ``group`` holds ``arm`` and ``reference``."""

    name: str
    time: np.ndarray
    event: np.ndarray
    group: np.ndarray
    arm: str
    reference: str
    stratum: np.ndarray

    def indicator(self) -> np.ndarray:
        """1.0 in ``arm``, 0.0 in ``reference``."""
        return (self.group == self.arm).astype(float)

    def of(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """Time and event of one arm."""
        m = self.group == label
        return self.time[m], self.event[m]


@cache
def whas() -> Survival:
    """WHAS500: days to death by atrial fibrillation, stratified by gender."""
    w = pd.read_csv(CAMIS / "whas_export.csv")
    group = np.where(w["AFB"].to_numpy() == 1, "AF", "no AF")
    stratum = np.where(w["GENDER"].to_numpy() == 1, "female", "male")
    return Survival("whas500", w["LENFOL"].to_numpy(float), w["FSTAT"].to_numpy(int),
                    group, "AF", "no AF", stratum)


@cache
def lung() -> Survival:
    """NCCTG lung cancer: days to death by the CAMIS treatment label, stratified by sex."""
    d = pd.read_csv(CAMIS / "lung_cancer.csv")
    stratum = np.where(d["sex"].to_numpy() == 1, "male", "female")
    return Survival("lung", d["time"].to_numpy(float), (d["status"].to_numpy() == 2).astype(int),
                    d["trt01p"].astype(str).to_numpy(), "Active", "Placebo", stratum)


@cache
def trial() -> Survival:
    """The synthetic NETTER-1 primary cut-off: PFS in months, stratified by STRAT1R."""
    data = load_adam(PRIMARY)
    tte = derive_tte(data.adsl, data.adtte, paramcd="PFS", strata=("STRAT1R",))
    return Survival("netter1-pfs", tte.time, tte.event.astype(int), tte.arm, ARM, REF,
                    tte.strata["STRAT1R"])


@cache
def tied() -> Survival:
    """Seeded random data on a coarse grid: many tied event and censoring times."""
    rng = np.random.default_rng(20240613)
    n = 300
    group = np.where(rng.random(n) < 0.5, "B", "A")
    hazard = np.where(group == "B", 0.06, 0.1)
    t_event = rng.exponential(1.0 / hazard)
    t_cens = rng.uniform(2.0, 40.0, n)
    time = np.ceil(np.minimum(t_event, t_cens))
    event = (t_event <= t_cens).astype(int)
    stratum = rng.choice(np.array(["s1", "s2", "s3"]), n)
    return Survival("random-tied", time, event, group, "B", "A", stratum)


DATASETS = (whas, lung, trial, tied)
IDS = [f.__name__ for f in DATASETS]


def rel(a, b) -> float:
    """Largest relative difference of two arrays (absolute below 1; equal infinities: 0)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    same = a == b  # also equal infinities
    diff = np.abs(np.where(same, 0.0, a) - np.where(same, 0.0, b))
    return float(np.max(diff / np.maximum(1.0, np.where(same, 1.0, np.abs(b)))))
