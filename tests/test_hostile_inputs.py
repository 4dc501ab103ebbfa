"""Hostile and malformed inputs of the hardening issue, one named test per case: each
asserts what netter now does (a clear error naming file, variable, value and subject, a
warning, or the right answer), not only that nothing crashed.

Cases are mutations of NETTER-1's synthetic primary cut-off, run through ``netter
analyze`` / ``validate`` in this process (``main`` returns the exit status)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import stat

import pandas as pd
import pytest

from netter.cli import main
from netter.endpoints.endpoint import MAX_RISK_STEPS, MAX_RISK_TIMES, risk_times
from tests.netter1 import PRIMARY


@pytest.fixture
def trial(tmp_path):
    """A copy of the primary cut-off; ``edit(dataset, fn)`` rewrites one CSV (as text)."""
    folder = tmp_path / "adam"
    shutil.copytree(PRIMARY, folder)

    def edit(dataset, fn):
        path = folder / f"{dataset}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        fn(frame).to_csv(path, index=False)
        return folder

    edit.folder = folder
    return edit


def _analyze(folder, tmp_path, *extra):
    return main(["analyze", "--quiet", "--study", "netter1", "--data", str(folder),
                 "--out", str(tmp_path / "r.json"), *extra])


def _responder(folder) -> str:
    """A subject with a confirmed response (two PR/CR assessments)."""
    adrs = pd.read_csv(folder / "adrs.csv", dtype=str)
    good = adrs[adrs["AVALC"].isin(["PR", "CR"])]["USUBJID"].value_counts()
    return good[good >= 2].index[0]


# --- wrong answers or dead processes --------------------------------------------------


def test_huge_aval_is_refused_not_a_memory_blow_up(trial, tmp_path, capsys):
    def huge(frame):
        frame.loc[0, "AVAL"] = "1e300"
        frame.loc[1, "AVAL"] = "1e8"
        return frame
    folder = trial("adtte", huge)
    assert _analyze(folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert "adtte.csv: AVAL is beyond 100 years (DAYS)" in err
    assert "1e300 (USUBJID" in err and "1e8 (USUBJID" in err
    assert not (tmp_path / "r.json").exists()


def test_risk_table_is_bounded_by_a_number_of_times_not_the_range():
    assert len(risk_times([1e300], step=3)) == MAX_RISK_STEPS + 1
    assert len(risk_times([36524.0], step=1, unit="days")) <= MAX_RISK_TIMES
    assert risk_times([12.0], step=3) == (0.0, 3.0, 6.0, 9.0, 12.0)  # a declared step stays


def test_response_codes_are_case_insensitive(trial, tmp_path):
    folder = trial("adrs", lambda f: f.assign(PARAMCD=f["PARAMCD"].str.lower(),
                                              AVALC=f["AVALC"].str.lower()))
    assert _analyze(folder, tmp_path) == 0
    lower = json.loads((tmp_path / "r.json").read_text())["response"]
    shutil.copy(PRIMARY / "adrs.csv", folder / "adrs.csv")
    assert _analyze(folder, tmp_path) == 0
    upper = json.loads((tmp_path / "r.json").read_text())["response"]
    assert [a["responders"] for a in lower["arms"]] == [a["responders"] for a in upper["arms"]]
    assert lower["arms"][0]["responders"] > 0


def test_adrs_without_ovr_or_bor_records_is_an_error(trial, tmp_path, capsys):
    folder = trial("adrs", lambda f: f.assign(PARAMCD="OVRLRESP"))
    assert _analyze(folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert "adrs.csv: PARAMCD has no OVR or BOR records to derive a response from" in err
    assert "OVRLRESP:" in err


def test_adrs_records_of_other_parameters_are_listed_as_not_used(trial, tmp_path):
    who = _responder(trial.folder)

    def relabel(frame):
        rows = frame.index[frame["USUBJID"] == who]
        frame.loc[rows, "PARAMCD"] = "OVRLRESP"
        return frame
    folder = trial("adrs", relabel)
    assert _analyze(folder, tmp_path) == 0
    response = json.loads((tmp_path / "r.json").read_text())["response"]
    assert "; not used: PARAMCD OVRLRESP (" in response["bor_source"]


def test_missing_randdt_of_an_assessed_subject_is_an_error(trial, tmp_path, capsys):
    who = _responder(trial.folder)

    def drop(frame):
        frame.loc[frame["USUBJID"] == who, "RANDDT"] = ""
        return frame
    folder = trial("adsl", drop)
    assert _analyze(folder, tmp_path) == 1
    assert (f"adsl.csv: RANDDT is missing for a subject with assessments in adrs.csv "
            f"(USUBJID {who})") in capsys.readouterr().err
    assert main(["validate", "--data", str(folder)]) == 1


def _xpt(folder, cut):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.read_csv(folder / "adtte.csv")
    (folder / "adtte.csv").unlink()
    path = folder / "adtte.xpt"
    pyreadstat.write_xport(frame[["USUBJID", "PARAMCD", "AVAL", "CNSR"]], str(path),
                           file_format_version=5)
    content = path.read_bytes()
    path.write_bytes(cut(content))
    return folder


@pytest.mark.parametrize("cut", [lambda b: b[: len(b) // 2],  # anywhere
                                 lambda b: b[: len(b) // 2 // 80 * 80],  # on a block boundary
                                 lambda b: b[:-80]])  # one block short
def test_truncated_sas_xport_is_refused(trial, tmp_path, capsys, cut):
    folder = _xpt(trial.folder, cut)
    assert _analyze(folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert "adtte.xpt" in err and "truncated" in err


def test_whole_sas_xport_is_read(trial, tmp_path):
    folder = _xpt(trial.folder, lambda b: b)
    assert _analyze(folder, tmp_path) == 0


# --- tracebacks and silent acceptances --------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_out_of_range_dates_in_csv_name_file_variable_value_subject(trial, tmp_path, capsys,
                                                                    value):
    def placeholder(frame):
        frame.loc[0, "RANDDT"] = value
        return frame
    folder = trial("adsl", placeholder)
    who = pd.read_csv(folder / "adsl.csv", dtype=str)["USUBJID"][0]
    assert _analyze(folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert f"adsl.csv: RANDDT = {value} is outside the dates netter handles" in err
    assert f"(USUBJID {who})" in err


def test_out_of_range_dates_in_parquet(trial, tmp_path, capsys):
    frame = pd.read_csv(trial.folder / "adsl.csv", dtype=str)
    frame["RANDDT"] = [dt.date(9999, 12, 31)] + [dt.date(2014, 1, 1)] * (len(frame) - 1)
    (trial.folder / "adsl.csv").unlink()
    frame.to_parquet(trial.folder / "adsl.parquet")
    assert _analyze(trial.folder, tmp_path) == 1
    err = capsys.readouterr().err
    assert "adsl.parquet: RANDDT = 9999-12-31 is outside the dates" in err
    assert frame["USUBJID"][0] in err


def test_list_valued_parquet_column_is_refused(trial, tmp_path, capsys):
    frame = pd.read_csv(trial.folder / "adsl.csv", dtype=str)
    frame["STRAT1R"] = [["a", "b"]] * len(frame)
    (trial.folder / "adsl.csv").unlink()
    frame.to_parquet(trial.folder / "adsl.parquet")
    assert main(["validate", "--data", str(trial.folder)]) == 1
    assert ("adsl.parquet: STRAT1R holds lists or other non-scalar values"
            in capsys.readouterr().err)


def test_huge_aval_in_years_overflows_no_more(trial, tmp_path, capsys):
    def years(frame):
        frame.loc[0, "AVAL"] = "1.7e308"
        frame.loc[0, "AVALU"] = "YEARS"
        return frame
    folder = trial("adtte", years)
    assert main(["validate", "--data", str(folder)]) == 1
    assert "AVAL = 1.7e308 is beyond 100 years (YEARS)" in capsys.readouterr().err


def test_cnsr_that_does_not_fit_an_integer_is_refused(trial, tmp_path, capsys):
    folder = trial("adtte", lambda f: f.assign(CNSR=["1e20"] + list(f["CNSR"][1:])))
    assert main(["validate", "--data", str(folder)]) == 1
    assert "CNSR = 1e20 is too large for an integer code" in capsys.readouterr().err


def test_suspicious_data_warn_naming_subjects_and_strict_refuses(trial, tmp_path, capsys):
    adsl = pd.read_csv(trial.folder / "adsl.csv", dtype=str, keep_default_na=False)
    first = adsl["USUBJID"][0]
    trial("adsl", lambda f: f.assign(TRT01P=[f["TRT01P"][0].upper()] + list(f["TRT01P"][1:])))

    def off(frame):
        frame.loc[0, "AVAL"] = str(int(frame.loc[0, "AVAL"]) + 40)
        return frame
    trial("adtte", off)
    folder = trial("adrs", lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True))
    assert main(["validate", "--data", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "warning: adsl.csv: TRT01P = " in err and "only in case or spacing" in err
    assert f"(USUBJID {first})" in err
    assert "warning: adtte.csv: AVAL = " in err and "disagrees with ADT - STARTDT + 1" in err
    assert "warning: adrs.csv: 1 record repeats another exactly" in err
    assert main(["validate", "--strict", "--data", str(folder)]) == 1
    assert "ADaM data has warnings, refused with --strict (3 problems)" in capsys.readouterr().err


def test_formula_like_labels_and_ids_are_neutralised_in_csv(trial, tmp_path):
    def hostile(frame):
        arm = frame["TRT01P"] == frame["TRT01P"][0]
        frame.loc[arm, "TRT01P"] = '=HYPERLINK("http://x","click")'
        return frame
    folder = trial("adsl", hostile)
    out = tmp_path / "r.json"
    assert main(["analyze", "--quiet", "--data", str(folder), "--out", str(out),
                 "--reference", "Octreotide LAR 60 mg"]) == 0
    assert main(["tables", "--quiet", "--results", str(out), "--out", str(tmp_path / "t")]) == 0
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "t").glob("*.csv"))
    assert "'=HYPERLINK" in text
    assert not any(cell.startswith("=") for line in text.splitlines()
                   for cell in line.split(","))


@pytest.mark.parametrize("target", ["file", "unwritable", "devnull"])
def test_file_system_errors_are_one_line_not_a_traceback(tmp_path, capsys, target):
    results = tmp_path / "r.json"
    assert _analyze(PRIMARY, tmp_path) == 0
    if target == "file":
        out = tmp_path / "r.json" / "tables"  # under an existing file
    elif target == "unwritable":
        if _is_root():
            pytest.skip("running as root: folder permissions are not enforced")
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        out = locked / "tables"
    else:
        out = "/dev/null"
    assert main(["tables", "--results", str(results), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("netter tables: cannot use ") and "Traceback" not in err


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.parametrize("name", ["../../x", "/tmp/abs", "x/y", ".hidden", ""])
def test_name_is_a_file_stem_never_a_path(tmp_path, capsys, name):
    assert _analyze(PRIMARY, tmp_path) == 0
    with pytest.raises(SystemExit) as usage:
        main(["figures", "--results", str(tmp_path / "r.json"), "--out", str(tmp_path / "f"),
              "--name", name])
    assert usage.value.code == 2
    assert "is not a file stem" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


def test_results_files_get_the_usual_permissions(tmp_path):
    import os

    assert _analyze(PRIMARY, tmp_path) == 0
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o666 & ~mask


# --- rough edges ----------------------------------------------------------------------


def test_help_is_plain_text_and_documents_exit_codes(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "``" not in text and "exit status:" in text
    for code in ("0", "1", "2", "130"):
        assert f"\n  {code}" in text


def test_a_missing_results_file_names_what_exists(tmp_path, capsys):
    assert _analyze(PRIMARY, tmp_path) == 0
    assert main(["tables", "--results", str(tmp_path / "rr.json"), "--out",
                 str(tmp_path / "t")]) == 1
    err = capsys.readouterr().err
    assert "rr.json: file not found" in err and "r.json" in err and "Errno" not in err


def test_subgroups_notebook_prints_a_rare_level_as_not_estimable(tmp_path):
    """Three subjects with SEX = U: the notebook completes and prints NE where a value
    cannot be estimated (it used to format None with ``:.3f`` and stop ``make``)."""
    import os
    import subprocess
    import sys

    from tests.netter1 import DATA, ROOT

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    adsl = pd.read_csv(data / "primary" / "adsl.csv", dtype=str, keep_default_na=False)
    adsl.loc[adsl.index[:3], "SEX"] = "U"
    adsl.to_csv(data / "primary" / "adsl.csv", index=False)
    page = tmp_path / "subgroups.html"
    env = {**os.environ, "NETTER_STUDY": "netter1", "NETTER_DATA": str(data),
           "NETTER_RESULTS": str(tmp_path / "results")}
    run = subprocess.run([sys.executable, "-m", "netter.report", "notebooks", "--job",
                          str(ROOT / "studies/netter1/notebooks/subgroups.py"), str(page)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    text = page.read_text(encoding="utf-8")
    assert "SEX (interaction p = NE)" in text
    assert "U: n 3, HR not estimable (" in text


@pytest.mark.parametrize("command, expected", [
    (["subgroups", "--param", "DOR", "--vars", "SEX"], "ADTTE has no PARAMCD DOR; it has OS, PFS"),
    (["subgroups", "--param", "PFS", "--vars", "WEXP"], "ADSL has no variable WEXP (it has "),
    (["analyze", "--strata", "WEXP"], "ADSL has no variable WEXP (it has "),
])
def test_not_found_names_what_exists(tmp_path, capsys, command, expected):
    assert main([*command, "--reference", "Octreotide LAR 60 mg", "--data", str(PRIMARY),
                 "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert expected in err
    if "(it has " in expected:
        assert "USUBJID" in err and "TRT01P" in err


def test_an_arm_the_study_does_not_declare_is_refused_with_study(trial, tmp_path, capsys):
    def third(frame):
        frame.loc[frame.index[:5], "TRT01P"] = "Placebo"
        return frame
    folder = trial("adsl", third)
    assert _analyze(folder, tmp_path) == 1
    assert "'Placebo' that study 'netter1' does not declare" in capsys.readouterr().err


def test_data_warnings_are_grouped_one_line_per_kind(trial, tmp_path, capsys):
    def shifted(frame):
        frame["AVAL"] = [str(int(v) + 40) for v in frame["AVAL"]]
        return frame
    folder = trial("adtte", shifted)
    assert main(["validate", "--data", str(folder)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert len(lines) == 1 and "cases]" in lines[0] and "and " in lines[0]


def test_a_csv_record_with_too_few_fields_is_refused(trial, tmp_path, capsys):
    path = trial.folder / "adtte.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0]  # one field lost
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--data", str(trial.folder)]) == 1
    assert "adtte.csv: record 3 (line 4) has" in capsys.readouterr().err


def test_a_csv_cell_over_the_csv_module_limit_is_read_like_pandas(trial, tmp_path, capsys):
    # The csv module refuses cells over 128 KiB (found by make fuzz, case 137); pandas
    # reads them, so the field count check must too, and leave its limit as it was.
    import csv
    limit = csv.field_size_limit()

    def long_label(frame):
        frame.loc[0, "AGEGR1"] = "x" * 200_000
        return frame
    folder = trial("adsl", long_label)
    assert main(["validate", "--data", str(folder)]) == 0
    assert csv.field_size_limit() == limit
    capsys.readouterr()


def test_reference_arm_in_another_case_gets_a_hint(tmp_path, capsys):
    assert main(["analyze", "--data", str(PRIMARY), "--reference", "octreotide lar 60 mg",
                 "--out", str(tmp_path / "x.json")]) == 1
    assert "did you mean 'Octreotide LAR 60 mg'?" in capsys.readouterr().err


def test_fullwidth_digits_are_not_a_date(trial, tmp_path, capsys):
    def wide(frame):
        frame.loc[0, "RANDDT"] = "２０１５-０１-０１"
        return frame
    folder = trial("adsl", wide)
    assert main(["validate", "--data", str(folder)]) == 1
    assert "is not a valid YYYY-MM-DD date" in capsys.readouterr().err
