"""Shared fixtures: the NETTER-1 synthetic trial, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netter.synthetic.config import load_config
from netter.synthetic.write import write_trial
from tests.synthetic.helpers import NETTER1_CONFIG


@pytest.fixture(scope="session")
def netter1_config():
    """The NETTER-1 simulation config (``studies/netter1/simulation.toml``)."""
    return load_config(NETTER1_CONFIG)


@pytest.fixture(scope="session")
def default_trial_dir(tmp_path_factory, netter1_config) -> Path:
    """The seed-2012 NETTER-1 trial written by the generator into a fresh folder."""
    out = tmp_path_factory.mktemp("synthetic")
    write_trial(netter1_config, seed=2012, out=out, progress=False)
    return out


@pytest.fixture(scope="session")
def locks(default_trial_dir, netter1_config) -> dict[str, dict[str, pd.DataFrame]]:
    """``{cut-off name: {dataset: DataFrame}}`` read back from the generated CSVs."""
    return {
        name: {ds: pd.read_csv(default_trial_dir / name / f"{ds}.csv", dtype=str,
                               keep_default_na=False)
               for ds in ("adsl", "adtte", "adrs")}
        for name in netter1_config.cutoffs.names
    }
