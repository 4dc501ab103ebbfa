"""Every malformed case is refused, with file, variable, value and subject in the message."""

from __future__ import annotations

import pandas as pd
import pytest

from netter.adam import checks
from netter.adam.checks import AdamValidationError, Problem
from netter.adam.io import load_adam
from netter.errors import AdamError, DataWarning

S1, S2, S3 = "NETTER1-001-0001", "NETTER1-001-0002", "NETTER1-001-0003"


def test_valid_trial_loads(trial):
    data = load_adam(trial)
    assert len(data.adsl) == 6 and len(data.adtte) == 12 and len(data.adrs) == 18


def test_error_is_an_adam_error_carrying_every_problem(write_csv, adsl, adtte, load_error):
    adtte.loc[0, "AVAL"] = "-3"
    with pytest.raises(AdamError) as info:
        load_adam(write_csv(adsl=adsl, adtte=adtte))
    assert isinstance(info.value, AdamValidationError)
    assert info.value.problems == (
        Problem("adtte.csv", "AVAL", "-3", (S1,), "is negative"),
    )
    assert str(info.value).endswith(f"adtte.csv: AVAL = -3 is negative (USUBJID {S1})")


# --- required variables -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "variable"),
    [("adsl", "USUBJID"), ("adtte", "USUBJID"), ("adtte", "PARAMCD"), ("adtte", "AVAL"),
     ("adtte", "CNSR"), ("adrs", "USUBJID"), ("adrs", "PARAMCD"), ("adrs", "AVALC"),
     ("adrs", "ADT")],
)
def test_missing_required_variable(write_csv, adsl, adtte, adrs, load_error, dataset, variable):
    frames = {"adsl": adsl, "adtte": adtte, "adrs": adrs}
    frames[dataset] = frames[dataset].drop(columns=variable)
    message = load_error(write_csv(**frames))
    assert f"{dataset}.csv: {variable} is required in {dataset.upper()} but absent" in message


def test_arm_variable_absent_names_candidates(write_csv, adsl, adtte, load_error):
    adsl["TRT01A"] = adsl["TRT01P"]
    message = load_error(write_csv(adsl=adsl, adtte=adtte), arm_var="ARM")
    assert "adsl.csv: ARM is absent from ADSL (the arm variable; ADSL has TRT01P, TRT01A)" in (
        message
    )


def test_other_arm_variable_in_any_case(write_csv, adsl, adtte):
    adsl = adsl.rename(columns={"TRT01P": "TRT01A"})
    data = load_adam(write_csv(adsl=adsl, adtte=adtte), arm_var="trt01a")
    assert data.arm_var == "TRT01A"


# --- AVAL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-3", "AVAL = -3 is negative"),
        ("abc", "AVAL = abc is not a number"),
        ("1,5", 'AVAL = "1,5" is not a number'),
        ("NaN", "AVAL = NaN is not a number"),
        ("inf", "AVAL = inf is infinite"),
        ("-Infinity", "AVAL = -Infinity is infinite"),
        ("", "AVAL is missing"),
    ],
)
def test_bad_aval(write_csv, adsl, adtte, load_error, value, expected):
    adtte.loc[2, "AVAL"] = value
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert f"adtte.csv: {expected} (USUBJID {S2})" in message
    assert "(1 problem)" in message


def test_nan_aval_from_parquet_is_missing(tmp_path, adsl, adtte, load_error):
    adsl.to_csv(tmp_path / "adsl.csv", index=False)
    adtte["AVAL"] = adtte["AVAL"].astype(float)
    adtte["CNSR"] = adtte["CNSR"].astype(int)
    adtte.loc[3, "AVAL"] = float("nan")
    adtte.to_parquet(tmp_path / "adtte.parquet")
    assert f"adtte.parquet: AVAL is missing (USUBJID {S2})" in load_error(tmp_path)


# --- CNSR ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.5", "CNSR = 1.5 is not a non-negative integer"),
        ("-1", "CNSR = -1 is not a non-negative integer"),
        ("Y", "CNSR = Y is not a non-negative integer"),
        ("inf", "CNSR = inf is not a non-negative integer"),
        ("", "CNSR is missing"),
    ],
)
def test_bad_cnsr(write_csv, adsl, adtte, load_error, value, expected):
    adtte.loc[4, "CNSR"] = value
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert f"adtte.csv: {expected} (USUBJID {S3})" in message


