"""Landmarks count the events at or before their time (deaths by two years, NETTER-1 final)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from netter.adam.io import load_adam
from netter.adam.tte import derive_tte
from netter.endpoints import analyze_trial

FINAL = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "netter1" / "final"


def test_deaths_by_24_months_equal_a_count_of_the_adtte_records():
    data = load_adam(FINAL)
    doc = analyze_trial(data, params=["OS"], landmarks=[24], reference="Octreotide LAR 60 mg")
    tte = derive_tte(data.adsl, data.adtte, paramcd="OS")
    for arm in doc.endpoints["OS"].arms:
        (landmark,) = arm.landmarks
        mine = tte.arm == arm.arm
        expected = int(np.sum(tte.event[mine] & (tte.time[mine] <= 24.0)))
        assert landmark.events == expected
        assert landmark.n_risk == int(np.sum(tte.time[mine] >= 24.0))
