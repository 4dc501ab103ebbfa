"""Reading: formats, names in any case, file discovery, and files that cannot be read."""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from netter.adam.io import AdamData, find_datasets, load_adam, read_dataset
from netter.errors import AdamError

DATE_COLUMNS = {"adsl": ["RANDDT"], "adtte": ["STARTDT", "ADT"], "adrs": ["ADT"]}


def _write_xpt(frame: pd.DataFrame, path, dates: list[str]) -> None:
    """SAS XPORT v5 with lower-case names and SAS dates (days since 1960)."""
    out = frame.copy()
    for var in dates:
        out[var] = out[var].dt.date
    out.columns = [c.lower() for c in out.columns]
    pyreadstat.write_xport(out, os.fspath(path), file_format_version=5)


@pytest.fixture
def formats(tmp_path, adsl, adtte, adrs):
    """The same trial as CSV, Parquet and XPT folders; returns {format: folder}."""
    folders = {fmt: tmp_path / fmt for fmt in ("csv", "parquet", "xpt")}
    for folder in folders.values():
        folder.mkdir()
    for name, frame in {"adsl": adsl, "adtte": adtte, "adrs": adrs}.items():
        frame.to_csv(folders["csv"] / f"{name}.csv", index=False)
        typed = read_dataset(folders["csv"] / f"{name}.csv")
        typed.to_parquet(folders["parquet"] / f"{name}.parquet")
        _write_xpt(typed, folders["xpt"] / f"{name.upper()}.XPT", DATE_COLUMNS[name])
    return folders


# --- formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["adsl", "adtte", "adrs"])
def test_csv_parquet_and_xpt_read_equal(formats, dataset):
    from_csv = read_dataset(formats["csv"] / f"{dataset}.csv")
    from_parquet = read_dataset(formats["parquet"] / f"{dataset}.parquet")
    from_xpt = read_dataset(formats["xpt"] / f"{dataset.upper()}.XPT")
    pd.testing.assert_frame_equal(from_parquet, from_csv)
    pd.testing.assert_frame_equal(from_xpt, from_csv)


def test_load_adam_equal_across_formats(formats):
    loaded = {fmt: load_adam(folder) for fmt, folder in formats.items()}
    for fmt in ("parquet", "xpt"):
        for dataset in ("adsl", "adtte", "adrs"):
            pd.testing.assert_frame_equal(
                getattr(loaded[fmt], dataset), getattr(loaded["csv"], dataset)
            )
    assert loaded["xpt"].files["adsl"].endswith("ADSL.XPT")


def test_types(formats):
    adtte = read_dataset(formats["csv"] / "adtte.csv")
    assert adtte["AVAL"].dtype == np.float64
    assert adtte["CNSR"].dtype == np.int64
    assert adtte["ADT"].dtype == "datetime64[ns]"
    assert adtte["ADT"].iloc[0] == pd.Timestamp("2014-01-08")  # 2013-09-11 + 119 days
    assert adtte["EVNTDESC"].isna().sum() == 6  # "" became missing
    assert read_dataset(formats["csv"] / "adsl.csv")["AGE"].dtype == np.float64


def test_parquet_dates_as_date_objects(tmp_path, adrs):
    adrs["ADT"] = pd.to_datetime(adrs["ADT"]).dt.date  # pyarrow date32
    adrs.to_parquet(tmp_path / "adrs.pq")
    frame = read_dataset(tmp_path / "adrs.pq")
    assert frame["ADT"].dtype == "datetime64[ns]"
    assert frame["ADT"].iloc[0] == pd.Timestamp(adrs["ADT"].iloc[0])


def test_text_is_stripped_and_names_upper_cased(tmp_path):
    path = tmp_path / "adsl.csv"
    path.write_text("\ufeffUsubjid , trt01p,age\n NETTER1-001-0001 ,  177Lu-DOTATATE , 61\n",
                    encoding="utf-8")
    frame = read_dataset(path)
    assert list(frame.columns) == ["USUBJID", "TRT01P", "AGE"]
    assert frame.iloc[0].tolist() == ["NETTER1-001-0001", "177Lu-DOTATATE", 61.0]


