"""``netter validate``: summary on good data, exit 1 and every problem on bad data."""

from __future__ import annotations

import subprocess
import sys

from netter.adam.io import load_adam
from netter.adam.summary import describe
from netter.cli import main

EXPECTED_SUMMARY = """\
Subjects by TRT01P: 6
  177Lu-DOTATATE        3
  Octreotide LAR 60 mg  3
ADTTE parameters
  PARAMCD  records  events  censored
  OS             6       3         3
  PFS            6       3         3
ADRS records
  PARAMCD  records
  BOR            6
  OVR           12"""


def test_describe(trial):
    text = describe(load_adam(trial))
    lines = text.splitlines()
    assert lines[0] == "Files"
    assert lines[1].split() == ["ADSL", str(trial / "adsl.csv")]
    assert lines[3].split() == ["ADRS", str(trial / "adrs.csv")]
    assert text.endswith(EXPECTED_SUMMARY)
    assert describe(load_adam(trial)) == text  # deterministic


def test_describe_without_adrs(write_csv, adsl, adtte):
    text = describe(load_adam(write_csv(adsl=adsl, adtte=adtte)))
    assert "  ADRS   (none)" in text and "ADRS records" not in text


def test_validate_good_data(trial, capsys):
    assert main(["validate", "--data", str(trial)]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip("\n").endswith(EXPECTED_SUMMARY) and err == ""


def test_validate_explicit_files_and_arm_variable(trial, capsys, adsl):
    adsl.rename(columns={"TRT01P": "TRT01A"}).to_csv(trial / "other_adsl.csv", index=False)
    code = main(["validate", "--data", str(trial), "--adsl", str(trial / "other_adsl.csv"),
                 "--arm-var", "TRT01A"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Subjects by TRT01A: 6" in out


def test_validate_bad_data(write_csv, adsl, adtte, capsys):
    adtte.loc[0, "AVAL"] = "-3"
    adsl.loc[2, "TRT01P"] = ""
    folder = write_csv(adsl=adsl, adtte=adtte)
    assert main(["validate", "--data", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("netter validate: ADaM data failed validation (2 problems):")
    assert "adtte.csv: AVAL = -3 is negative (USUBJID NETTER1-001-0001)" in err
    assert "adsl.csv: TRT01P is missing (USUBJID NETTER1-001-0003)" in err


def test_validate_missing_folder(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_python_m_netter_validate_exits_1_on_bad_data(write_csv, adsl, adtte):
    adtte.loc[3, "CNSR"] = "1.5"
    folder = write_csv(adsl=adsl, adtte=adtte)
    result = subprocess.run(
        [sys.executable, "-m", "netter", "validate", "--data", str(folder)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 1
    assert "adtte.csv: CNSR = 1.5 is not a non-negative integer (USUBJID NETTER1-001-0002)" in (
        result.stderr
    )
    assert result.stdout == ""


def test_python_m_netter_validate_exits_0_on_good_data(trial):
    result = subprocess.run(
        [sys.executable, "-m", "netter", "validate", "--data", str(trial)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n").endswith(EXPECTED_SUMMARY)
