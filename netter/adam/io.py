"""Read ADaM datasets (CSV, Parquet, SAS XPORT) and refuse data that fails validation.

Reading is strict and happens in two steps.  First every file is read *raw*
(:mod:`netter.adam.formats`, each file once, its bytes hashed): variable
names upper-cased, byte strings decoded, strings stripped, empty strings made missing,
CSV kept as text so nothing is converted behind the user's back.  Then the rules of
:mod:`netter.adam.checks` run on all raw frames, and only when none fails are values
typed, in one place (:func:`_typed`): numeric variables to float (``CNSR`` to int),
dates to ``datetime64[ns]``.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ADSL.csv").write_text("usubjid,trt01p\\n"
...     "TRIAL-001-0001,Drug A\\nTRIAL-001-0002,Placebo\\n")
>>> _ = (folder / "adtte.csv").write_text("USUBJID,PARAMCD,AVAL,CNSR\\n"
...     "TRIAL-001-0001,PFS,120,0\\nTRIAL-001-0002,PFS,-3,1\\n")
>>> load_adam(folder)
Traceback (most recent call last):
...
netter.adam.problems.AdamValidationError: ADaM data failed validation (1 problem):
  - adtte.csv: AVAL = -3 is negative (USUBJID TRIAL-001-0002)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from warnings import warn as _warn

import pandas as pd

from netter.adam import checks
from netter.adam import columns as col
from netter.adam.checks import AdamValidationError, Problem
from netter.adam.formats import FORMATS, SUFFIX_LIST, RawFile, Unreadable, parse_bytes, read_raw
from netter.adam.warn import check_warnings
from netter.errors import AdamError, DataWarning


@dataclass(frozen=True, eq=False)
class AdamData:
    """Validated, typed ADaM datasets (treat the frames as read-only).

    Attributes
    ----------
    adsl, adtte : pandas.DataFrame
        Subject-level and time-to-event datasets.
    adrs : pandas.DataFrame or None
        Response dataset, when one was found or given.
    files : dict
        Dataset name ("adsl", "adtte", "adrs") to the path read, as given.
    arm_var : str
        The ADSL arm variable (upper case).
    sha256 : dict
        Dataset name to the SHA-256 of the bytes that were read (each file is read
        once; the hash is of exactly what was analysed).
    labels : dict
        Dataset name to its variable labels (variable -> label) where the file format
        carries them (SAS XPORT, Parquet field metadata ``label``); CSV has none.
    warnings : tuple of Problem
        What :mod:`netter.adam.warn` found (also issued as ``DataWarning``).

    Examples
    --------
    >>> data = AdamData(pd.DataFrame(), pd.DataFrame(), None, {}, "TRT01P")
    >>> data.adrs is None, data.arm_var
    (True, 'TRT01P')
    """

    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame | None
    files: dict[str, str]
    arm_var: str
    sha256: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    def variable_label(self, name: str) -> str | None:
        """The label of variable ``name`` in the first dataset that labels it, else ``None``.

        Examples
        --------
        >>> data = AdamData(pd.DataFrame(), pd.DataFrame(), None, {}, "TRT01P",
        ...                 labels={"adsl": {"AGE": "Age at randomisation"}})
        >>> data.variable_label("AGE"), data.variable_label("SEX")
        ('Age at randomisation', None)
        """
        for dataset in col.DATASETS:
            label = self.labels.get(dataset, {}).get(name)
            if label:
                return label
        return None


# --- reading one file ------------------------------------------------------------------


def read_dataset(path: str | os.PathLike) -> pd.DataFrame:
    """Read one ADaM dataset and type its values, refusing values that cannot be typed.

    The format follows the suffix (any case): ``.csv``, ``.parquet``/``.pq`` or ``.xpt``
    (SAS XPORT v5).  Numeric variables (``checks.NUMERIC_VARS``) become float, ``CNSR``
    int, date variables (``columns.DATE_VARS``) ``datetime64[ns]``; other variables stay
    as read (CSV: text).

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    pandas.DataFrame
        Upper-case variable names, missing values as NaN / NaT.

    Raises
    ------
    AdamError
        Unknown suffix, missing, empty or unreadable file, or values that are not numbers
        or dates where those are expected (every such value is listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "adtte.CSV"
    >>> _ = path.write_text("usubjid,aval,cnsr,adt\\nTRIAL-001-0001, 12.5 ,1,2016-07-30\\n")
    >>> frame = read_dataset(path)
    >>> frame.dtypes.astype(str).to_dict()
    {'USUBJID': 'object', 'AVAL': 'float64', 'CNSR': 'int64', 'ADT': 'datetime64[ns]'}
    """
    raw, problems = read_raw(path)
    if raw is not None:
        problems = checks.check_types(raw.frame, Path(path).name)
    if problems:
        raise AdamValidationError(problems)
    return _typed(raw.frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The one place values get their types; assumes :func:`checks.check_types` passed.

    Codes (``columns.CODE_VARS``: ``PARAMCD``, ``AVALC``) are upper-cased: ``ovr`` is
    ``OVR``, as variable names are case-insensitive too.  ``USUBJID`` is text, whatever
    the file held (a Parquet file may hold integers, a CSV file text)."""
    typed = {}
    for var in frame.columns:
        series = frame[var]
        if var in col.DATE_VARS:
            typed[var] = checks.to_dates(series)[0]
        elif var == col.CNSR:
            typed[var] = checks.to_numbers(series)[0].astype("int64")
        elif var in checks.NUMERIC_VARS:
            typed[var] = checks.to_numbers(series)[0]
        elif var in col.CODE_VARS:
            typed[var] = series.where(series.isna(), series.astype(str).str.upper())
        elif var == col.USUBJID:  # text, as validation compares it (Parquet may hold ints)
            typed[var] = series.where(series.isna(), series.astype(str)).astype(object)
        else:
            typed[var] = series
    return pd.DataFrame(typed, index=frame.index)


# --- finding files ----------------------------------------------------------------------


def find_datasets(folder: str | os.PathLike) -> dict[str, str]:
    """Find the adsl / adtte / adrs files in a folder by file stem, in any case.

    Parameters
    ----------
    folder : str or path-like
        Folder to search (not recursively).

    Returns
    -------
    dict
        Dataset name to path (folder joined with the file name), for those found.

    Raises
    ------
    AdamError
        If the folder does not exist, or holds two readable files for one dataset
        (both named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("ADSL.xpt", "adtte.Parquet", "notes.txt"):
    ...     _ = (folder / name).write_text("")
    >>> sorted((k, pathlib.Path(v).name) for k, v in find_datasets(folder).items())
    [('adsl', 'ADSL.xpt'), ('adtte', 'adtte.Parquet')]
    """
    candidates = _candidates(folder)
    problems = _ambiguous(folder, candidates)
    if problems:
        raise AdamValidationError(problems)
    return {d: os.path.join(os.fspath(folder), names[0]) for d, names in candidates.items()}


def _candidates(folder: str | os.PathLike) -> dict[str, list[str]]:
    """Readable files in ``folder`` per dataset (by stem, any case), sorted by name."""
    base = Path(folder)
    if not base.is_dir():
        raise AdamError(f"{os.fspath(folder)}: no such folder")
    found: dict[str, list[str]] = {}
    for entry in sorted(base.iterdir(), key=lambda p: p.name):
        dataset = entry.stem.lower()
        if dataset in col.DATASETS and entry.suffix.lower() in FORMATS and entry.is_file():
            found.setdefault(dataset, []).append(entry.name)
    return {d: found[d] for d in col.DATASETS if d in found}


def _ambiguous(folder: str | os.PathLike, candidates: dict[str, list[str]]) -> list[Problem]:
    return [
        Problem(
            os.fspath(folder), None, None, (),
            f"{len(names)} files for {dataset.upper()}: {', '.join(names)} "
            "(keep one, or name the file explicitly)",
        )
        for dataset, names in candidates.items()
        if len(names) > 1
    ]


def _resolve(
    data: str | os.PathLike | None, explicit: dict[str, str | os.PathLike | None]
) -> tuple[dict[str, str], list[Problem]]:
    """Files to read (explicit ones win over the folder's) and problems finding them."""
    files = {name: os.fspath(path) for name, path in explicit.items() if path is not None}
    candidates: dict[str, list[str]] = {}
    if data is not None:
        candidates = {d: n for d, n in _candidates(data).items() if d not in files}
        for dataset, names in candidates.items():
            if len(names) == 1:
                files[dataset] = os.path.join(os.fspath(data), names[0])
    problems = _ambiguous(data, candidates) if data is not None else []
    where = os.fspath(data) if data is not None else "input"
    for dataset in (col.ADSL, col.ADTTE):
        if dataset not in files and dataset not in candidates:
            problems.append(Problem(where, None, None, (), _not_found(dataset, data)))
    return {d: files[d] for d in col.DATASETS if d in files}, problems


def _not_found(dataset: str, data: str | os.PathLike | None) -> str:
    label = dataset.upper()
    if data is None:
        return f"no {label} file given ({label} is required; give a data folder or the file)"
    prefix = dataset + "."
    others = sorted(p.name for p in Path(data).iterdir() if p.name.lower().startswith(prefix))
    seen = f"; found {', '.join(others)}, which netter cannot read" if others else ""
    return f"no {label} file ({dataset}{SUFFIX_LIST.replace(', ', '/')}, any case){seen}"


# --- loading a trial --------------------------------------------------------------------


def load_adam(
    data: str | os.PathLike | None = None,
    *,
    adsl: str | os.PathLike | None = None,
    adtte: str | os.PathLike | None = None,
    adrs: str | os.PathLike | None = None,
    arm_var: str = col.DEFAULT_ARM_VAR,
    strict: bool = False,
) -> AdamData:
    """Read ADSL, ADTTE (both required) and ADRS (optional), validate them all, type them.

    Every rule of :mod:`netter.adam.checks` runs on every file; if anything is wrong,
    one :class:`~netter.adam.checks.AdamValidationError` (an ``AdamError``) lists all of
    it.  Only valid data is returned.  What :mod:`netter.adam.warn` finds is issued as
    :class:`netter.errors.DataWarning` (one per finding), or refused with ``strict``.

    Parameters
    ----------
    data : str or path-like, optional
        Folder holding ``adsl``, ``adtte``, ``adrs`` files (``.csv``, ``.parquet``,
        ``.pq``, ``.xpt``; names in any case).
    adsl, adtte, adrs : str or path-like, optional
        Explicit files; each overrides what the folder holds for that dataset.
    arm_var : str
        ADSL variable holding the randomised arm (default ``TRT01P``; any case).
    strict : bool
        Refuse data with warnings, as if they were problems.

    Returns
    -------
    AdamData

    Raises
    ------
    AdamError
        Listing every problem found: files missing, ambiguous or unreadable, and every
        failed rule with file, variable, value and subject (and every warning, if
        ``strict``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "adsl.csv").write_text(
    ...     "USUBJID,TRT01P\\nTRIAL-001-0001,Drug A\\n"
    ...     "TRIAL-001-0002,Placebo\\n")
    >>> _ = (folder / "adtte.csv").write_text(
    ...     "USUBJID,PARAMCD,AVAL,CNSR\\nTRIAL-001-0001,PFS,120,0\\n"
    ...     "TRIAL-001-0002,PFS,85,1\\n")
    >>> data = load_adam(folder)
    >>> data.adtte["CNSR"].tolist(), data.adrs is None
    ([0, 1], True)
    """
    explicit = {col.ADSL: adsl, col.ADTTE: adtte, col.ADRS: adrs}
    files, problems = _resolve(data, explicit)
    arm = str(arm_var).strip().upper()
    read: dict[str, RawFile | None] = {}
    for dataset, path in files.items():
        read[dataset], unreadable = read_raw(path)
        problems += unreadable
    raw = {d: (None if r is None else r.frame) for d, r in read.items()}
    problems += checks.check_adam(raw, _labels(files), arm)
    found = _warnings(raw, _labels(files), arm, problems, strict)
    typed = {dataset: _typed(frame) for dataset, frame in raw.items()}
    return AdamData(typed[col.ADSL], typed[col.ADTTE], typed.get(col.ADRS), files, arm,
                    sha256={d: r.sha256 for d, r in read.items()},
                    labels={d: r.labels for d, r in read.items() if r.labels},
                    warnings=found)


def _warnings(raw, labels, arm: str, problems: list[Problem], strict: bool
              ) -> tuple[Problem, ...]:
    """Raise for ``problems`` (and, if ``strict``, warnings); else issue the warnings."""
    if problems:
        raise AdamValidationError(problems)
    found = tuple(check_warnings(raw, labels, arm))
    if strict and found:
        raise AdamValidationError(list(found), header="ADaM data has warnings, refused "
                                  "with --strict")
    for line in checks.group_lines(found):  # one line per file, variable and kind
        _warn(line, DataWarning, stacklevel=3)
    return found


def load_adam_frames(frames, *, arm_var: str = col.DEFAULT_ARM_VAR,
                     source: str = "memory", strict: bool = False) -> AdamData:
    """Validate and type ADaM data frames exactly as :func:`load_adam` would the CSV files
    ``frame.to_csv(index=False)`` writes (same checks, same types, same SHA-256).

    This is how simulated trials are analysed without touching the disk: the results
    equal those of the files ``netter simulate`` writes.

    Parameters
    ----------
    frames : mapping
        ``{"adsl": DataFrame, "adtte": DataFrame, "adrs": DataFrame (optional)}``.
    arm_var : str
    source : str
        Folder name shown in messages and recorded as the files' folder.
    strict : bool
        Refuse data with warnings (as :func:`load_adam`).

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["S1", "S2"], "TRT01P": ["A", "B"]})
    >>> adtte = pd.DataFrame({"USUBJID": ["S1", "S2"], "PARAMCD": "OS", "AVAL": [10, 20],
    ...                       "CNSR": [0, 1]})
    >>> data = load_adam_frames({"adsl": adsl, "adtte": adtte}, source="seed 1")
    >>> data.files["adtte"], data.adtte["AVAL"].tolist()
    ('seed 1/adtte.csv', [10.0, 20.0])
    """
    files, read, problems = {}, {}, []
    for dataset in col.DATASETS:
        if dataset not in frames or frames[dataset] is None:
            continue
        files[dataset] = f"{source}/{dataset}.csv"
        content = frames[dataset].to_csv(index=False, lineterminator="\n").encode("utf-8")
        try:
            read[dataset] = parse_bytes(content, "csv")
        except Unreadable as err:
            read[dataset] = None
            problems.append(Problem(files[dataset], None, None, (), str(err)))
    for dataset in (col.ADSL, col.ADTTE):
        if dataset not in files:
            problems.append(Problem(source, None, None, (), f"no {dataset.upper()} frame"))
    arm = str(arm_var).strip().upper()
    raw = {d: (None if r is None else r.frame) for d, r in read.items()}
    problems += checks.check_adam(raw, _labels(files), arm)
    found = _warnings(raw, _labels(files), arm, problems, strict)
    typed = {dataset: _typed(frame) for dataset, frame in raw.items()}
    return AdamData(typed[col.ADSL], typed[col.ADTTE], typed.get(col.ADRS), files, arm,
                    sha256={d: r.sha256 for d, r in read.items()}, warnings=found)


def _labels(files: dict[str, str]) -> dict[str, str]:
    """File names for messages; full paths where two datasets share a file name."""
    names = {dataset: Path(path).name for dataset, path in files.items()}
    clash = [n for n in names.values() if list(names.values()).count(n) > 1]
    return {d: (files[d] if names[d] in clash else names[d]) for d in files}
