"""Reading the digitised curves, numbers at risk and events; every input error named."""

from __future__ import annotations

import pytest

from netter.errors import NetterError
from netter.reconstruct.inputs import (
    ReconstructionInputError,
    normalise_unit,
    parse_curve_spec,
    read_at_risk,
    read_curve_file,
    read_curves,
    read_events,
)


def test_long_form_reads_every_arm_in_file_order(write):
    path = write("km.csv", "Arm , TIME,Survival,note\nB,0,1,x\nA,0,1,\nB,2.5,0.8,\n\nA,3,0.9,\n")
    curves = read_curve_file(str(path))
    assert [c.arm for c in curves] == ["B", "A"]
    assert curves[0].time.tolist() == [0.0, 2.5] and curves[0].row.tolist() == [2, 4]
    assert curves[1].row.tolist() == [3, 6]  # blank line 5 skipped, rows are file lines
    assert curves[0].scale == "fraction" and "detected" in curves[0].scale_note


def test_two_column_header_less_export_in_percent(write):
    path = write("lu.csv", "0,100\n2.5,90.5\n6,80\n")
    curve = read_curves([f"177Lu-DOTATATE={path}"])[0]
    assert curve.arm == "177Lu-DOTATATE"
    assert curve.survival.tolist() == [1.0, 0.905, 0.8]
    assert curve.scale == "percent"
    assert "largest value 100 >= 50" in curve.scale_note and "divided by 100" in curve.scale_note


def test_two_column_arm_defaults_to_file_name_and_header_is_skipped(write):
    curve = read_curve_file(str(write("octreotide.csv", "x,y\n0,1\n1,0.5\n")))[0]
    assert curve.arm == "octreotide" and curve.time.tolist() == [0.0, 1.0]


def test_declared_scale_overrides_detection(write):
    # a curve in percent digitised from 40 % down: neither scale for auto, fine declared
    path = write("c.csv", "0,40\n1,20\n")
    assert read_curve_file(str(path), scale="percent")[0].survival.tolist() == [0.4, 0.2]
    with pytest.raises(ReconstructionInputError, match="survival scale 'ratio'"):
        read_curve_file(str(path), scale="ratio")


def test_declared_scale_that_contradicts_the_values_is_refused(write):
    fractions, percents = write("f.csv", "0,1\n1,0.5\n"), write("p.csv", "0,100\n1,50\n")
    with pytest.raises(ReconstructionInputError, match=(
            r"f\.csv: row 1, column survival \(2nd\): arm 'f': survival declared in percent, "
            r"but the largest value is 1: these are fractions")):
        read_curve_file(str(fractions), scale="percent")
    with pytest.raises(ReconstructionInputError, match=(
            r"p\.csv: row 1, column survival \(2nd\): arm 'p': value 100 is not a survival "
            r"probability .* \(a percentage among fractions\?\)")):
        read_curve_file(str(percents), scale="fraction")


def test_curve_spec_splits_arm_and_path(tmp_path):
    assert parse_curve_spec("B=x.csv") == ("B", "x.csv")
    odd = tmp_path / "a=b.csv"
    odd.write_text("0,1\n")
    assert parse_curve_spec(str(odd)) == (None, str(odd))
    with pytest.raises(ReconstructionInputError, match="ARM=PATH"):
        parse_curve_spec("=x.csv")


@pytest.mark.parametrize(("text", "message"), [
    ("arm,time,survival\nA,0,1\nA,two,0.5\n",
     r"c\.csv: row 3, column time: value 'two' is not a finite number"),
    ("arm,time,survival\nA,0,1\nA,1,nan\n",
     r"c\.csv: row 3, column survival: value 'nan' is not a finite number"),
    ("arm,time,surv\nA,0,1\n", r"c\.csv: row 1: column\(s\) survival missing; header is arm, "
     r"time, surv"),
    ("arm,time,survival\nA,0\n", r"c\.csv: row 2: 2 value\(s\), expected at least 3"),
    ("arm,time,survival\n,0,1\n", r"c\.csv: row 2, column arm: value is empty"),
    ("arm,time,survival\n", r"c\.csv: a header and no data rows"),
    ("\n\n", r"c\.csv: empty file"),
    ("0,1,2\n", r"c\.csv: row 1: expected a header arm,time,survival or two columns"),
    ("0,1\n1,0.5,3\n", r"c\.csv: row 2: 3 value\(s\), expected 2"),
    ("0,1\n1,x\n", r"c\.csv: row 2, column survival \(2nd\): value 'x'"),
])
def test_curve_errors_name_file_column_value_row(write, text, message):
    path = write("c.csv", text)
    with pytest.raises(ReconstructionInputError, match=message):
        read_curve_file(str(path))


def test_curve_file_errors(write, tmp_path):
    with pytest.raises(ReconstructionInputError, match="missing.csv: file not found"):
        read_curves([str(tmp_path / "missing.csv")])
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ReconstructionInputError, match="not UTF-8"):
        read_curves([str(binary)])
    long_form = write("long.csv", "arm,time,survival\nA,0,1\nA,1,0.5\n")
    with pytest.raises(ReconstructionInputError, match="has an arm column"):
        read_curves([f"X={long_form}"])
    twin = write("A.csv", "0,1\n1,0.5\n")
    with pytest.raises(ReconstructionInputError, match="arm 'A' is also in long.csv"):
        read_curves([str(long_form), str(twin)])
    assert issubclass(ReconstructionInputError, NetterError)


def test_at_risk_table(write):
    path = write("r.csv", "ARM,Time,N_Risk\nA,0,116\nA,3,97.0\nB,0,113\n")
    table = read_at_risk(path)
    assert list(table) == ["A", "B"]
    assert table["A"].n_risk.tolist() == [116, 97] and table["A"].row.tolist() == [2, 3]


@pytest.mark.parametrize(("text", "message"), [
    ("arm,time,n_risk\nA,0,9.5\n", r"r\.csv: row 2, column n_risk: value '9.5' is not a whole"),
    ("arm,time,n_risk\nA,0,-1\n", r"r\.csv: row 2, column n_risk: value '-1' is not a whole"),
    ("arm,time,n_risk\nA,-3,9\n", r"r\.csv: row 2, column time: value '-3' is negative"),
    ("arm,time,n\nA,0,9\n", r"r\.csv: row 1: column\(s\) n_risk missing"),
    ("arm,time,n_risk\nA,x,9\n", r"r\.csv: row 2, column time: value 'x' is not a finite"),
])
def test_at_risk_errors(write, text, message):
    with pytest.raises(ReconstructionInputError, match=message):
        read_at_risk(write("r.csv", text))


def test_events(write):
    assert read_events(write("e.csv", "arm,events\nA,21\nB,66\n")) == {"A": 21, "B": 66}
    with pytest.raises(ReconstructionInputError, match=r"row 3, column arm: 'A' repeated"):
        read_events(write("e.csv", "arm,events\nA,21\nA,20\n"))
    with pytest.raises(ReconstructionInputError, match=r"row 2, column events: value '2.5'"):
        read_events(write("e.csv", "arm,events\nA,2.5\n"))


def test_time_units():
    assert [normalise_unit(u) for u in ("months", "DAY", " weeks ", "Year")] == [
        "MONTHS", "DAYS", "WEEKS", "YEARS"]
    with pytest.raises(ReconstructionInputError, match="time unit 'fortnights' is not known; "
                       "accepted: days, weeks, months, years"):
        normalise_unit("fortnights")
