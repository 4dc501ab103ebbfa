"""Bad reconstruction inputs: one NetterError naming file, column, value and row (or arm),
exit status 1, and nothing written (hardening items 9 and 17, and the same family)."""

from __future__ import annotations

import pytest

from netter.reconstruct.inputs import ReconstructionInputError
from netter.reconstruct.pipeline import reconstruct
from tests.reconstruct.reconstruct_helpers import run_reconstruct

CURVE = "arm,time,survival\nA,0,1\nA,2,0.8\nA,5,0.6\nB,0,1\nB,3,0.5\nB,4,0.5\n"
RISK = "arm,time,n_risk\nA,0,10\nA,3,8\nB,0,10\n"


def refused(write, tmp_path, capsys, *, curve=CURVE, risk=RISK, events=None, argv=()):
    """Run ``netter reconstruct`` on the texts; assert exit 1, no output folder; return the
    message (one line on standard error)."""
    files = ["--curve", str(write("c.csv", curve)), "--at-risk", str(write("r.csv", risk))]
    if events is not None:
        files += ["--events", str(write("e.csv", events))]
    out = tmp_path / "out"
    assert run_reconstruct([*files, *argv, "--out", str(out)]) == 1
    assert not out.exists(), sorted(p.name for p in out.iterdir())
    err = capsys.readouterr().err
    assert err.startswith("netter reconstruct: ") and err.count("\n") == 1, err
    return err.removeprefix("netter reconstruct: ").strip()


def test_curve_time_of_1e300_is_refused_before_anything_is_written(write, tmp_path, capsys):
    curve = "arm,time,survival\nA,0,1\nA,2,0.8\nA,1e300,0.5\nB,0,1\nB,3,0.5\n"
    message = refused(write, tmp_path, capsys, curve=curve)
    assert message == ("c.csv: row 4, column time: arm 'A': value 1e+300 is beyond 100 years "
                       "(1200 months): a typo?")


def test_at_risk_time_beyond_100_years_is_refused_in_the_declared_unit(write, tmp_path, capsys):
    risk = "arm,time,n_risk\nA,0,10\nA,40000,0\nB,0,10\n"
    message = refused(write, tmp_path, capsys, risk=risk, argv=["--time-unit", "days"])
    assert message == ("r.csv: row 3, column time: arm 'A': value 40000 is beyond 100 years "
                       "(36525 days): a typo?")


def test_fraction_typo_5_is_refused_and_does_not_switch_the_other_arm(write, tmp_path, capsys):
    # issue: one 5.0 in a fraction-scale curve read both arms as percent, and exited 0
    curve = "arm,time,survival\nA,0,1\nA,2,0.8\nA,3,5.0\nA,5,0.6\nB,0,1\nB,3,0.5\nB,4,0.5\n"
    message = refused(write, tmp_path, capsys, curve=curve)
    assert message.startswith("c.csv: row 4, column survival: arm 'A': largest value 5 is "
                              "neither a fraction (at most 1.5) nor the top of a curve in "
                              "percent (at least 50): a typo?")


def test_percent_typo_among_fractions_is_refused_as_a_rise(write, tmp_path, capsys):
    # 80 typed for 0.80: the arm reads as percent, its fractions become < 1.5 %
    curve = "arm,time,survival\nA,0,1\nA,2,80\nA,5,0.6\nB,0,1\nB,3,0.5\nB,4,0.5\n"
    message = refused(write, tmp_path, capsys, curve=curve)
    assert message.startswith("c.csv: row 3, column survival: arm 'A': value 80 % at time 2 "
                              "rises by 0.79 above 1 % at time 0 (row 2) (a fraction among "
                              "percentages?)")


