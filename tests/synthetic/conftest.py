"""Shared fixtures: the default synthetic trial, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netter.synthetic.config import load_config
from netter.synthetic.write import write_trial

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "data" / "synthetic"


@pytest.fixture(scope="session")
def default_trial_dir(tmp_path_factory) -> Path:
    """The seed-2012 trial written by the generator into a fresh folder."""
    out = tmp_path_factory.mktemp("synthetic")
    write_trial(load_config(), seed=2012, out=out, progress=False)
    return out


@pytest.fixture(scope="session")
def locks(default_trial_dir) -> dict[str, dict[str, pd.DataFrame]]:
    """``{cut-off name: {dataset: DataFrame}}`` read back from the generated CSVs."""
    return {
        name: {ds: pd.read_csv(default_trial_dir / name / f"{ds}.csv", dtype=str,
                               keep_default_na=False)
               for ds in ("adsl", "adtte", "adrs")}
        for name in ("primary", "update", "final")
    }
