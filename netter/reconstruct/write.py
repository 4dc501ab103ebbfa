"""ADSL and ADTTE in the shape of netter's data layer, from a reconstruction; safe writing.

ADSL: ``STUDYID``, ``USUBJID``, ``TRT01P`` (the arm labels as given), ``ITTFL`` (``Y``).
ADTTE: ``STUDYID``, ``USUBJID``, ``PARAMCD``, ``PARAM``, ``AVAL`` (in the declared unit,
rounded to 6 decimals), ``AVALU`` (``MONTHS``, ``DAYS``, ``WEEKS`` or ``YEARS``), ``CNSR``
(0 = event, 1 = censored), ``EVNTDESC``, ``CNSDTDSC`` and ``SRCDESC`` (provenance).

``USUBJID`` is ``<STUDYID>-<arm number>-<sequence>``: arms numbered from 1 in input order,
patients numbered in time order within each arm.  Files are UTF-8 CSV with ``\\n`` line
ends, written the same way every time (same reconstruction, same bytes).

**Spreadsheet formulas.**  A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return (or the full-width ``=+-@``) runs as a formula when the CSV file is
opened in a spreadsheet (an arm labelled ``=HYPERLINK(...)``).  As OWASP recommends
against CSV injection, every such text cell of every CSV file written here is prefixed
with a single quote (:func:`spreadsheet_safe`); numbers are left alone.

**Writing.**  :func:`write_files` writes a set of files all or nothing: each goes to a
temporary file beside its destination, created with the permissions the umask gives
(0644 typically, not 0600), and all are renamed into place once every one is written.

Examples
--------
>>> usubjids("RECON", 2, 3)
['RECON-2-0001', 'RECON-2-0002', 'RECON-2-0003']
>>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("Drug A")
('\\'=HYPERLINK("http://x")', 'Drug A')
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.reconstruct.inputs import ReconstructionInputError
from netter.spreadsheet import safe_cell

#: Labels of the parameters netter knows; others are labelled by their code.
PARAM_LABELS = {
    col.PARAM_PFS: "Progression-free survival",
    col.PARAM_OS: "Overall survival",
    col.PARAM_TTDGHS: "Time to deterioration of global health status",
}
#: Decimals kept in ``AVAL``.
AVAL_DECIMALS = 6


def usubjids(studyid: str, arm_number: int, count: int) -> list[str]:
    """Subject identifiers of one arm (sequence zero-padded to at least 4 digits)."""
    width = max(4, len(str(count)))
    return [f"{studyid}-{arm_number}-{k:0{width}d}" for k in range(1, count + 1)]


def param_label(paramcd: str) -> str:
    """``PARAM`` for a reconstructed parameter.

    Examples
    --------
    >>> param_label("PFS")
    'Progression-free survival (reconstructed from a published Kaplan-Meier figure)'
    """
    label = PARAM_LABELS.get(paramcd, paramcd)
    return f"{label} (reconstructed from a published Kaplan-Meier figure)"


def spreadsheet_safe(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet would run it as a formula
    (:func:`netter.spreadsheet.safe_cell`, the rule of every CSV netter writes).

    Examples
    --------
    >>> spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("-x"), spreadsheet_safe("a=b")
    ("'@SUM(A1)", "'-x", 'a=b')
    """
    return safe_cell(text)


