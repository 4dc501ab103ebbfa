"""``netter reconstruct``: digitised Kaplan-Meier curves + numbers at risk -> ADaM folder.

::

    netter reconstruct --curve CURVE.csv --at-risk ATRISK.csv [--events EVENTS.csv]
                       [--time-unit months] [--paramcd PFS] --out DIR

``--curve`` may be repeated; each is ``PATH`` (a file with ``arm,time,survival``, or a
two-column file whose arm is its file name) or ``ARM=PATH``.  Writes ``DIR/adsl.csv``,
``DIR/adtte.csv`` and the diagnostics, prints the files and a summary per arm, and
prints each warning on standard error.  Every input is checked before anything is
written; bad input exits with status 1 and writes nothing, and the files are written all
or nothing (:func:`~netter.reconstruct.write.write_files`).

Examples
--------
>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> parser = add_reconstruct_parser(sub)
>>> args = parser.parse_args(["--curve", "a.csv", "--curve", "B=b.csv", "--at-risk", "r.csv",
...                           "--out", "out"])
>>> args.curve, args.time_unit, args.paramcd
(['a.csv', 'B=b.csv'], 'months', 'PFS')
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netter.reconstruct.inputs import SCALES


def reconstruct_command(args: argparse.Namespace) -> int:
    """Run ``netter reconstruct`` with parsed arguments; return the exit code (0).

    Input problems raise :class:`~netter.reconstruct.inputs.ReconstructionInputError`
    (a ``NetterError``), which the CLI turns into a message and exit status 1.
    """
    import pandas as pd

    from netter.reconstruct.diagnostics import fit_table
    from netter.reconstruct.pipeline import reconstruct, write_reconstruction

    rec = reconstruct(args.curve, args.at_risk, args.events, time_unit=args.time_unit,
                      paramcd=args.paramcd, studyid=args.studyid, scale=args.survival_scale)
    written = write_reconstruction(rec, Path(args.out))
    for warning in rec.warnings:
        print(f"netter reconstruct: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        for path in written:
            print(path)
        for row in fit_table(rec).itertuples(index=False):
            given = not pd.isna(row.events_published)
            published = f" (published {row.events_published})" if given else ""
            print(f"{row.arm}: {row.n} patients, {row.events_reconstructed} events"
                  f"{published}, max abs difference {row.max_abs_diff:.4f}, "
                  f"RMSE {row.rmse:.4f}")
    return 0


def add_reconstruct_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``reconstruct`` sub-command to an ``argparse`` sub-parsers object.

    Returns
    -------
    argparse.ArgumentParser
        The sub-command's parser (its default ``func`` is :func:`reconstruct_command`).
    """
    rec = subparsers.add_parser(
        "reconstruct", help="patient-level data from a published Kaplan-Meier figure (Guyot)")
    rec.add_argument("--curve", action="append", required=True, metavar="[ARM=]CURVE.csv",
                     help="digitised curve: arm,time,survival, or a two-column time,survival "
                          "file per arm (ARM=PATH; default arm: the file name); repeatable")
    rec.add_argument("--at-risk", required=True, metavar="ATRISK.csv",
                     help="published numbers at risk: arm,time,n_risk")
    rec.add_argument("--events", default=None, metavar="EVENTS.csv",
                     help="published total events per arm: arm,events (optional)")
    rec.add_argument("--time-unit", default="months",
                     help="unit of the times in the inputs: months (default), days, weeks, "
                          "years")
    rec.add_argument("--paramcd", default="PFS", help="ADTTE PARAMCD to write (default PFS)")
    rec.add_argument("--studyid", default="RECONSTRUCTED",
                     help="STUDYID, also the USUBJID prefix (default RECONSTRUCTED)")
    rec.add_argument("--survival-scale", choices=SCALES, default="auto",
                     help="survival as fraction or percent (default auto: detected, stated)")
    rec.add_argument("--out", required=True, help="output folder (created if needed)")
    rec.add_argument("--quiet", action="store_true", help="print warnings only")
    rec.set_defaults(func=reconstruct_command)
    return rec
