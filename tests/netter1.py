"""The NETTER-1 study as the tests use it: its arms, strata, data and published numbers.

Tests may name NETTER-1 (the library may not); everything here is read from
``studies/netter1/`` or is the committed synthetic data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from netter.published import load_published
from netter.study import load_study

ROOT = Path(__file__).resolve().parents[1]
STUDY_DIR = ROOT / "studies" / "netter1"
#: The committed synthetic trial (seed 2012), one folder per cut-off.
DATA = ROOT / "data" / "synthetic" / "netter1"
#: The same, relative to the project (as make and the results record it).
DATA_REL = "data/synthetic/netter1"
PRIMARY, UPDATE, FINAL = (DATA / name for name in ("primary", "update", "final"))

ARM = "177Lu-DOTATATE"
REF = "Octreotide LAR 60 mg"
STRATA = ("STRAT1R", "STRAT2R")


@cache
def study():
    """The NETTER-1 study definition."""
    return load_study(STUDY_DIR)


@cache
def _records():
    return load_published(STUDY_DIR / "published.json")


def published_record(key: str):
    """A published NETTER-1 record."""
    return _records()[key]