def test_read_dataset_lists_every_value_it_cannot_type(tmp_path):
    path = tmp_path / "adtte.csv"
    path.write_text("USUBJID,AVAL,CNSR\nS1,ten,0\nS2,5,maybe\nS3,7,1\n")
    with pytest.raises(AdamError) as info:
        read_dataset(path)
    message = str(info.value)
    assert "adtte.csv: AVAL = ten is not a number (USUBJID S1)" in message
    assert "adtte.csv: CNSR = maybe is not a non-negative integer (USUBJID S2)" in message


# --- files that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("adsl.csv", b"", "empty file (0 bytes)"),
        ("adsl.parquet", b"", "empty file (0 bytes)"),
        ("adsl.xpt", b"", "empty file (0 bytes)"),
        ("adsl.csv", b"USUBJID,TRT01P\n", "no records"),
        ("adsl.csv", b"\n\n", "no header and no records"),
        ("adsl.csv", b"USUBJID,TRT01P\nS1,A\nS2,B,extra\n", "cannot be read as CSV"),
        ("adsl.csv", b"USUBJID,TRT01P\nS1,Caf\xe9\n", "not UTF-8 text"),
        ("adsl.csv", b"USUBJID;TRT01P\nS1;A\n", "looks separated by ';'"),
        ("adsl.csv", b"USUBJID,TRT01P,usubjid\nS1,A,S1\n", "variable named more than once"),
        ("adsl.csv", b"USUBJID,,TRT01P\nS1,x,A\n", "empty variable name in column 2"),
        ("adsl.parquet", b"PAR1 this is not parquet", "cannot be read as Parquet"),
        ("adsl.pq", b"USUBJID,TRT01P\nS1,A\n", "cannot be read as Parquet"),
        ("adsl.xpt", b"USUBJID,TRT01P\nS1,A\n", "cannot be read as SAS XPORT"),
        ("adsl.txt", b"USUBJID,TRT01P\nS1,A\n", "unknown suffix '.txt'"),
    ],
)
def test_unreadable_file_is_named(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AdamError) as info:
        read_dataset(path)
    assert f"{path}: {expected}" in str(info.value)


def test_empty_parquet_and_xpt_have_no_records(tmp_path, adsl):
    adsl.iloc[:0].to_parquet(tmp_path / "adsl.parquet")
    pyreadstat.write_xport(adsl.iloc[:0], os.fspath(tmp_path / "adsl.xpt"), file_format_version=5)
    for name in ("adsl.parquet", "adsl.xpt"):
        with pytest.raises(AdamError, match=f"{name}: no records"):
            read_dataset(tmp_path / name)


def test_xpt_zeros_are_zero(tmp_path):
    frame = pd.DataFrame({"USUBJID": ["S1", "S2", "S3"], "CNSR": [0.0, 1.0, 0.0],
                          "AVAL": [0.0, -0.0, 12.5]})
    pyreadstat.write_xport(frame, os.fspath(tmp_path / "adtte.xpt"), file_format_version=5)
    read = read_dataset(tmp_path / "adtte.xpt")
    assert read["CNSR"].tolist() == [0, 1, 0]
    assert read["AVAL"].tolist() == [0.0, 0.0, 12.5]


def test_unreadable_and_invalid_files_reported_together(trial, adtte, load_error):
    (trial / "adrs.csv").write_bytes(b"")
    adtte.loc[0, "AVAL"] = "-3"
    adtte.to_csv(trial / "adtte.csv", index=False)
    message = load_error(trial)
    assert "adrs.csv: empty file (0 bytes)" in message
    assert "adtte.csv: AVAL = -3 is negative (USUBJID NETTER1-001-0001)" in message


def test_missing_explicit_file(trial, load_error):
    message = load_error(trial, adrs=trial / "elsewhere" / "adrs.csv")
    assert f"{trial / 'elsewhere' / 'adrs.csv'}: file not found" in message


# --- finding files -------------------------------------------------------------------------


