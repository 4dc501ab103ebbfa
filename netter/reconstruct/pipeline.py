"""From the input files to a reconstruction, and from a reconstruction to the output folder.

:func:`reconstruct` reads the files (:mod:`~netter.reconstruct.inputs`), cleans each arm
(:mod:`~netter.reconstruct.cleaning`), runs the algorithm
(:mod:`~netter.reconstruct.guyot`) and collects every change and warning.
:func:`write_reconstruction` writes what ``netter reconstruct`` writes: ``adsl.csv`` and
``adtte.csv`` (:mod:`~netter.reconstruct.write`) and the diagnostics
(:mod:`~netter.reconstruct.diagnostics`).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "curve.csv").write_text(
...     "arm,time,survival\\nA,0,1\\nA,2,0.8\\nA,5,0.6\\nB,0,1\\nB,3,0.5\\nB,4,0.5\\n")
>>> _ = (folder / "risk.csv").write_text("arm,time,n_risk\\nA,0,10\\nA,3,8\\nB,0,10\\n")
>>> rec = reconstruct([folder / "curve.csv"], folder / "risk.csv")
>>> [(a.arm, int(a.fit.patient_event.sum())) for a in rec.arms], rec.time_unit
([('A', 4), ('B', 5)], 'MONTHS')
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from netter.reconstruct import cleaning, diagnostics, inputs, write
from netter.reconstruct.cleaning import CleanAtRisk, CleanCurve
from netter.reconstruct.guyot import GuyotFit, guyot
from netter.reconstruct.inputs import CurveSource, ReconstructionInputError

#: Provenance written in ADTTE ``SRCDESC``.
SOURCE_DESCRIPTION = "Reconstructed (Guyot 2012)"
_PARAMCD = re.compile(r"[A-Z][A-Z0-9_]{0,7}")


@dataclass(frozen=True, eq=False)
class ArmReconstruction:
    """One arm: its inputs as read, after cleaning, and the algorithm's result."""

    arm: str
    curve: CurveSource
    clean: CleanCurve
    at_risk: CleanAtRisk
    total_events: int | None
    fit: GuyotFit


@dataclass(frozen=True, eq=False)
class Reconstruction:
    """A reconstructed trial: one :class:`ArmReconstruction` per arm, in input order.

    Attributes
    ----------
    arms : tuple of ArmReconstruction
    time_unit : str
        The declared unit as ``AVALU`` (``MONTHS``, ``DAYS``, ``WEEKS``, ``YEARS``).
    paramcd, studyid : str
    inputs : dict
        ``curve``, ``at_risk``, ``events``: the files as named (no absolute paths).
    """

    arms: tuple
    time_unit: str
    paramcd: str
    studyid: str
    inputs: dict

    @property
    def changes(self) -> tuple:
        """Every change the cleaning made, arm by arm (curve, then at-risk table)."""
        return tuple(c for a in self.arms for c in (*a.clean.changes, *a.at_risk.changes))

    @property
    def warnings(self) -> tuple:
        """Every warning, arm by arm: at-risk table, curve, algorithm."""
        return tuple(w for a in self.arms
                     for w in (*a.at_risk.warnings, *a.clean.warnings, *a.fit.warnings))


def _check_arms(curves, at_risk: dict, events: dict | None, risk_file: str, event_file: str):
    names = [c.arm for c in curves]
    for curve in curves:
        if curve.arm not in at_risk:
            listing = ", ".join(repr(a) for a in at_risk) or "no arm"
            where = (f"row {curve.row[0]}, column arm" if curve.arm_from == "column arm"
                     else f"arm from the {curve.arm_from}")
            raise ReconstructionInputError(
                f"{curve.file}: {where}: arm {curve.arm!r} has no numbers at risk in "
                f"{risk_file} (it has {listing})")
    for arm, table in at_risk.items():
        if arm not in names:
            raise ReconstructionInputError(
                f"{table.file}: row {table.row[0]}, column arm: arm {arm!r} has no curve "
                f"(curves: {', '.join(repr(a) for a in names)})")
    for arm in events or {}:
        if arm not in names:
            raise ReconstructionInputError(
                f"{event_file}: column arm: arm {arm!r} has no curve "
                f"(curves: {', '.join(repr(a) for a in names)})")


def _check_events(curve: CurveSource, risk: CleanAtRisk, total: int | None,
                  event_file: str) -> None:
    """Total events are at most the arm's size (the count at time 0)."""
    if total is not None and total > risk.n_risk[0]:
        raise ReconstructionInputError(
            f"{event_file}: arm {curve.arm!r}, column events: value {total} is more than the "
            f"arm's {risk.n_risk[0]} patients ({risk.file}: {risk.n_risk[0]} at risk at "
            "time 0)")


def _check_some_event(arm: ArmReconstruction, event_file: str) -> None:
    """An arm without any reconstructed event is refused unless the events file says 0."""
    events = int(arm.fit.patient_event.sum())
    if events or arm.total_events == 0:
        return
    lowest = float(arm.clean.survival.min())
    column = "survival" if arm.curve.arm_from == "column arm" else "survival (2nd)"
    given = ("" if arm.total_events is None else
             f", though {event_file} gives {arm.total_events} for it")
    raise ReconstructionInputError(
        f"{arm.curve.file}: arm {arm.arm!r}, column {column}: the curve gives no event "
        f"(lowest value {lowest:g} among {arm.at_risk.n_risk[0]} patients){given}: check "
        f"the file; for an arm that truly had no event, give it 0 events in --events")