def test_cnsr_codes_above_one_and_float_zero_are_accepted(write_csv, adsl, adtte):
    adtte.loc[0, "CNSR"] = "2"
    adtte.loc[1, "CNSR"] = "0.0"
    data = load_adam(write_csv(adsl=adsl, adtte=adtte))
    assert data.adtte["CNSR"].tolist()[:2] == [2, 0]


# --- subjects -----------------------------------------------------------------------


def test_duplicate_subject_in_adsl(write_csv, adsl, adtte, load_error):
    adsl = pd.concat([adsl, adsl.iloc[[1]]], ignore_index=True)
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert f"adsl.csv: USUBJID = {S2} appears more than once" in message


@pytest.mark.parametrize("dataset", ["adtte", "adrs"])
def test_subject_absent_from_adsl(write_csv, adsl, adtte, adrs, load_error, dataset):
    frames = {"adsl": adsl, "adtte": adtte, "adrs": adrs}
    frames[dataset].loc[0, "USUBJID"] = "NETTER1-999-0042"
    message = load_error(write_csv(**frames))
    assert f"{dataset}.csv: USUBJID = NETTER1-999-0042 is not in adsl.csv" in message


def test_duplicate_subject_parameter_in_adtte(write_csv, adsl, adtte, load_error):
    adtte.loc[1, "PARAMCD"] = "PFS"  # subject 1 now has two PFS records
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert f"adtte.csv: PARAMCD = PFS has more than one record for the subject (USUBJID {S1})" in (
        message
    )


@pytest.mark.parametrize("dataset", ["adsl", "adtte", "adrs"])
def test_missing_subject_id_named_by_record(write_csv, adsl, adtte, adrs, load_error, dataset):
    frames = {"adsl": adsl, "adtte": adtte, "adrs": adrs}
    frames[dataset].loc[2, "USUBJID"] = ""
    message = load_error(write_csv(**frames))
    assert f"{dataset}.csv: USUBJID is missing (record 3)" in message


# --- units and dates -----------------------------------------------------------------


def test_unknown_unit(write_csv, adsl, adtte, load_error):
    adtte.loc[2, "AVALU"] = "HOURS"
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert (
        f"adtte.csv: AVALU = HOURS is not an accepted unit (DAYS, WEEKS, MONTHS, YEARS) "
        f"(USUBJID {S2})"
    ) in message


def test_missing_unit_value(write_csv, adsl, adtte, load_error):
    adtte.loc[2, "AVALU"] = ""
    assert "adtte.csv: AVALU is missing" in load_error(write_csv(adsl=adsl, adtte=adtte))


def test_units_any_case_or_absent(write_csv, adsl, adtte):
    adtte["AVALU"] = "weeks"
    # AVAL holds days here: in weeks it disagrees with its dates, which is a warning
    with pytest.warns(DataWarning, match=r"AVAL disagrees with ADT - STARTDT \+ 1 \[\d+ cases\]: "
                                         r"\"\d+ WEEKS vs \d+ days\""):
        assert len(load_adam(write_csv(adsl=adsl, adtte=adtte)).adtte) == 12
    assert len(load_adam(write_csv(adsl=adsl, adtte=adtte.drop(columns="AVALU"))).adtte) == 12


def test_adt_before_startdt(write_csv, adsl, adtte, load_error):
    adtte.loc[2, "ADT"] = "2013-01-01"
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert f"adtte.csv: ADT = 2013-01-01 is before STARTDT (USUBJID {S2})" in message


@pytest.mark.parametrize(
    ("dataset", "variable", "row", "value", "who"),
    [
        ("adtte", "ADT", 2, "2014-02-30", S2),
        ("adtte", "STARTDT", 4, "01/09/2013", S3),
        ("adsl", "RANDDT", 0, "2013-9-1", S1),
        ("adrs", "ADT", 0, "soon", S1),
    ],
)
def test_unparseable_date(write_csv, adsl, adtte, adrs, load_error, dataset, variable, row,
                          value, who):
    frames = {"adsl": adsl, "adtte": adtte, "adrs": adrs}
    frames[dataset].loc[row, variable] = value
    message = load_error(write_csv(**frames))
    shown = checks.format_value(value)
    expected = f"{variable} = {shown} is not a valid YYYY-MM-DD date (USUBJID {who})"
    assert f"{dataset}.csv: {expected}" in message


def test_non_numeric_age(write_csv, adsl, adtte, load_error):
    adsl.loc[0, "AGE"] = "sixty"
    assert f"adsl.csv: AGE = sixty is not a number (USUBJID {S1})" in load_error(
        write_csv(adsl=adsl, adtte=adtte)
    )