def test_scale_is_detected_per_arm(write):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,2,0.8\nB,0,100\nB,3,50\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\nB,0,10\n")
    rec = reconstruct([curve], risk)
    assert [(a.curve.scale, a.clean.survival.tolist()) for a in rec.arms] == [
        ("fraction", [1.0, 0.8]), ("percent", [1.0, 0.5])]
    assert [a.curve.scale_note for a in rec.arms] == [
        "c.csv: arm 'A': survival read as fractions (detected: largest value 1 <= 1.5)",
        "c.csv: arm 'B': survival read as percents (detected: largest value 100 >= 50); "
        "divided by 100"]


def test_500_events_for_a_116_patient_arm_is_an_error(write, tmp_path, capsys):
    risk = "arm,time,n_risk\nA,0,116\nA,3,80\nB,0,10\n"
    message = refused(write, tmp_path, capsys, risk=risk, events="arm,events\nA,500\n")
    assert message == ("e.csv: arm 'A', column events: value 500 is more than the arm's 116 "
                       "patients (r.csv: 116 at risk at time 0)")


def test_arm_with_no_events_is_an_error(write, tmp_path, capsys):
    curve = "arm,time,survival\nA,0,1\nA,5,1\nB,0,1\nB,3,0.5\nB,4,0.5\n"
    message = refused(write, tmp_path, capsys, curve=curve)
    assert message.startswith("c.csv: arm 'A', column survival: the curve gives no event "
                              "(lowest value 1 among 10 patients): check the file")
    message = refused(write, tmp_path, capsys, curve=curve, events="arm,events\nA,3\n")
    assert "the curve gives no event (lowest value 1 among 10 patients), though e.csv gives " \
        "3 for it" in message


def test_arm_with_no_events_is_accepted_when_the_events_file_says_0(write, tmp_path):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,5,1\nB,0,1\nB,3,0.5\nB,4,0.5\n")
    risk, events = write("r.csv", RISK), write("e.csv", "arm,events\nA,0\n")
    rec = reconstruct([curve], risk, events)
    assert [int(a.fit.patient_event.sum()) for a in rec.arms] == [0, 5]


def test_curve_with_no_point_after_time_0_is_an_error(write, tmp_path, capsys):
    curve = "arm,time,survival\nA,0,1\nA,2,0.8\nB,0,1\n"
    message = refused(write, tmp_path, capsys, curve=curve)
    assert message == ("c.csv: arm 'B', column time: no point after time 0 (largest time 0, "
                       "row 4): a curve needs its steps")