def test_file_names_in_any_case(tmp_path, adsl, adtte, adrs):
    adsl.to_csv(tmp_path / "ADSL.CSV", index=False)
    adtte.to_csv(tmp_path / "AdTtE.Csv", index=False)
    adrs.to_csv(tmp_path / "adrs.csv", index=False)
    (tmp_path / "adsl_old.csv").write_text("junk")
    (tmp_path / "README.txt").write_text("junk")
    data = load_adam(tmp_path)
    assert data.files == {
        "adsl": os.path.join(os.fspath(tmp_path), "ADSL.CSV"),
        "adtte": os.path.join(os.fspath(tmp_path), "AdTtE.Csv"),
        "adrs": os.path.join(os.fspath(tmp_path), "adrs.csv"),
    }


def test_files_are_paths_as_given(trial, monkeypatch):
    monkeypatch.chdir(trial.parent)
    data = load_adam(trial.name, adrs=f"./{trial.name}/adrs.csv")
    assert data.files == {
        "adsl": os.path.join(trial.name, "adsl.csv"),
        "adtte": os.path.join(trial.name, "adtte.csv"),
        "adrs": f"./{trial.name}/adrs.csv",
    }


def test_two_files_for_one_dataset(trial, adsl, load_error):
    adsl.to_parquet(trial / "ADSL.parquet")
    message = load_error(trial)
    assert f"{trial}: 2 files for ADSL: ADSL.parquet, adsl.csv" in message
    with pytest.raises(AdamError, match="ADSL.parquet, adsl.csv"):
        find_datasets(trial)


def test_explicit_file_overrides_discovery(trial, adsl, adtte, tmp_path_factory):
    adsl.to_parquet(trial / "ADSL.parquet")  # ambiguous in the folder ...
    data = load_adam(trial, adsl=trial / "ADSL.parquet")  # ... but named explicitly
    assert data.files["adsl"] == os.fspath(trial / "ADSL.parquet")
    other = tmp_path_factory.mktemp("other") / "tte.csv"
    adtte.iloc[:2].to_csv(other, index=False)
    assert len(load_adam(trial, adsl=trial / "adsl.csv", adtte=other).adtte) == 2


def test_explicit_files_without_folder(trial):
    data = load_adam(adsl=trial / "adsl.csv", adtte=trial / "adtte.csv")
    assert data.adrs is None and set(data.files) == {"adsl", "adtte"}


def test_adrs_is_optional(write_csv, adsl, adtte):
    data = load_adam(write_csv(adsl=adsl, adtte=adtte))
    assert data.adrs is None and "adrs" not in data.files


def test_adtte_is_required(write_csv, adsl, load_error):
    folder = write_csv(adsl=adsl)
    (folder / "adtte.sas7bdat").write_bytes(b"\x00")
    message = load_error(folder)
    assert f"{folder}: no ADTTE file" in message
    assert "found adtte.sas7bdat, which netter cannot read" in message


def test_adsl_is_required(write_csv, adtte, load_error):
    folder = write_csv(adtte=adtte)
    assert f"{folder}: no ADSL file" in load_error(folder)
    assert "no ADSL file given" in load_error(adtte=folder / "adtte.csv")


def test_no_such_folder(tmp_path, load_error):
    assert f"{tmp_path / 'nope'}: no such folder" in load_error(tmp_path / "nope")


def test_adam_data_is_frozen(trial):
    data = load_adam(trial)
    assert isinstance(data, AdamData) and data.arm_var == "TRT01P"
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.arm_var = "TRT01A"


def test_date_values_of_every_origin():
    from netter.adam.checks import to_dates

    values = pd.Series(
        ["2015-01-02", 20090.0, pd.Timestamp("2015-01-02 13:00", tz="UTC"),
         pd.Timestamp("2015-01-02").date(), None, pd.NaT,
         "2015-01-02T00:00", "02JAN2015", 1.7e9, 12.5, "2015-02-29"],
        dtype=object,
    )
    dates, bad = to_dates(values)
    assert dates.dtype == "datetime64[ns]"
    assert dates.iloc[:4].tolist() == [pd.Timestamp("2015-01-02")] * 4
    assert bad.tolist() == [False] * 6 + [True] * 5  # SAS datetimes (seconds) are refused