def adam_frames(rec, *, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ADSL and ADTTE frames of a :class:`~netter.reconstruct.pipeline.Reconstruction`.

    Parameters
    ----------
    rec : Reconstruction
    source : str
        Provenance text for ``SRCDESC``.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(adsl, adtte)``, sorted by ``USUBJID``.
    """
    adsl_parts, adtte_parts = [], []
    for number, arm in enumerate(rec.arms, start=1):
        time = np.round(arm.fit.patient_time, AVAL_DECIMALS)
        event = arm.fit.patient_event
        ids = usubjids(rec.studyid, number, time.size)
        adsl_parts.append(pd.DataFrame({
            col.STUDYID: rec.studyid, col.USUBJID: ids, col.DEFAULT_ARM_VAR: arm.arm,
            "ITTFL": "Y"}))
        adtte_parts.append(pd.DataFrame({
            col.STUDYID: rec.studyid, col.USUBJID: ids, col.PARAMCD: rec.paramcd,
            col.PARAM: param_label(rec.paramcd), col.AVAL: time, col.AVALU: rec.time_unit,
            col.CNSR: (1 - event).astype(np.int64),
            col.EVNTDESC: np.where(event == 1, "Event (reconstructed)", ""),
            col.CNSDTDSC: np.where(event == 1, "", "Censored (reconstructed)"),
            "SRCDESC": source}))
    adsl = pd.concat(adsl_parts, ignore_index=True)
    adtte = pd.concat(adtte_parts, ignore_index=True)
    return (adsl.sort_values(col.USUBJID, ignore_index=True),
            adtte.sort_values(col.USUBJID, ignore_index=True))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV with ``\\n`` line ends and no index, every text cell (and
    column name) made :func:`spreadsheet_safe`; numbers are untouched.

    Examples
    --------
    >>> csv_bytes(pd.DataFrame({"arm": ["=1+1", "B"], "difference": [-1, 0]})).decode()
    "arm,difference\\n'=1+1,-1\\nB,0\\n"
    """
    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name].dtype):
            safe[name] = safe[name].map(
                lambda v: spreadsheet_safe(v) if isinstance(v, str) else v)
    safe.columns = [spreadsheet_safe(str(c)) for c in safe.columns]
    text = io.StringIO()
    safe.to_csv(text, index=False, lineterminator="\n")
    return text.getvalue().encode("utf-8")


def adam_files(rec, *, source: str) -> dict[str, bytes]:
    """``adsl.csv`` and ``adtte.csv`` of a reconstruction, as bytes by file name."""
    adsl, adtte = adam_frames(rec, source=source)
    return {f"{col.ADSL}.csv": csv_bytes(adsl), f"{col.ADTTE}.csv": csv_bytes(adtte)}


def _create(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path``, with the permissions the umask gives."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, outermost first."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    return missing[::-1]


def write_files(folder: str | os.PathLike, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (bytes by file name) into ``folder``, all or nothing.

    Each file goes to a temporary file beside its destination (permissions from the
    umask, as any file the user creates); once all are written they are renamed into
    place.  On a failure the temporary files, and the folders this call created, are
    removed: ``folder`` is left as it was.

    Returns
    -------
    list of Path
        The files written, in the order of ``files``.

    Raises
    ------
    ReconstructionInputError
        ``folder`` cannot be created or written (naming it and why).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "new" / "out"
    >>> [p.name for p in write_files(out, {"a.csv": b"x\\n", "b.txt": b""})]
    ['a.csv', 'b.txt']
    >>> sorted(p.name for p in out.iterdir())
    ['a.csv', 'b.txt']
    """
    folder = Path(folder)
    created, staged = _missing_folders(folder), []
    try:
        if folder.exists() and not folder.is_dir():
            raise ReconstructionInputError(f"{folder}: exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        for name in files:
            if (folder / name).exists() and not (folder / name).is_file():
                raise ReconstructionInputError(f"{folder / name}: exists and is not a file")
        for name, data in files.items():
            fd, tmp = _create(folder / name)
            staged.append(tmp)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for tmp, name in zip(staged, files, strict=True):
            os.replace(tmp, folder / name)
    except BaseException as err:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
        for made in reversed(created):
            try:
                made.rmdir()
            except OSError:
                break
        if isinstance(err, OSError):
            raise ReconstructionInputError(
                f"{folder}: cannot write the outputs ({err.strerror or err})") from err
        raise
    return [folder / name for name in files]


def write_frame(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a frame as :func:`csv_bytes` to ``path`` (atomically); return the path."""
    path = Path(path)
    return write_files(path.parent, {path.name: csv_bytes(frame)})[0]
