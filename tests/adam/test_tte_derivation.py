"""ADSL + ADTTE -> analysis set: months, events, exclusions listed with reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netter.adam.tte import derive_tte
from netter.errors import AdamError

ADSL = pd.DataFrame({
    "USUBJID": ["A", "B", "C", "D"],
    "TRT01P": ["x", "y", "y", "x"],
    "STRAT1R": ["1", "2", "", "1"],
    "ITTFL": ["Y", "Y", "Y", "N"],
})
ADTTE = pd.DataFrame({
    "USUBJID": ["A", "B", "C", "D", "A"],
    "PARAMCD": ["OS", "OS", "OS", "OS", "PFS"],
    "AVAL": [30.4375, 2.0, 365.25, 7.0, 1.0],
    "AVALU": ["DAYS", "MONTHS", "DAYS", "WEEKS", "YEARS"],
    "CNSR": [0, 1, 2, 0, 0],
})


def test_units_and_events():
    tte = derive_tte(ADSL, ADTTE, paramcd="OS")
    assert tte.usubjid.tolist() == ["A", "B", "C", "D"]
    # 30.4375 d = 1 month; 2 months; 365.25 d = 12 months; 7 weeks = 49 d
    np.testing.assert_allclose(tte.time, [1.0, 2.0, 12.0, 49 / 30.4375], rtol=1e-15)
    assert tte.event.tolist() == [True, False, False, True]
    assert tte.arms == ("x", "y") and tte.excluded == ()


def test_population_flag_and_missing_strata_are_listed():
    tte = derive_tte(ADSL, ADTTE, paramcd="OS", strata=("STRAT1R",), population_flag="ITTFL")
    assert tte.usubjid.tolist() == ["A", "B"]
    assert [(e.usubjid, e.reason) for e in tte.excluded] == [
        ("C", "STRAT1R missing"), ("D", "ITTFL is not 'Y'")]
    assert tte.strata["STRAT1R"].tolist() == ["1", "2"]


def test_subject_without_the_parameter_is_listed():
    tte = derive_tte(ADSL, ADTTE, paramcd="PFS")
    assert tte.usubjid.tolist() == ["A"] and tte.time.tolist() == [12.0]
    assert {e.usubjid for e in tte.excluded} == {"B", "C", "D"}
    assert {e.reason for e in tte.excluded} == {"no PFS record in ADTTE"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"paramcd": "TTP"}, "no records with PARAMCD = TTP"),
    ({"paramcd": "OS", "arm_var": "ARM"}, "ARM not found"),
    ({"paramcd": "OS", "population_flag": "SAFFL"}, "SAFFL is not a variable"),
])
def test_bad_requests_name_the_variable(kwargs, message):
    with pytest.raises(AdamError, match=message):
        derive_tte(ADSL, ADTTE, **kwargs)


def test_numeric_arm_and_strata_codes_become_clean_labels():
    adsl = ADSL.assign(TRT01PN=[1.0, 2.0, 2.0, 1.0], STRAT2N=[3, 4, 4, 3])
    tte = derive_tte(adsl, ADTTE, paramcd="OS", arm_var="TRT01PN", strata=("STRAT2N",))
    assert tte.arms == ("1", "2") and tte.arm.tolist() == ["1", "2", "2", "1"]
    assert tte.strata["STRAT2N"].tolist() == ["3", "4", "4", "3"]
