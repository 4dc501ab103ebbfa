"""Hand-written documents (netter.tables.specimen) as fixtures."""

from __future__ import annotations

import pytest

from netter.tables.specimen import (
    specimen_baseline,
    specimen_response,
    specimen_results,
)


@pytest.fixture
def results():
    return specimen_results()


@pytest.fixture
def response():
    return specimen_response()


@pytest.fixture
def baseline():
    return specimen_baseline()
