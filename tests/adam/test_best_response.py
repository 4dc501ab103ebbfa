"""RECIST 1.1 best overall response on hand-written visit sequences."""

from __future__ import annotations

import pandas as pd
import pytest

from netter.adam.response import derive_best_response

RANDDT = pd.Timestamp("2015-01-01")


def _bor(sequence, **kwargs):
    """``sequence``: list of (study day, AVALC); study day 1 = randomisation day."""
    adsl = pd.DataFrame({"USUBJID": ["S"], "RANDDT": [RANDDT]})
    adrs = pd.DataFrame({
        "USUBJID": ["S"] * len(sequence), "PARAMCD": ["OVR"] * len(sequence),
        "AVALC": [v for _, v in sequence],
        "ADT": [RANDDT + pd.Timedelta(days=d - 1) for d, _ in sequence],
    })
    return derive_best_response(adsl, adrs, **kwargs)["BOR"].item()


@pytest.mark.parametrize(("sequence", "confirmed", "unconfirmed"), [
    ([(85, "PR"), (169, "PR"), (253, "PD")], "PR", "PR"),          # confirmed PR
    ([(85, "PR"), (169, "PD")], "SD", "PR"),                       # unconfirmed PR, then PD
    ([(85, "PR"), (169, "NE"), (253, "PR")], "PR", "PR"),          # PR, NE, PR
    ([(85, "CR"), (169, "CR")], "CR", "CR"),
    ([(85, "PR"), (169, "CR")], "PR", "CR"),                       # CR not confirmed
    ([(85, "PR"), (100, "PR")], "SD", "PR"),                       # confirmation < 28 days
    ([(85, "PD"), (169, "PR"), (253, "PR")], "PD", "PD"),          # after PD nothing counts
    ([(30, "SD"), (60, "PD")], "PD", "PD"),                        # SD before day 42
    ([(85, "NE")], "NE", "NE"),
    ([], "NE", "NE"),                                              # no post-baseline scan
])
def test_sequences(sequence, confirmed, unconfirmed):
    assert _bor(sequence) == confirmed
    assert _bor(sequence, confirm=False) == unconfirmed


def test_assessments_after_the_cutoff_do_not_count():
    sequence = [(85, "PR"), (169, "PR")]
    assert _bor(sequence, cutoff=RANDDT + pd.Timedelta(days=100)) == "SD"
    assert _bor(sequence, cutoff=RANDDT + pd.Timedelta(days=200)) == "PR"


def test_baseline_assessment_is_ignored_and_every_subject_is_kept():
    adsl = pd.DataFrame({"USUBJID": ["A", "B"], "RANDDT": [RANDDT, RANDDT]})
    adrs = pd.DataFrame({"USUBJID": ["A", "A"], "PARAMCD": ["OVR", "OVR"],
                         "AVALC": ["PR", "SD"], "ADT": [RANDDT, RANDDT + pd.Timedelta(days=84)]})
    out = derive_best_response(adsl, adrs)
    assert out["BOR"].tolist() == ["SD", "NE"] and out["N_ASSESS"].tolist() == [1, 0]