# --- responses -----------------------------------------------------------------------


@pytest.mark.parametrize(("row", "param", "value"), [(2, "BOR", "MR"), (0, "OVR", "CRR")])
def test_bad_response(write_csv, adsl, adtte, adrs, load_error, row, param, value):
    adrs.loc[row, "AVALC"] = value
    message = load_error(write_csv(adsl=adsl, adtte=adtte, adrs=adrs))
    assert (
        f"adrs.csv: AVALC = {value} is not a RECIST response (CR, PR, SD, PD, NE) "
        f"for PARAMCD {param} (USUBJID {S1})"
    ) in message


def test_other_response_parameters_are_free(write_csv, adsl, adtte, adrs):
    extra = pd.DataFrame([{"USUBJID": S1, "PARAMCD": "NEWLES", "AVALC": "Y",
                           "ADT": "2014-01-01"}])
    adrs = pd.concat([adrs, extra], ignore_index=True)
    assert len(load_adam(write_csv(adsl=adsl, adtte=adtte, adrs=adrs)).adrs) == 19


def test_missing_response(write_csv, adsl, adtte, adrs, load_error):
    adrs.loc[2, "AVALC"] = ""
    message = load_error(write_csv(adsl=adsl, adtte=adtte, adrs=adrs))
    assert f"adrs.csv: AVALC is missing (USUBJID {S1})" in message


# --- arm -------------------------------------------------------------------------------


def test_arm_with_missing_values(write_csv, adsl, adtte, load_error):
    adsl.loc[1, "TRT01P"] = ""
    assert f"adsl.csv: TRT01P is missing (USUBJID {S2})" in load_error(
        write_csv(adsl=adsl, adtte=adtte)
    )


def test_single_arm(write_csv, adsl, adtte, load_error):
    adsl["TRT01P"] = "Octreotide LAR 60 mg"
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert 'adsl.csv: TRT01P = "Octreotide LAR 60 mg" is the only arm' in message


# --- reporting everything ------------------------------------------------------------


def test_two_problems_in_one_file_are_both_reported(write_csv, adsl, adtte, load_error):
    adtte.loc[0, "AVAL"] = "-3"
    adtte.loc[5, "CNSR"] = "Y"
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    assert "(2 problems)" in message
    assert f"adtte.csv: AVAL = -3 is negative (USUBJID {S1})" in message
    assert f"adtte.csv: CNSR = Y is not a non-negative integer (USUBJID {S3})" in message


def test_problems_in_every_file_are_reported(write_csv, adsl, adtte, adrs, load_error):
    adsl.loc[0, "AGE"] = "old"
    adtte = adtte.drop(columns="CNSR")
    adrs.loc[2, "AVALC"] = "MR"
    message = load_error(write_csv(adsl=adsl, adtte=adtte, adrs=adrs))
    assert "adsl.csv: AGE = old" in message
    assert "adtte.csv: CNSR is required" in message
    assert "adrs.csv: AVALC = MR" in message


def test_many_problems_are_grouped_but_counted(write_csv, adsl, adtte, load_error):
    adtte = pd.concat([adtte] * 3, ignore_index=True)  # 36 records, 24 of them duplicates
    adtte["AVAL"] = [str(-1 - i) for i in range(len(adtte))]
    message = load_error(write_csv(adsl=adsl, adtte=adtte))
    line = next(x for x in message.splitlines() if "is negative" in x)
    assert line.startswith("  - adtte.csv: AVAL is negative [36 cases]: -1 (USUBJID ")
    assert line.endswith("; and 16 more")
    assert "(48 problems)" in message  # 36 negative + 12 duplicate subject x PARAMCD


def test_same_value_merges_subjects():
    problems = [Problem("adtte.csv", "AVALU", "HOURS", (f"S{i}",), "is not an accepted unit")
                for i in range(12)]
    (line,) = checks.group_lines(problems)
    assert line == (
        "adtte.csv: AVALU is not an accepted unit [12 cases]: HOURS (USUBJID S0, S1, S2, S3, "
        "S4, S5, S6, S7, S8, S9 and 2 more)"
    )


def test_checks_are_pure_functions_over_frames(adsl):
    before = adsl.copy()
    assert checks.check_dataset(adsl, "adsl", "adsl.csv") == []
    pd.testing.assert_frame_equal(adsl, before)