@pytest.mark.parametrize(("curve", "risk", "events", "expected"), [
    # NaN / infinity in every numeric column
    ("arm,time,survival\nA,0,1\nA,2,NaN\n", RISK, None,
     "c.csv: row 3, column survival: value 'NaN' is not a finite number"),
    ("arm,time,survival\nA,0,1\nA,inf,0.5\n", RISK, None,
     "c.csv: row 3, column time: value 'inf' is not a finite number"),
    (CURVE, "arm,time,n_risk\nA,0,nan\n", None,
     "r.csv: row 2, column n_risk: value 'nan' is not a finite number"),
    (CURVE, "arm,time,n_risk\nA,0,10\nA,-inf,3\n", None,
     "r.csv: row 3, column time: value '-inf' is not a finite number"),
    (CURVE, RISK, "arm,events\nA,Infinity\n",
     "e.csv: row 2, column events: value 'Infinity' is not a finite number"),
    # counts too large to be patients (1e300 overflowed int64)
    (CURVE, "arm,time,n_risk\nA,0,1e300\n", None,
     "r.csv: row 2, column n_risk: value '1e300' is more than 10,000,000"),
    (CURVE, RISK, "arm,events\nA,1e300\n",
     "e.csv: row 2, column events: value '1e300' is more than 10,000,000"),
    # negative times: beyond a click near the origin (1 % of the last time)
    ("arm,time,survival\nA,-2,1\nA,2,0.8\nA,5,0.6\nB,0,1\nB,3,0.5\n", RISK, None,
     "c.csv: row 2, column time: arm 'A': value -2 is negative, further left of 0 than a "
     "click near the origin (at most 1% of the last time, 5)"),
    (CURVE, "arm,time,n_risk\nA,0,10\nA,-3,9\nB,0,10\n", None,
     "r.csv: row 3, column time: value '-3' is negative"),
    # survival far outside [0, 1]
    ("arm,time,survival\nA,0,1\nA,2,-0.3\nB,0,1\nB,3,0.5\n", RISK, None,
     "c.csv: row 3, column survival: arm 'A': value -0.3 is not a survival probability (read "
     "as fractions, it lies more than 0.05 outside [0, 1])"),
    ("arm,time,survival\nA,0,100\nA,2,120\nB,0,1\nB,3,0.5\n", RISK, None,
     "c.csv: row 3, column survival: arm 'A': value 120 is not a survival percentage (read "
     "as percents, it lies more than 0.05 outside [0, 1])"),
    # non-monotone curve, at-risk counts that increase
    ("arm,time,survival\nA,0,1\nA,2,0.5\nA,4,0.9\nB,0,1\nB,3,0.5\n", RISK, None,
     "c.csv: row 4, column survival: arm 'A': value 0.9 at time 4 rises by 0.4 above 0.5 at "
     "time 2 (row 3); a Kaplan-Meier curve cannot rise"),
    (CURVE, "arm,time,n_risk\nA,0,10\nA,3,8\nA,4,9\nB,0,10\n", None,
     "r.csv: row 4, column n_risk: arm 'A': value 9 at time 4 is more than 8 at time 3 (row "
     "3); numbers at risk cannot increase"),
    # empty files, header only, missing and repeated columns
    ("", RISK, None, "c.csv: empty file"),
    (CURVE, "\n \n", None, "r.csv: empty file"),
    (CURVE, RISK, "", "e.csv: empty file"),
    (CURVE, "arm,time,n_risk\n", None, "r.csv: a header and no data rows"),
    (CURVE, "arm,time\nA,0\n", None, "r.csv: row 1: column(s) n_risk missing; header is arm, "
     "time (expected arm,time,n_risk)"),
    (CURVE, RISK, "arm,n\nA,3\n", "e.csv: row 1: column(s) events missing"),
    ("arm,time,survival,time\nA,0,1,0\n", RISK, None,
     "c.csv: row 1: column time appears 2 times in the header"),
    # labels: empty, control characters (a line break inside a quoted cell, an escape)
    ("arm,time,survival\n,0,1\n", RISK, None, "c.csv: row 2, column arm: value is empty"),
    ('arm,time,survival\n"A\nB",0,1\n', RISK, None,
     "c.csv: row 2, column arm: value 'A\\nB' holds a control character"),
    (CURVE, "arm,time,n_risk\nA,0,10\nB\x1b[31m,0,10\n", None,
     "r.csv: row 3, column arm: value 'B\\x1b[31m' holds a control character"),
    (CURVE, RISK, "arm,events\nA\u202e1,3\n",
     "e.csv: row 2, column arm: value 'A\\u202e1' holds a control character"),
])
def test_bad_input_names_file_column_value_and_row(write, tmp_path, capsys, curve, risk,
                                                   events, expected):
    message = refused(write, tmp_path, capsys, curve=curve, risk=risk, events=events)
    assert message.startswith(expected), message


def test_bad_input_leaves_an_existing_output_folder_as_it_was(write, tmp_path):
    curve, risk = write("c.csv", CURVE), write("r.csv", RISK)
    out = tmp_path / "out"
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--quiet",
                            "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write("bad.csv", "arm,time,survival\nA,0,1\nA,1e300,0.5\nB,0,1\nB,3,0.5\n")
    assert run_reconstruct(["--curve", str(bad), "--at-risk", str(risk), "--quiet",
                            "--out", str(out)]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_errors_are_netter_errors_raised_by_reconstruct(write):
    with pytest.raises(ReconstructionInputError):
        reconstruct([write("c.csv", "arm,time,survival\nA,0,1\nA,1e300,0.5\n")],
                    write("r.csv", "arm,time,n_risk\nA,0,10\n"))
