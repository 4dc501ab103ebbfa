"""``netter reconstruct`` on the shipped examples and on bad input; outputs feed ``analyze``."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.endpoints.trial import analyze_trial
from netter.reconstruct.examples import write_examples
from tests.reconstruct.reconstruct_helpers import EXAMPLES, SYNTHETIC, run_reconstruct

CLEAN = ["--curve", str(EXAMPLES / "pfs_curve.csv"), "--at-risk",
         str(EXAMPLES / "pfs_at_risk.csv"), "--events", str(EXAMPLES / "pfs_events.csv")]
MESSY = ["--curve", f"177Lu-DOTATATE={EXAMPLES / 'messy' / 'lutathera_wpd.csv'}",
         "--curve", f"Octreotide LAR 60 mg={EXAMPLES / 'messy' / 'octreotide_wpd.csv'}",
         "--at-risk", str(EXAMPLES / "messy" / "at_risk.csv")]


def test_examples_are_what_the_seeded_script_makes(tmp_path):
    written = write_examples(SYNTHETIC, tmp_path, messy_files={
        "177Lu-DOTATATE": "lutathera_wpd.csv", "Octreotide LAR 60 mg": "octreotide_wpd.csv"})
    for path in written:
        shipped = EXAMPLES / path.relative_to(tmp_path)
        assert path.read_bytes() == shipped.read_bytes(), shipped.name


def test_clean_example(tmp_path, capsys):
    out = tmp_path / "recon"
    assert run_reconstruct([*CLEAN, "--time-unit", "months", "--paramcd", "PFS",
                            "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert "177Lu-DOTATATE: 116 patients, 21 events (published 21)" in stdout
    assert "Octreotide LAR 60 mg: 113 patients" in stdout
    adsl, adtte = pd.read_csv(out / "adsl.csv"), pd.read_csv(out / "adtte.csv")
    assert list(adsl.columns) == ["STUDYID", "USUBJID", "TRT01P", "ITTFL"]
    assert list(adtte.columns) == ["STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVAL", "AVALU",
                                   "CNSR", "EVNTDESC", "CNSDTDSC", "SRCDESC"]
    assert adsl["TRT01P"].value_counts().to_dict() == {"177Lu-DOTATATE": 116,
                                                      "Octreotide LAR 60 mg": 113}
    assert set(adtte["AVALU"]) == {"MONTHS"} and set(adtte["CNSR"]) == {0, 1}
    assert set(adtte["SRCDESC"]) == {"Reconstructed (Guyot 2012)"}
    risk = pd.read_csv(out / "reconstruction_at_risk.csv")
    assert risk["difference"].abs().max() <= 1
    for line in stderr.splitlines():
        assert line.startswith("netter reconstruct: warning: ")


def test_output_is_byte_identical_and_free_of_absolute_paths(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run_reconstruct([*CLEAN, "--quiet", "--out", str(out)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 9
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        if not name.endswith(".png"):
            assert str(tmp_path) not in (first / name).read_text()
            assert str(EXAMPLES) not in (first / name).read_text()


def test_reconstruction_runs_through_netter_analyze(tmp_path):
    out = tmp_path / "recon"
    run_reconstruct([*CLEAN, "--quiet", "--out", str(out)])
    document = analyze_trial(load_adam(out), landmarks=[12.0], reference="Octreotide LAR 60 mg")
    pfs = document.endpoints["PFS"]
    assert document.reference_arm == "Octreotide LAR 60 mg" and pfs.n == 229
    assert 0.1 < pfs.cox.hazard_ratio < 0.3
    assert [a.arm for a in pfs.arms] == ["177Lu-DOTATATE", "Octreotide LAR 60 mg"]


def test_messy_example(tmp_path, capsys):
    out = tmp_path / "messy"
    assert run_reconstruct([*MESSY, "--out", str(out)]) == 0
    capsys.readouterr()
    changes = pd.read_csv(out / "reconstruction_changes.csv")
    rules = set(changes["rule"])
    assert {"scale", "clip", "duplicate", "order", "monotone", "start"} <= rules
    summary = (out / "reconstruction.md").read_text()
    assert ("arm '177Lu-DOTATATE': survival read as percents (detected: largest value 100.3 "
            ">= 50)" in summary)
    fit = pd.read_csv(out / "reconstruction_fit.csv")
    assert fit["n"].tolist() == [116, 113] and (fit["max_abs_diff"] < 0.05).all()
    # the curves run past the last at-risk time (24 months): kept in the last interval
    points = pd.read_csv(out / "reconstruction_points.csv")
    assert points["time"].max() > 30
    assert pd.read_csv(out / "reconstruction_at_risk.csv")["difference"].abs().max() <= 1


def test_inconsistent_inputs_are_warned_not_silent(write, tmp_path, capsys):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,2,0.5\nA,4,0.5\nA,5,0.1\nA,6,0.1\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\nA,3,9\nA,4.5,9.5\nA,8,2\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--quiet",
                            "--out", str(tmp_path / "o")]) == 1  # 9.5 is not whole
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\nA,3,9\nA,4.5,9\nA,8,2\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--quiet",
                            "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "curve falls by more than the numbers at risk allow" in err
    assert "beyond the last digitised point (time 6)" in err
    warnings = (tmp_path / "o" / "reconstruction_warnings.txt").read_text().splitlines()
    assert len(warnings) == err.count("warning:")


@pytest.mark.parametrize(("argv", "message"), [
    (["--time-unit", "fortnights"], "time unit 'fortnights' is not known"),
    (["--paramcd", "progression free"], "PARAMCD 'progression free'"),
    (["--studyid", " "], "STUDYID must not be empty"),
    (["--studyid", "NET\nTER"], "STUDYID: value 'NET\\nTER' holds a control character"),
])
def test_bad_options_exit_1(simple_inputs, tmp_path, capsys, argv, message):
    curve, risk = simple_inputs
    code = run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), *argv,
                            "--out", str(tmp_path / "o")])
    assert code == 1 and message in capsys.readouterr().err


def test_arm_missing_from_the_at_risk_table(write, tmp_path, capsys):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,1,0.8\nB,0,1\nB,1,0.5\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk),
                            "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert ("c.csv: row 4, column arm: arm 'B' has no numbers at risk in r.csv (it has 'A')"
            in err)
    single = write("lutathera.csv", "0,1\n1,0.5\n")
    assert run_reconstruct(["--curve", str(single), "--at-risk", str(risk),
                            "--out", str(tmp_path / "o")]) == 1
    assert ("lutathera.csv: arm from the file name: arm 'lutathera' has no numbers at risk "
            "in r.csv (it has 'A')" in capsys.readouterr().err)


def test_arm_of_the_at_risk_table_or_events_without_a_curve(write, tmp_path, capsys):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,1,0.5\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\nZ,0,10\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk),
                            "--out", str(tmp_path / "o")]) == 1
    assert "r.csv: row 3, column arm: arm 'Z' has no curve" in capsys.readouterr().err
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\n")
    events = write("e.csv", "arm,events\nA,3\nQ,2\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--events",
                            str(events), "--out", str(tmp_path / "o")]) == 1
    assert "e.csv: column arm: arm 'Q' has no curve" in capsys.readouterr().err


def test_bad_value_names_file_column_value_row(write, tmp_path, capsys):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,1.5,0,4\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\n")
    curve.write_text("arm,time,survival\nA,0,1\nA,1.5,zero\n")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk),
                            "--out", str(tmp_path / "o")]) == 1
    assert ("c.csv: row 3, column survival: value 'zero' is not a finite number"
            in capsys.readouterr().err)


def test_installed_command_exit_codes(write, tmp_path):
    curve = write("c.csv", "arm,time,survival\nA,0,1\nA,2,0.5\n")
    risk = write("r.csv", "arm,time,n_risk\nA,0,10\nA,1,x\n")
    command = [sys.executable, "-m", "netter", "reconstruct", "--curve", str(curve),
               "--at-risk", str(risk), "--out", str(tmp_path / "o")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("netter reconstruct: r.csv: row 3, column n_risk: value 'x'")
    risk.write_text("arm,time,n_risk\nA,0,10\n")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and (tmp_path / "o" / "adtte.csv").exists()
    usage = subprocess.run([sys.executable, "-m", "netter", "reconstruct"],
                           capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "--curve" in usage.stderr
