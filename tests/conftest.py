"""Test-suite settings.

Hypothesis: ``make test`` (and CI) runs the property tests derandomized, so a test run is
reproducible and a red CI always points at a real, repeatable case; set
``HYPOTHESIS_PROFILE=explore`` to let them draw fresh examples each run (more examples,
random seed), which is how new cases are found (then pin them as named tests).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("netter", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "netter"))
