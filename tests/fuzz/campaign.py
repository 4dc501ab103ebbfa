"""A fuzzing campaign over the CLI: mutated synthetic ADaM files through ``netter validate``
and ``netter analyze``, in-process, with a fixed seed (``make fuzz``; not part of ``make test``).

Each case starts from one cut-off of the synthetic NETTER-1 trial (all text, as the CSV
files hold it), applies one to three mutations (cells, columns, records, datasets,
subjects, the bytes of a file, the files of the folder), writes the datasets as CSV,
Parquet or SAS XPORT v5, and runs::

    netter validate --data CASE
    netter analyze --data CASE --study netter1 --out CASE/results.json --quiet

through :func:`netter.cli.main`.  Every run is classified:

* **accepted**: exit status 0;
* **error**: exit status 1 (a clear error when standard error names one of the case's
  files or its folder; the others are listed as *errors that name no file*);
* **traceback**: an exception escaped ``main``, or an exit status other than 0 and 1.

Warnings other than :class:`netter.errors.DataWarning` that reach the user are listed too
(*stray warnings*).  The summary (``summary.md``, ``summary.json`` under ``--out``) counts
cases and outcomes and shows, for each kind of traceback (exception type and the deepest
netter frame), how many cases hit it and the first one in full: its mutations, command and
traceback.  Cases are reproducible one by one::

    python -m tests.fuzz.campaign --seed 1 --case 17 --keep /tmp/case17

writes case 17's files to ``/tmp/case17`` and prints both commands' output.

Examples
--------
>>> rng = random.Random("doc")
>>> frames = {"adsl": pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["x", "y"]})}
>>> step = OPERATORS["cell_blank"](rng, frames)
>>> step.startswith("adsl: ") and int(frames["adsl"].isna().sum().sum()) == 1
True
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT / "data" / "synthetic" / "netter1"
DATASETS = ("adsl", "adtte", "adrs")
NETTER_DIR = str(ROOT / "netter")

#: Variables mutations aim at more often than the others (those the rules and analyses use).
KEYS = {
    "adsl": ["USUBJID", "TRT01P", "RANDDT", "STRAT1R", "STRAT2R", "AGE", "ITTFL", "SEX",
             "TUMGRD", "LIVBURD"],
    "adtte": ["USUBJID", "PARAMCD", "AVAL", "CNSR", "AVALU", "STARTDT", "ADT"],
    "adrs": ["USUBJID", "PARAMCD", "AVALC", "ADT", "ADY", "AVISITN"],
}
NUMERIC = {"AVAL", "CNSR", "AGE", "ADY", "AVISITN"}
DATES = {"RANDDT", "STARTDT", "ADT", "DTHDT", "LSTALVDT", "XOVERDT", "DCUTDT"}

NUMBERS_TEXT = [
    "-1", "-0", "0", "0.0", "1e-300", "5e-324", "1e-9", "0.5", "1.5", "36525", "36526",
    "1e15", "1e308", "1.8e308", "inf", "-inf", "Infinity", "nan", "NaN", "2147483647",
    "2147483648", "9223372036854775808", "-9223372036854775809", "1e400", "0x10", "1_0",
    "\u0661\u0662", "\uff11\uff12", "1,5", "+3", " 7 ", "1e", ".", "-", "1.0.0", "\u00bd",
]
DATES_TEXT = [
    "9999-12-31", "0001-01-01", "1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12",
    "1960-01-01", "1900-02-29", "2016-02-29", "2015-02-29", "2015-13-01", "2015-00-10",
    "2015-1-1", "20150101", "2015/01/01", "01JAN2015", "2015-01-01T12:00", "2015-01-01 ",
    "2015-W01-1", "+2015-01-01", "\uff12\uff10\uff11\uff15-01-01", "2015-01-01\u200b",
    "2015-07-24", "1999-01-01", "2030-01-01",
]
TEXT = [
    "", " ", "\t", "NA", "N/A", "None", "NULL", ".", "=1+1", "=HYPERLINK(\"http://x\",\"y\")",
    "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\u202eRTL", "\u00e9", "e\u0301", "\u00a0",
    "\u200b", "\U0001F9EA", "a\nb", "a\r\nb", "\"", "'", ",", ";", "\\", "\x00", "\x1b[31m",
    "\x7f", "x" * 5000, "<script>alert(1)</script>", "{}", "[1, 2]", "${HOME}", "%s%n",
    "PFS", "pfs", "OS", "TTDGHS", "OVR", "ovr", "BOR", "CR", "cr", "PR", "SD", "PD", "NE",
    "MR", "DAYS", "days", "WEEKS", "MONTHS", "YEARS", "HOURS", "Y", "N", "y", "M", "F",
    "177Lu-DOTATATE", "177lu-dotatate", " 177Lu-DOTATATE", "Octreotide LAR 60 mg",
    "octreotide  lar 60 mg", "Placebo", "NETTER-1-001-0014", "NETTER-1-001-9999",
]


def _unicode(rng: random.Random, size: int | None = None) -> str:
    """Random text from awkward parts of Unicode (no surrogates: files are UTF-8)."""
    ranges = [(0x00, 0x1F), (0x20, 0x7E), (0x80, 0xFF), (0x300, 0x36F), (0x590, 0x6FF),
              (0x200B, 0x202E), (0x4E00, 0x4E40), (0xFF01, 0xFF5E), (0x1F300, 0x1F64F),
              (0xFFF0, 0xFFFF)]
    size = rng.randint(1, 12) if size is None else size
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(size))


def weird_value(rng: random.Random, variable: str = "") -> str | None:
    """A value to put in a cell: typed for the variable more often than not."""
    roll = rng.random()
    if roll < 0.05:
        return None
    if variable in NUMERIC and roll < 0.6:
        return rng.choice(NUMBERS_TEXT)
    if variable in DATES and roll < 0.6:
        return rng.choice(DATES_TEXT)
    pool = rng.choice(["numbers", "dates", "text", "text", "unicode", "number"])
    if pool == "numbers":
        return rng.choice(NUMBERS_TEXT)
    if pool == "dates":
        return rng.choice(DATES_TEXT)
    if pool == "unicode":
        return _unicode(rng)
    if pool == "number":
        return repr(rng.choice([rng.uniform(-1e6, 1e6), rng.randint(-(2**70), 2**70),
                                10.0 ** rng.randint(-320, 310)]))
    return rng.choice(TEXT)


# --- mutations of the frames (text cells: str or None) -----------------------------------


def _dataset(rng, frames, *, need_rows=True) -> str:
    present = [d for d in DATASETS if frames.get(d) is not None
               and (len(frames[d]) or not need_rows) and len(frames[d].columns)]
    return rng.choice(present or [d for d in DATASETS if frames.get(d) is not None])


def _column(rng, frames, dataset) -> str:
    names = list(frames[dataset].columns)
    keys = [n for n in KEYS[dataset] if n in names]
    return rng.choice(keys) if keys and rng.random() < 0.7 else rng.choice(names)


def _row(rng, frame) -> int:
    return rng.randrange(len(frame))


def _set(frame, row, name, value) -> None:
    frame.iat[row, list(frame.columns).index(name)] = value


def op_cell_weird(rng, frames):
    d = _dataset(rng, frames)
    name = _column(rng, frames, d)
    frame = frames[d]
    row = _row(rng, frame)
    old, value = frame.iloc[row][name], weird_value(rng, name)
    _set(frame, row, name, value)
    return f"{d}: {name}[{row}] {old!r} -> {value!r}"


def op_cell_blank(rng, frames):
    d = _dataset(rng, frames)
    name = _column(rng, frames, d)
    row = _row(rng, frames[d])
    _set(frames[d], row, name, None)
    return f"{d}: {name}[{row}] blanked"


def op_cells_many(rng, frames):
    d = _dataset(rng, frames)
    name = _column(rng, frames, d)
    frame = frames[d]
    rows = rng.sample(range(len(frame)), k=min(len(frame), rng.randint(2, 30)))
    value = weird_value(rng, name)
    for row in rows:
        _set(frame, row, name, value)
    return f"{d}: {name} = {value!r} in {len(rows)} records"


def op_fill_column(rng, frames):
    d = _dataset(rng, frames)
    name = _column(rng, frames, d)
    frame = frames[d]
    value = rng.choice([weird_value(rng, name), frame[name].iloc[0]])
    frame[name] = [value] * len(frame)
    return f"{d}: every {name} = {value!r}"


def op_recase_values(rng, frames):
    d = _dataset(rng, frames)
    name = rng.choice([n for n in ("TRT01P", "PARAMCD", "AVALC", "AVALU", "USUBJID", "SEX")
                       if n in frames[d]] or list(frames[d].columns))
    frame = frames[d]
    how = rng.choice(["lower", "upper", "swapcase", "title", "pad"])
    rows = rng.sample(range(len(frame)), k=rng.randint(1, len(frame)))
    for row in rows:
        old = frame.iloc[row][name]
        if isinstance(old, str):
            new = f"  {old}  " if how == "pad" else getattr(old, how)()
            _set(frame, row, name, new)
    return f"{d}: {name} {how} in {len(rows)} records"


def op_shuffle_column(rng, frames):
    d = _dataset(rng, frames)
    name = _column(rng, frames, d)
    values = list(frames[d][name])
    rng.shuffle(values)
    frames[d][name] = values
    return f"{d}: {name} shuffled"


def op_swap_columns(rng, frames):
    d = _dataset(rng, frames)
    a, b = _column(rng, frames, d), rng.choice(list(frames[d].columns))
    frame = frames[d]
    va, vb = list(frame[a]), list(frame[b])
    frame[a], frame[b] = vb, va
    return f"{d}: values of {a} and {b} swapped"


def op_scale_aval(rng, frames):
    frame = frames.get("adtte")
    if frame is None or "AVAL" not in frame or not len(frame):
        return op_cell_weird(rng, frames)
    factor = rng.choice([0, 1e-9, 1e-3, 7, 30.4375, 365.25, 1e3, 1e6, -1])
    frame["AVAL"] = [None if v is None else _scaled(v, factor) for v in frame["AVAL"]]
    return f"adtte: AVAL x {factor}"


def _scaled(value, factor) -> str:
    try:
        return repr(float(value) * factor)
    except ValueError:
        return value


def op_drop_column(rng, frames):
    d = _dataset(rng, frames, need_rows=False)
    name = _column(rng, frames, d)
    frames[d] = frames[d].drop(columns=[name])
    return f"{d}: {name} dropped"


def op_repeat_column(rng, frames):
    d = _dataset(rng, frames, need_rows=False)
    name = _column(rng, frames, d)
    twin = rng.choice([name, name.lower(), f" {name}", name.title()])
    where = list(frames[d].columns).index(name)
    copy = frames[d].iloc[:, [where]].set_axis([twin], axis=1)
    frames[d] = pd.concat([frames[d], copy], axis=1)
    return f"{d}: {name} repeated as {twin!r}"


def op_rename_column(rng, frames):
    d = _dataset(rng, frames, need_rows=False)
    name = _column(rng, frames, d)
    new = rng.choice([name.lower(), name.title(), f" {name} ", f"{name}2", name[:-1], "",
                      "TRT01A", "ARM", "AVAL", "USUBJID", "\u00e9", _unicode(rng, 3)])
    names = list(frames[d].columns)
    names[names.index(name)] = new
    frames[d] = frames[d].set_axis(names, axis=1)
    return f"{d}: {name} renamed {new!r}"


def op_lowercase_names(rng, frames):
    d = _dataset(rng, frames, need_rows=False)
    frames[d] = frames[d].set_axis([n.lower() for n in frames[d].columns], axis=1)
    return f"{d}: variable names in lower case"


def op_repeat_records(rng, frames):
    d = _dataset(rng, frames)
    frame = frames[d]
    rows = [_row(rng, frame) for _ in range(rng.randint(1, 5))]
    frames[d] = pd.concat([frame, frame.iloc[rows]], ignore_index=True)
    return f"{d}: records {rows} repeated"


def op_drop_records(rng, frames):
    d = _dataset(rng, frames)
    frame = frames[d]
    keep = rng.choice([0, 1, 2, rng.randint(0, len(frame))])
    rows = sorted(rng.sample(range(len(frame)), k=min(keep, len(frame))))
    frames[d] = frame.iloc[rows].reset_index(drop=True)
    return f"{d}: {len(rows)} of {len(frame)} records kept"


def op_shuffle_records(rng, frames):
    d = _dataset(rng, frames)
    order = list(range(len(frames[d])))
    rng.shuffle(order)
    frames[d] = frames[d].iloc[order].reset_index(drop=True)
    return f"{d}: records shuffled"


def _subjects(frames) -> list[str]:
    adsl = frames.get("adsl")
    if adsl is None or "USUBJID" not in adsl:
        return []
    return [s for s in adsl["USUBJID"] if isinstance(s, str)]


def _keep_subjects(frames, keep: set[str]) -> None:
    for d in DATASETS:
        frame = frames.get(d)
        if frame is not None and "USUBJID" in frame:
            frames[d] = frame[frame["USUBJID"].isin(keep)].reset_index(drop=True)


def op_few_subjects(rng, frames):
    ids = _subjects(frames)
    if not ids:
        return op_drop_records(rng, frames)
    k = rng.choice([1, 2, 3, 4, 5, 8, 12, 20, 40])
    _keep_subjects(frames, set(rng.sample(ids, k=min(k, len(ids)))))
    return f"all datasets: {min(k, len(ids))} subjects kept"


def op_orphan_subject(rng, frames):
    ids = _subjects(frames)
    if not ids:
        return op_cell_weird(rng, frames)
    who = rng.choice(ids)
    d = rng.choice(["adsl", "adtte", "adrs"])
    frame = frames.get(d)
    if frame is None or "USUBJID" not in frame:
        return op_cell_weird(rng, frames)
    if d == "adsl":
        frames[d] = frame[frame["USUBJID"] != who].reset_index(drop=True)
        return f"adsl: subject {who} removed (records left in the others)"
    new = rng.choice([who.lower(), f"{who} ", who + "X", who.replace("-", "")])
    frame.loc[frame["USUBJID"] == who, "USUBJID"] = new
    return f"{d}: subject {who} renamed {new!r}"


def op_numeric_ids(rng, frames):
    """Subject ids that look like numbers, the same in every dataset (typed files then
    hold them as numbers: int64 in Parquet, floats in XPORT, text in CSV)."""
    ids = _subjects(frames)
    if not ids:
        return op_cell_weird(rng, frames)
    style = rng.choice(["plain", "zeros", "decimal"])
    new = {s: {"plain": str(1000 + i), "zeros": f"{i:05d}", "decimal": f"{i}.5"}[style]
           for i, s in enumerate(ids)}
    for d in DATASETS:
        frame = frames.get(d)
        if frame is not None and "USUBJID" in frame:
            frame["USUBJID"] = [new.get(v, v) for v in frame["USUBJID"]]
    return f"all datasets: USUBJID as numbers ({style})"


def _arm_values(frames) -> list[str]:
    adsl = frames.get("adsl")
    if adsl is None or "TRT01P" not in adsl:
        return []
    return sorted({v for v in adsl["TRT01P"] if isinstance(v, str)})


def op_arm_labels(rng, frames):
    arms = _arm_values(frames)
    if not arms:
        return op_cell_weird(rng, frames)
    adsl = frames["adsl"]
    arm = rng.choice(arms)
    how = rng.choice(["rename", "third", "merge", "case"])
    mask = adsl["TRT01P"] == arm
    if how == "rename":
        new = rng.choice(["Placebo", arm.upper(), "=cmd()", _unicode(rng), arm + " "])
        adsl.loc[mask, "TRT01P"] = new
        return f"adsl: arm {arm!r} relabelled {new!r}"
    if how == "third":
        rows = [i for i in np.flatnonzero(mask.to_numpy()) if rng.random() < 0.3]
        adsl.loc[adsl.index[rows], "TRT01P"] = "Placebo"
        return f"adsl: {len(rows)} subjects of {arm!r} moved to a third arm 'Placebo'"
    if how == "merge":
        adsl["TRT01P"] = arm
        return f"adsl: every subject in arm {arm!r}"
    rows = [i for i in np.flatnonzero(mask.to_numpy()) if rng.random() < 0.2]
    adsl.loc[adsl.index[rows], "TRT01P"] = arm.swapcase()
    return f"adsl: {len(rows)} subjects of {arm!r} as {arm.swapcase()!r}"


def op_endpoint_shape(rng, frames):
    """An endpoint with no events, all events at 0, one arm only, one record, ..."""
    adtte = frames.get("adtte")
    if adtte is None or not {"PARAMCD", "USUBJID"} <= set(adtte.columns) or not len(adtte):
        return op_cell_weird(rng, frames)
    params = sorted({p for p in adtte["PARAMCD"] if isinstance(p, str)}) or ["PFS"]
    param = rng.choice(params)
    mask = (adtte["PARAMCD"] == param).to_numpy()
    how = rng.choice(["censored", "events", "zero", "one_arm", "one_record", "ties",
                      "drop_param"])
    if how == "censored" and "CNSR" in adtte:
        adtte.loc[mask, "CNSR"] = "1"
    elif how == "events" and "CNSR" in adtte:
        adtte.loc[mask, "CNSR"] = "0"
    elif how == "zero" and "AVAL" in adtte:
        adtte.loc[mask, "AVAL"] = "0"
        if "CNSR" in adtte:
            adtte.loc[mask, "CNSR"] = rng.choice(["0", "1"])
    elif how == "ties" and "AVAL" in adtte:
        adtte.loc[mask, "AVAL"] = rng.choice(["1", "30", "100"])
    elif how == "one_arm":
        arms = _arm_values(frames)
        if arms:
            arm = rng.choice(arms)
            adsl = frames["adsl"]
            ids = set(adsl.loc[adsl["TRT01P"] == arm, "USUBJID"])
            frames["adtte"] = adtte[~(mask & adtte["USUBJID"].isin(ids).to_numpy())
                                    ].reset_index(drop=True)
            return f"adtte: {param} without arm {arm!r}"
    elif how == "one_record":
        rows = np.flatnonzero(mask)
        drop = set(rows[1:].tolist())
        frames["adtte"] = adtte[[i not in drop for i in range(len(adtte))]
                                ].reset_index(drop=True)
    else:
        frames["adtte"] = adtte[~mask].reset_index(drop=True)
        how = "drop_param"
    return f"adtte: {param} {how}"


def op_units(rng, frames):
    adtte = frames.get("adtte")
    if adtte is None or not len(adtte):
        return op_cell_weird(rng, frames)
    unit = rng.choice(["WEEKS", "MONTHS", "YEARS", "weeks", "HOURS", "", None])
    if rng.random() < 0.5:
        adtte["AVALU"] = unit
        return f"adtte: every AVALU = {unit!r}"
    row = _row(rng, adtte)
    if "AVALU" not in adtte:
        adtte["AVALU"] = "DAYS"
    _set(adtte, row, "AVALU", unit)
    return f"adtte: AVALU[{row}] = {unit!r}"


def op_drop_dataset(rng, frames):
    d = rng.choices(DATASETS, weights=[1, 1, 4])[0]
    frames[d] = None
    return f"{d}: left out"


def op_header_only(rng, frames):
    d = _dataset(rng, frames, need_rows=False)
    frames[d] = frames[d].iloc[:0]
    return f"{d}: header only (no records)"


OPERATORS = {
    "cell_weird": op_cell_weird, "cell_blank": op_cell_blank, "cells_many": op_cells_many,
    "fill_column": op_fill_column, "recase_values": op_recase_values,
    "shuffle_column": op_shuffle_column, "swap_columns": op_swap_columns,
    "scale_aval": op_scale_aval, "drop_column": op_drop_column,
    "repeat_column": op_repeat_column, "rename_column": op_rename_column,
    "lowercase_names": op_lowercase_names, "repeat_records": op_repeat_records,
    "drop_records": op_drop_records, "shuffle_records": op_shuffle_records,
    "few_subjects": op_few_subjects, "orphan_subject": op_orphan_subject,
    "arm_labels": op_arm_labels, "endpoint_shape": op_endpoint_shape, "units": op_units,
    "drop_dataset": op_drop_dataset, "header_only": op_header_only,
    "numeric_ids": op_numeric_ids,
}
#: Relative frequency of each operator.
WEIGHTS = {"cell_weird": 8, "cell_blank": 3, "cells_many": 3, "fill_column": 2,
           "recase_values": 2, "shuffle_column": 2, "swap_columns": 1, "scale_aval": 2,
           "drop_column": 2, "repeat_column": 1, "rename_column": 2, "lowercase_names": 1,
           "repeat_records": 2, "drop_records": 1, "shuffle_records": 1, "few_subjects": 4,
           "orphan_subject": 2, "arm_labels": 3, "endpoint_shape": 4, "units": 2,
           "drop_dataset": 1, "header_only": 1, "numeric_ids": 2}


# --- mutations of the bytes of a file ----------------------------------------------------


def _lines(content: bytes) -> list[bytes]:
    return content.split(b"\n")


def bytes_csv(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    """One mutation of a CSV file's bytes."""
    how = rng.choice(["bom", "crlf", "cr", "latin1", "utf16", "truncate", "nul", "semicolon",
                      "tab", "quote", "extra_field", "missing_field", "blank_lines",
                      "empty", "spaces", "garbage", "header_again", "comment", "long_cell",
                      "no_final_newline"])
    lines = _lines(content)
    pos = rng.randrange(max(len(content), 1))
    line = rng.randrange(max(len(lines) - 1, 1))
    if how == "bom":
        out = b"\xef\xbb\xbf" + content
    elif how == "crlf":
        out = content.replace(b"\n", b"\r\n")
    elif how == "cr":
        out = content.replace(b"\n", b"\r")
    elif how == "latin1":
        out = content[:pos] + "\u00e9".encode("latin-1") + content[pos:]
    elif how == "utf16":
        out = content.decode("utf-8").encode("utf-16")
    elif how == "truncate":
        out = content[:pos]
    elif how == "nul":
        out = content[:pos] + b"\x00" + content[pos:]
    elif how == "semicolon":
        out = content.replace(b",", b";")
    elif how == "tab":
        out = content.replace(b",", b"\t")
    elif how == "quote":
        out = content[:pos] + b'"' + content[pos:]
    elif how == "extra_field":
        lines[line] += b",extra"
        out = b"\n".join(lines)
    elif how == "missing_field":
        lines[line] = lines[line].rsplit(b",", 1)[0]
        out = b"\n".join(lines)
    elif how == "blank_lines":
        lines.insert(line + 1, b"")
        lines.insert(line + 1, b"  ")
        out = b"\n".join(lines)
    elif how == "empty":
        out = b""
    elif how == "spaces":
        out = b"   \n\n"
    elif how == "garbage":
        out = content + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif how == "header_again":
        lines.insert(line + 1, lines[0])
        out = b"\n".join(lines)
    elif how == "comment":
        lines.insert(rng.choice([0, 1]), b"# exported by hand")
        out = b"\n".join(lines)
    elif how == "long_cell":
        out = content[:pos] + b"x" * 200_000 + content[pos:]
    else:
        out = content.rstrip(b"\n")
    return out, how


