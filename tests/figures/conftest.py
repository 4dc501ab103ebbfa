"""Hand-written documents as fixtures; the synthetic trial's results, analysed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from netter.tables.specimen import specimen_response, specimen_results, specimen_subgroups

PRIMARY = Path(__file__).parents[2] / "data" / "synthetic" / "primary"


@pytest.fixture
def results():
    return specimen_results()


@pytest.fixture
def subgroups():
    return specimen_subgroups()


@pytest.fixture
def response():
    return specimen_response()


@pytest.fixture(scope="session")
def synthetic_results():
    """``netter analyze`` of the committed synthetic primary cut-off, with strata."""
    from netter.adam.io import load_adam
    from netter.endpoints import analyze_trial

    return analyze_trial(load_adam(PRIMARY), strata=("STRAT1R", "STRAT2R"),
                         landmarks=(12.0,))
