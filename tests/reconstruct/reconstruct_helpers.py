"""Helpers of the reconstruction tests: data locations, a CLI runner, R datasets."""

from __future__ import annotations

from pathlib import Path

from netter.cli import main
from netter.reconstruct.agreement import Patients, patients_from_csv

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples" / "reconstruction"
SYNTHETIC = ROOT / "data" / "synthetic" / "netter1" / "primary"
REFERENCE = ROOT / "tests" / "reference" / "data"


def run_reconstruct(argv: list[str]) -> int:
    """``netter reconstruct ARGV`` through the CLI's ``main`` (exit 1 on a NetterError)."""
    return main(["reconstruct", *argv])


def reference_patients(name: str) -> Patients:
    """An R survival dataset exported by tests/reference/datasets.R (time in days)."""
    return patients_from_csv(REFERENCE / f"{name}.csv")