def bytes_binary(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    """One mutation of a Parquet or XPORT file's bytes."""
    how = rng.choice(["truncate", "truncate80", "flip", "garbage", "empty"])
    pos = rng.randrange(max(len(content), 1))
    if how == "truncate":
        return content[:pos], how
    if how == "truncate80":
        return content[: max(pos // 80 * 80, 80)], how
    if how == "flip":
        return content[:pos] + bytes([content[pos] ^ 0xFF]) + content[pos + 1:], how
    if how == "garbage":
        return content + bytes(rng.randrange(256) for _ in range(80)), how
    return b"", how


# --- writing a case ----------------------------------------------------------------------


def typed_guess(frame: pd.DataFrame, date_as_date: bool = False) -> pd.DataFrame:
    """What a typed export holds: numbers as numbers, ISO dates as dates, the rest text.

    Examples
    --------
    >>> typed_guess(pd.DataFrame({"AVAL": ["1", None], "ADT": ["2015-01-01", "x"]})).dtypes.tolist()
    [dtype('float64'), dtype('O')]
    """
    out = {}
    for i, name in enumerate(frame.columns):
        text = frame.iloc[:, i].map(lambda v: None if v is None or v != v else str(v))
        present = int(text.notna().sum())
        numbers = pd.to_numeric(text, errors="coerce")
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        if str(name).strip().upper() in DATES and present and dates.notna().sum() == present:
            out[i] = dates.dt.date if date_as_date else dates
        elif present and numbers.notna().sum() == present:
            whole = present == len(text) and bool((numbers == numbers.round()).all()) and bool(
                (numbers.abs() < 2**53).all())
            out[i] = numbers.astype("int64") if whole else numbers.astype(float)
        else:
            out[i] = text.astype(object)
    typed = pd.DataFrame(out, index=frame.index)
    typed.columns = list(frame.columns)
    return typed


def write_dataset(frame: pd.DataFrame, path: Path, kind: str, rng: random.Random) -> str:
    """Write one dataset; return a note on how (typed or text, tz-aware dates ...)."""
    if kind == "csv":
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return "csv"
    if kind == "parquet":
        if rng.random() < 0.25:
            frame.astype(object).to_parquet(path)
            return "parquet (text)"
        typed = typed_guess(frame)
        note = "parquet (typed)"
        extra = rng.random()
        dated = [c for c in typed.columns if pd.api.types.is_datetime64_any_dtype(typed[c])]
        if extra < 0.1 and dated:
            name = rng.choice(dated)
            typed[name] = typed[name].dt.tz_localize("Europe/Paris", ambiguous="NaT",
                                                     nonexistent="NaT")
            note += f", {name} tz-aware"
        elif extra < 0.2 and "CNSR" in typed and typed["CNSR"].dtype == float:
            if typed["CNSR"].notna().all():
                typed["CNSR"] = typed["CNSR"].astype("int64")
                note += ", CNSR int64"
        elif extra < 0.3 and "TRT01P" in typed:
            typed["TRT01P"] = typed["TRT01P"].astype("category")
            note += ", TRT01P categorical"
        elif extra < 0.33 and len(typed.columns):
            name = rng.choice(list(typed.columns))
            typed[name] = [[v] for v in typed[name]]
            note += f", {name} as lists"
        typed.to_parquet(path)
        return note
    import pyreadstat

    typed = typed_guess(frame, date_as_date=True)
    if rng.random() < 0.3:
        typed.columns = [str(c).lower() for c in typed.columns]
    pyreadstat.write_xport(typed, os.fspath(path), file_format_version=5)
    return "xpt"


@dataclass
class Case:
    """One case: what was done to the data, and how the files were written."""

    index: int
    base: str
    steps: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # file name -> how written
    frames: dict[str, pd.DataFrame | None] = field(default_factory=dict, repr=False)

    def describe(self) -> str:
        return "; ".join([f"base {self.base}", *self.steps,
                          *(f"{n}: {how}" for n, how in self.files.items())])


def load_bases(data: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """Each cut-off folder under ``data`` (or ``data`` itself): its datasets as text."""
    folders = sorted(p for p in data.iterdir() if (p / "adsl.csv").is_file()) \
        if not (data / "adsl.csv").is_file() else [data]
    bases = {}
    for f in folders:
        frames = {}
        for d in DATASETS:
            if (f / f"{d}.csv").is_file():
                text = pd.read_csv(f / f"{d}.csv", dtype=str, keep_default_na=False)
                frames[d] = text.astype(object).where(text != "", None)
        bases[f.name] = frames
    return bases


def make_case(bases, seed: int, index: int) -> tuple[Case, random.Random]:
    """Case ``index`` of the campaign ``seed``: its mutated frames (deterministic)."""
    rng = random.Random(f"netter-fuzz:{seed}:{index}")
    base = rng.choice(sorted(bases))
    frames = {d: f.copy() for d, f in bases[base].items()}
    case = Case(index, base)
    names, weights = zip(*WEIGHTS.items(), strict=True)
    for name in rng.choices(names, weights=weights, k=rng.choice([1, 1, 2, 2, 3])):
        if not any(f is not None and len(f) and len(f.columns) for f in frames.values()):
            break
        case.steps.append(OPERATORS[name](rng, frames))
        case.operators.append(name)
    case.frames = frames
    return case, rng


def write_case(case: Case, folder: Path, rng: random.Random) -> None:
    """Write the case's datasets to ``folder`` (formats, byte and folder mutations)."""
    for dataset, frame in case.frames.items():
        if frame is None:
            continue
        kind = rng.choices(["csv", "parquet", "xpt"], weights=[70, 15, 15])[0]
        suffix = {"csv": ".csv", "parquet": ".parquet", "xpt": ".xpt"}[kind]
        stem = dataset.upper() if rng.random() < 0.1 else dataset
        path = folder / f"{stem}{suffix}"
        try:
            how = write_dataset(frame, path, kind, rng)
        except Exception as err:  # the writer refuses (XPORT names, lengths ...): CSV
            path.unlink(missing_ok=True)
            path = folder / f"{stem}.csv"
            how = write_dataset(frame, path, "csv", rng)
            how += f" ({kind} writer refused: {type(err).__name__})"
        if rng.random() < 0.12:
            mutate = bytes_csv if path.suffix == ".csv" else bytes_binary
            content, what = mutate(rng, path.read_bytes())
            path.write_bytes(content)
            how += f", bytes: {what}"
            case.operators.append(f"bytes_{what}")
        case.files[path.name] = how
    roll = rng.random()
    if roll < 0.02 and case.files:
        name = rng.choice(sorted(case.files))
        twin = Path(name).stem + (".parquet" if not name.endswith(".parquet") else ".csv")
        shutil.copy(folder / name, folder / twin)
        case.files[twin] = "copy of " + name
        case.operators.append("folder_ambiguous")
    elif roll < 0.03:
        if "adrs.csv" not in case.files:
            (folder / "adrs.csv").mkdir(exist_ok=True)
        (folder / "notes.txt").write_text("not a dataset\n")
        case.operators.append("folder_clutter")


# --- running the CLI ---------------------------------------------------------------------


@dataclass
class Run:
    """One command of one case and what came of it."""

    command: str
    status: int | None
    outcome: str  # accepted, error, traceback
    stdout: str
    stderr: str
    exception: str | None = None
    where: str | None = None
    traceback: str | None = None
    warnings: list[tuple[str, str, str]] = field(default_factory=list)


def _deepest_netter_frame(tb) -> str:
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if f.filename.startswith(NETTER_DIR)] or frames
    last = ours[-1]
    return f"{os.path.relpath(last.filename, ROOT)}:{last.lineno} in {last.name}"


def run_cli(argv: list[str]) -> Run:
    """Run ``netter`` in-process; catch everything."""
    from netter.cli import main
    from netter.errors import DataWarning

    out, err = io.StringIO(), io.StringIO()
    seen: list[tuple[str, str, str]] = []
    original = warnings._showwarnmsg  # what both main's handler and the default go through

    def record(msg):
        if not issubclass(msg.category, DataWarning):
            where = f"{os.path.relpath(msg.filename, ROOT)}:{msg.lineno}"
            seen.append((msg.category.__name__, where, str(msg.message)))
        original(msg)

    command = "netter " + " ".join(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings._showwarnmsg = record
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - that is the point
        status = exc.code if isinstance(exc, SystemExit) else None
        run = Run(command, status, "traceback", out.getvalue(), err.getvalue(),
                  f"{type(exc).__name__}: {exc}"[:2000], _deepest_netter_frame(exc.__traceback__),
                  "".join(traceback.format_exception(exc)), seen)
        return run
    finally:
        warnings._showwarnmsg = original
    if status == 130:
        raise KeyboardInterrupt
    if status in (0, 1):
        return Run(command, status, "accepted" if status == 0 else "error", out.getvalue(),
                   err.getvalue(), warnings=seen)
    return Run(command, status, "traceback", out.getvalue(), err.getvalue(),
               f"exit status {status}", "netter/cli/__init__.py: main", None, seen)


def _no_constant(name: str):
    raise ValueError(f"{name} in JSON")


def check_results(path: Path) -> list[tuple[str, str]]:
    """Invariants of a results document: (kind, detail) for each violation.

    Strict JSON (no NaN or Infinity); every ``p_value*`` and ``rate`` in [0, 1]; a ``ci``
    [lower, upper] in order; a hazard ratio positive and finite, or null with a reason;
    Kaplan-Meier ``survival`` in [0, 1], non-increasing, inside its pointwise CI.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "r.json"
    >>> _ = path.write_text('{"a": {"p_value": 1.5, "ci": [2, 1]}}')
    >>> [kind for kind, _ in check_results(path)]
    ['p_value outside [0, 1] at a.p_value', 'ci lower > upper at a.ci']
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, ValueError) as err:
        return [(f"results not strict JSON: {type(err).__name__}", str(err)[:300])]
    out: list[tuple[str, str]] = []

    def bad(kind, where, value):
        generic = re.sub(r"\[\d+\]", "[]", where)
        generic = re.sub(r"^endpoints\.[^.]+", "endpoints.*", generic)
        out.append((f"{kind} at {generic}", f"{where} = {value!r}"[:300]))

    def number(v):
        return isinstance(v, int | float) and not isinstance(v, bool)

    def walk(node, where):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            here = f"{where}.{key}" if where else key
            if (key.startswith("p_value") or key == "rate") and value is not None:
                if not number(value) or not 0 <= value <= 1:
                    bad(f"{key.split('_value')[0]}_value outside [0, 1]"
                        if key != "rate" else "rate outside [0, 1]", here, value)
            elif key == "ci" and isinstance(value, list) and len(value) == 2 and all(
                    number(v) for v in value) and value[0] > value[1]:
                bad("ci lower > upper", here, value)
            elif key == "hazard_ratio" and value is not None and (
                    not number(value) or not 0 < value < float("inf")):
                bad("hazard ratio not positive and finite", here, value)
            elif key == "hazard_ratio" and value is None and not node.get(
                    "not_estimable_reason"):
                bad("hazard ratio null without a reason", here, value)
            elif key == "survival" and isinstance(value, list) and value and all(
                    number(v) for v in value):
                arr = np.asarray(value, dtype=float)
                if np.any(arr < 0) or np.any(arr > 1):
                    bad("survival outside [0, 1]", here, value[:5])
                elif np.any(np.diff(arr) > 1e-12):
                    bad("survival increases", here, value[:5])
                for side, sign in (("ci_lower", 1), ("ci_upper", -1)):
                    limit = node.get(side)
                    if isinstance(limit, list) and len(limit) == len(value):
                        lim = np.array([np.nan if v is None else v for v in limit], float)
                        with np.errstate(invalid="ignore"):
                            off = sign * (lim - arr) > 1e-9
                        if np.any(off):
                            bad(f"survival outside its CI ({side})", here, value[:5])
            walk(value, here)

    walk(doc, "")
    return out


def commands(folder: Path, study: str) -> list[list[str]]:
    return [["validate", "--data", str(folder)],
            ["analyze", "--data", str(folder), "--study", study,
             "--out", str(folder / "results.json"), "--quiet"]]


def names_a_file(run: Run, case: Case, folder: Path) -> bool:
    """A clear error names one of the case's files (any case) or its folder."""
    text = run.stderr.lower()
    return str(folder).lower() in text or any(n.lower() in text for n in case.files) or any(
        f"{d}." in text for d in DATASETS)


# --- the campaign ------------------------------------------------------------------------


def _scrub(text: str | None, folder: Path) -> str | None:
    return None if text is None else text.replace(str(folder), "CASE")


def _norm(message: str) -> str:
    """A message with its values reduced, to group errors of one kind."""
    lines = [x for x in message.strip().splitlines() if ": warning: " not in x]
    line = re.sub(r"'[^']*'|\"[^\"]*\"", "'X'", lines[0] if lines else "")
    return re.sub(r"\d+(\.\d+)?", "N", line)[:160]


def campaign(cases: int, seed: int, data: Path, study: str, *, only=None, keep=None,
             progress: bool = True, verbose: bool = False, log=None) -> dict:
    """Run the campaign and return its summary (see the module docstring)."""
    from tqdm import tqdm

    warnings.simplefilter("ignore", FutureWarning)  # the harness's own pandas calls
    bases = load_bases(data)
    indices = list(only) if only else list(range(cases))
    totals = Counter()
    per_command = {name: Counter() for name in ("validate", "analyze")}
    formats, operators = Counter(), {}
    kinds: dict[str, dict] = {}
    stray: dict[str, dict] = {}
    unclear: dict[str, dict] = {}
    violations: dict[str, dict] = {}
    violated: set[int] = set()
    started = time.perf_counter()
    bar = tqdm(indices, desc="fuzz", unit="case", disable=not progress, file=sys.stderr,
               dynamic_ncols=True)
    for index in bar:
        case, rng = make_case(bases, seed, index)
        folder = Path(keep) / f"case-{index}" if keep else Path(tempfile.mkdtemp(
            prefix="netter-fuzz-"))
        if keep:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        try:
            write_case(case, folder, rng)
            formats.update(how.split(" ")[0].rstrip(",") for how in case.files.values())
            runs = []
            outcomes = []
            for argv in commands(folder, study):
                run = run_cli(argv)
                runs.append(run)
                name = argv[0]
                if name == "analyze" and run.outcome == "accepted":
                    for kind, detail in check_results(folder / "results.json"):
                        entry = violations.setdefault(kind, {"kind": kind, "count": 0,
                                                             "first": None})
                        entry["count"] += 1
                        entry["first"] = entry["first"] or {
                            "case": index, "mutations": case.describe(),
                            "command": _scrub(run.command, folder), "detail": detail}
                        violated.add(index)
                per_command[name][run.outcome] += 1
                outcomes.append(run.outcome)
                if verbose:
                    _show(case, run, folder)
                record = {"case": index, "mutations": case.describe(),
                          "command": _scrub(run.command, folder)}
                if run.outcome == "traceback":
                    kind = f"{run.exception.split(':')[0]} at {run.where}"
                    entry = kinds.setdefault(kind, {"kind": kind, "count": 0, "commands":
                                                    Counter(), "cases": [], "first": None})
                    entry["count"] += 1
                    entry["commands"][name] += 1
                    if len(entry["cases"]) < 20:
                        entry["cases"].append(index)
                    if entry["first"] is None:
                        entry["first"] = {**record, "exception": _scrub(run.exception, folder),
                                          "traceback": _scrub(run.traceback, folder),
                                          "stderr": _scrub(run.stderr, folder)[-2000:]}
                elif run.outcome == "error" and not names_a_file(run, case, folder):
                    key = f"{name}: {_norm(_scrub(run.stderr, folder))}"
                    entry = unclear.setdefault(key, {"message": key, "count": 0,
                                                     "first": None})
                    entry["count"] += 1
                    entry["first"] = entry["first"] or {**record,
                                                        "stderr": _scrub(run.stderr, folder)}
                for category, where, message in run.warnings:
                    key = f"{category} at {where}"
                    entry = stray.setdefault(key, {"kind": key, "count": 0, "first": None})
                    entry["count"] += 1
                    entry["first"] = entry["first"] or {**record, "message": message[:500]}
            outcome = ("traceback" if "traceback" in outcomes
                       else "error" if "error" in outcomes else "accepted")
            if log is not None:
                log.write(json.dumps({
                    "case": index, "mutations": case.describe(), "outcome": outcome,
                    "runs": [{"command": _scrub(r.command, folder), "outcome": r.outcome,
                              "status": r.status, "exception": _scrub(r.exception, folder),
                              "where": r.where,
                              "stderr": _scrub(r.stderr, folder)[:1500]} for r in runs]},
                    ensure_ascii=False) + "\n")
            totals[outcome] += 1
            for op in dict.fromkeys(case.operators):
                operators.setdefault(op, Counter())[outcome] += 1
            bar.set_postfix(ok=totals["accepted"], err=totals["error"],
                            tb=totals["traceback"], refresh=False)
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - started
    return {
        "seed": seed, "cases": len(indices), "study": study,
        "data": os.path.relpath(data, ROOT) if data.is_absolute() else str(data),
        "bases": sorted(bases),
        "seconds": round(elapsed, 1),
        "outcomes": {k: totals[k] for k in ("accepted", "error", "traceback")},
        "commands": {name: {k: c[k] for k in ("accepted", "error", "traceback")}
                     for name, c in per_command.items()},
        "formats": dict(sorted(formats.items())),
        "operators": {op: {k: c[k] for k in ("accepted", "error", "traceback")}
                      for op, c in sorted(operators.items())},
        "tracebacks": [_plain(e) for e in sorted(kinds.values(), key=lambda e: -e["count"])],
        "results_violations": {"cases": len(violated), "kinds": sorted(
            violations.values(), key=lambda e: -e["count"])},
        "stray_warnings": sorted(stray.values(), key=lambda e: -e["count"]),
        "errors_naming_no_file": sorted(unclear.values(), key=lambda e: -e["count"]),
    }


def _plain(entry: dict) -> dict:
    return {**entry, "commands": dict(entry["commands"])}


def _show(case: Case, run: Run, folder: Path) -> None:
    print(f"--- case {case.index}: {case.describe()}", file=sys.stderr)
    print(f"$ {_scrub(run.command, folder)}  -> {run.outcome} (status {run.status})",
          file=sys.stderr)
    if run.stderr:
        print(_scrub(run.stderr, folder).rstrip()[:3000], file=sys.stderr)
    if run.traceback:
        print(_scrub(run.traceback, folder), file=sys.stderr)


# --- the summary -------------------------------------------------------------------------


def summary_markdown(summary: dict) -> str:
    """The summary as Markdown (``summary.md``)."""
    out = summary["outcomes"]
    lines = [
        "# netter fuzz campaign",
        "",
        f"Seed {summary['seed']}, {summary['cases']} cases (mutations of {summary['data']}: "
        f"{', '.join(summary['bases'])}), each through `netter validate` and "
        f"`netter analyze --study {summary['study']}` in-process; {summary['seconds']} s.",
        "",
        "| outcome (per case: worst of its two commands) | cases |",
        "|---|---:|",
        f"| accepted (exit 0) | {out['accepted']} |",
        f"| clear error (exit 1) | {out['error']} |",
        f"| traceback (exception out of main, or another exit status) | {out['traceback']} |",
        f"| accepted, but the results break an invariant | "
        f"{summary['results_violations']['cases']} |",
        "",
        "| command | accepted | error | traceback |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {c['accepted']} | {c['error']} | {c['traceback']} |"
          for name, c in summary["commands"].items()),
        "",
        "Files written: " + ", ".join(f"{k} {v}" for k, v in summary["formats"].items()) + ".",
        "",
        "## Tracebacks",
        "",
    ]
    if not summary["tracebacks"]:
        lines.append("None.")
    for entry in summary["tracebacks"]:
        first = entry["first"]
        lines += [
            f"### {entry['kind']}",
            "",
            f"{entry['count']} runs ({_counts(entry['commands'])}); cases "
            f"{', '.join(map(str, entry['cases']))}.",
            "",
            f"First: case {first['case']}: {first['mutations']}",
            "",
            f"`{first['command']}`",
            "",
            "```",
            (first["traceback"] or first["exception"]).rstrip()[-6000:],
            "```",
            "",
            f"Reproduce: `python -m tests.fuzz.campaign --seed {summary['seed']} "
            f"--case {first['case']} --keep /tmp/fuzz-case`",
            "",
        ]
    found = summary["results_violations"]
    lines += ["## Results that break an invariant (accepted analyses)", "",
              "Checked in every results file `netter analyze` wrote: strict JSON, p-values and "
              "rates in [0, 1], CIs in order, hazard ratios positive or null with a reason, "
              "Kaplan-Meier curves in [0, 1], non-increasing and inside their CIs.", ""]
    if not found["kinds"]:
        lines.append("None.")
    for entry in found["kinds"]:
        first = entry["first"]
        lines += [f"* {entry['kind']} ({entry['count']} times): first case {first['case']} "
                  f"({first['mutations']}): `{first['detail']}`"]
    lines += ["", "## Stray warnings (not DataWarning)", ""]
    if not summary["stray_warnings"]:
        lines.append("None.")
    for entry in summary["stray_warnings"]:
        first = entry["first"]
        lines += [f"* {entry['kind']} ({entry['count']} runs): {first['message']!r}; first: "
                  f"case {first['case']}, `{first['command']}`: {first['mutations']}"]
    lines += ["", "## Errors (exit 1) whose message names no file", ""]
    if not summary["errors_naming_no_file"]:
        lines.append("None.")
    for entry in summary["errors_naming_no_file"]:
        first = entry["first"]
        lines += [f"* {entry['count']} runs: case {first['case']} ({first['mutations']}):",
                  "", "  ```", *("  " + s for s in first["stderr"].strip().splitlines()[:6]),
                  "  ```"]
    lines += ["", "## Outcomes by mutation", "",
              "| mutation | accepted | error | traceback |", "|---|---:|---:|---:|",
              *(f"| {op} | {c['accepted']} | {c['error']} | {c['traceback']} |"
                for op, c in summary["operators"].items()), ""]
    return "\n".join(lines)


def _counts(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def write_summary(summary: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    (out / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="number of cases (1000)")
    parser.add_argument("--seed", type=int, default=1, help="campaign seed (1)")
    parser.add_argument("--out", default="reports/fuzz", help="summary folder (reports/fuzz)")
    parser.add_argument("--data", default=str(DEFAULT_DATA),
                        help="valid ADaM folder, or a folder of cut-off folders")
    parser.add_argument("--study", default="netter1", help="study for `netter analyze`")
    parser.add_argument("--case", type=int, action="append", default=None,
                        help="run only this case (repeatable); prints every run")
    parser.add_argument("--keep", default=None, help="keep each case's files under this folder")
    parser.add_argument("--log", default=None,
                        help="also write every case and run as JSON lines to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    out, data = Path(args.out).resolve(), Path(args.data).resolve()
    keep = Path(args.keep).resolve() if args.keep else None
    log_path = Path(args.log).resolve() if args.log else None
    os.chdir(ROOT)  # `--study netter1` is looked up from the project
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(open(log_path, "w", encoding="utf-8")) if log_path else None
        summary = campaign(args.cases, args.seed, data, args.study, only=args.case,
                           keep=keep, progress=not args.quiet, verbose=bool(args.case),
                           log=log)
    if args.case:
        return 0 if summary["outcomes"]["traceback"] == 0 else 1
    write_summary(summary, out)
    o = summary["outcomes"]
    print(f"fuzz: {summary['cases']} cases in {summary['seconds']} s: {o['accepted']} "
          f"accepted, {o['error']} clear errors, {o['traceback']} with a traceback "
          f"({len(summary['tracebacks'])} kinds); {args.out}/summary.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