def _paramcd(paramcd: str) -> str:
    code = str(paramcd).strip().upper()
    if not _PARAMCD.fullmatch(code):
        raise ReconstructionInputError(
            f"PARAMCD {paramcd!r}: expected a letter then up to 7 letters, digits or _")
    return code


def reconstruct_sources(curves, at_risk: dict, events: dict | None = None, *,
                        time_unit: str = "months", paramcd: str = "PFS",
                        studyid: str = "RECONSTRUCTED", files: dict | None = None):
    """Reconstruct from inputs already read (see :mod:`~netter.reconstruct.inputs`).

    Parameters
    ----------
    curves : list of CurveSource
    at_risk : dict
        Arm to :class:`~netter.reconstruct.inputs.AtRiskSource`.
    events : dict, optional
        Arm to total events (arms may be missing).
    time_unit, paramcd, studyid : str
    files : dict, optional
        File names recorded in :attr:`Reconstruction.inputs`.

    Returns
    -------
    Reconstruction
    """
    files = files or {}
    unit, code = inputs.normalise_unit(time_unit), _paramcd(paramcd)
    if not str(studyid).strip():
        raise ReconstructionInputError("STUDYID must not be empty")
    inputs.check_label(str(studyid).strip(), "STUDYID")
    event_file = files.get("events", "events file")
    _check_arms(curves, at_risk, events, files.get("at_risk", "at-risk table"), event_file)
    inputs.check_times(curves, at_risk, unit)
    arms = []
    for curve in curves:
        risk = cleaning.clean_at_risk(at_risk[curve.arm])
        total = (events or {}).get(curve.arm)
        _check_events(curve, risk, total, event_file)
        clean = cleaning.clean_curve(curve, risk)
        fit = guyot(clean.time, clean.survival, risk.time, risk.n_risk, total_events=total,
                    label=f"arm {curve.arm!r}")
        arm = ArmReconstruction(curve.arm, curve, clean, risk, total, fit)
        _check_some_event(arm, event_file)
        arms.append(arm)
    return Reconstruction(tuple(arms), unit, code, str(studyid).strip(), dict(files))


def reconstruct(curves, at_risk, events=None, *, time_unit: str = "months",
                paramcd: str = "PFS", studyid: str = "RECONSTRUCTED",
                scale: str = "auto") -> Reconstruction:
    """Read the input files and reconstruct every arm.

    Parameters
    ----------
    curves : list of str or path-like
        Curve files, each ``PATH`` or ``ARM=PATH`` (see :mod:`~netter.reconstruct.inputs`).
    at_risk : str or path-like
        The at-risk table.
    events : str or path-like, optional
        Total events per arm.
    time_unit : str
        Unit of every time in the inputs (``months``, ``days``, ``weeks``, ``years``).
    paramcd : str
        ADTTE ``PARAMCD`` of the reconstructed endpoint.
    studyid : str
        ``STUDYID`` (also the prefix of ``USUBJID``).
    scale : str
        ``"auto"`` (detect fraction or percentage), ``"fraction"`` or ``"percent"``.

    Returns
    -------
    Reconstruction

    Raises
    ------
    ReconstructionInputError
        Bad input, naming file, column, value and row (or arm).  Everything is checked
        here, before anything is written.
    """
    read = inputs.read_curves([os.fspath(c) for c in curves], scale=scale)
    table = inputs.read_at_risk(at_risk)
    totals = inputs.read_events(events) if events is not None else None
    files = {"curve": tuple(dict.fromkeys(c.file for c in read)),
             "at_risk": inputs.display_name(at_risk)}
    if events is not None:
        files["events"] = inputs.display_name(events)
    return reconstruct_sources(read, table, totals, time_unit=time_unit, paramcd=paramcd,
                               studyid=studyid, files=files)


def render_reconstruction(rec: Reconstruction) -> dict[str, bytes]:
    """Every file ``netter reconstruct`` writes, as bytes by file name, in a fixed order:
    ``adsl.csv``, ``adtte.csv`` (:mod:`~netter.reconstruct.write`), then the diagnostics
    (:func:`~netter.reconstruct.diagnostics.render_diagnostics`).  Nothing is written."""
    return {**write.adam_files(rec, source=SOURCE_DESCRIPTION),
            **diagnostics.render_diagnostics(rec)}


def write_reconstruction(rec: Reconstruction, out: str | os.PathLike) -> list[Path]:
    """Write ADSL, ADTTE and the diagnostics into the folder ``out`` (created if needed).

    All or nothing: every file is rendered in memory first, then written to a temporary
    file in ``out`` and renamed into place once all are written
    (:func:`~netter.reconstruct.write.write_files`); a failure leaves ``out`` as it was.
    Files get the permissions the umask gives (0644 typically).

    Returns
    -------
    list of Path
        The files written, in a fixed order.
    """
    return write.write_files(Path(out), render_reconstruction(rec))
