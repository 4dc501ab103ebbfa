"""Helpers of the reconstruction tests: data locations, a CLI runner, R datasets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

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
