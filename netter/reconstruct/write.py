"""ADSL and ADTTE in the shape of netter's data layer, from a reconstruction.

ADSL: ``STUDYID``, ``USUBJID``, ``TRT01P`` (the arm labels as given), ``ITTFL`` (``Y``).
ADTTE: ``STUDYID``, ``USUBJID``, ``PARAMCD``, ``PARAM``, ``AVAL`` (in the declared unit,
rounded to 6 decimals), ``AVALU`` (``MONTHS``, ``DAYS``, ``WEEKS`` or ``YEARS``), ``CNSR``
(0 = event, 1 = censored), ``EVNTDESC``, ``CNSDTDSC`` and ``SRCDESC`` (provenance).

``USUBJID`` is ``<STUDYID>-<arm number>-<sequence>``: arms numbered from 1 in input order,
patients numbered in time order within each arm.  Files are UTF-8 CSV with ``\\n`` line
ends, written the same way every time (same reconstruction, same bytes).

Examples
--------
>>> import numpy as np
>>> usubjids("RECON", 2, 3)
['RECON-2-0001', 'RECON-2-0002', 'RECON-2-0003']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam import columns as col

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


def write_frame(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as UTF-8 CSV with ``\\n`` line ends and no index; return the path."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_adam(rec, folder: Path, *, source: str) -> list[Path]:
    """Write ``adsl.csv`` and ``adtte.csv`` into ``folder``; return their paths."""
    adsl, adtte = adam_frames(rec, source=source)
    return [write_frame(adsl, folder / f"{col.ADSL}.csv"),
            write_frame(adtte, folder / f"{col.ADTTE}.csv")]
