"""Helpers of the reconstruction tests: data locations, a CLI runner, R datasets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netter.cli import main
from netter.reconstruct.scorecard import Patients

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples" / "reconstruction"
SYNTHETIC = ROOT / "data" / "synthetic" / "primary"
REFERENCE = ROOT / "tests" / "reference" / "data"


def run_reconstruct(argv: list[str]) -> int:
    """``netter reconstruct ARGV`` through the CLI's ``main`` (exit 1 on a NetterError)."""
    return main(["reconstruct", *argv])


def reference_patients(name: str) -> Patients:
    """An R survival dataset exported by tests/reference/datasets.R (time in days)."""
    frame = pd.read_csv(REFERENCE / f"{name}.csv")
    return Patients(frame["time"].to_numpy(float), frame["event"].to_numpy(np.int64),
                    frame["group"].astype(str).to_numpy())
