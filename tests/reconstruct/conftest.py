"""Shared helpers: example and reference data, small CSV writers, a CLI runner."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.errors import NetterError
from netter.reconstruct.command import add_reconstruct_parser
from netter.reconstruct.scorecard import Patients

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples" / "reconstruction"
SYNTHETIC = ROOT / "data" / "synthetic" / "primary"
REFERENCE = ROOT / "tests" / "reference" / "data"


def run_reconstruct(argv: list[str]) -> int:
    """``netter reconstruct ARGV`` as the CLI runs it (exit 1 on a NetterError)."""
    parser = argparse.ArgumentParser(prog="netter")
    add_reconstruct_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["reconstruct", *argv])
    try:
        return args.func(args)
    except NetterError as err:
        print(f"netter {args.command}: {err}", file=sys.stderr)
        return 1


def reference_patients(name: str) -> Patients:
    """An R survival dataset exported by tests/reference/datasets.R (time in days)."""
    frame = pd.read_csv(REFERENCE / f"{name}.csv")
    return Patients(frame["time"].to_numpy(float), frame["event"].to_numpy(np.int64),
                    frame["group"].astype(str).to_numpy())


@pytest.fixture
def write(tmp_path):
    """Write text to a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def simple_inputs(write):
    """A small two-arm curve file and at-risk table (months)."""
    curve = write("curve.csv", "arm,time,survival\n"
                  "A,0,1\nA,1,1\nA,1,0.9\nA,3,0.9\nA,3,0.7\nA,6,0.7\n"
                  "B,0,1\nB,2,1\nB,2,0.8\nB,4,0.8\nB,4,0.5\nB,5,0.5\n")
    risk = write("risk.csv", "arm,time,n_risk\nA,0,20\nA,2,18\nA,4,12\nB,0,20\nB,3,15\n")
    return curve, risk
