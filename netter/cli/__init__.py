"""Command-line interface: ``netter <command>``; ``netter --help`` lists the commands.

The CLI parses arguments, calls one library function and reports; it computes nothing
itself.  Input problems (:class:`~netter.errors.NetterError`) become one message on
standard error and exit status 1; usage errors exit 2.

Modules
-------
common
    Argument helpers (lists, data options, ``--study``).
data
    ``simulate``, ``validate``, ``analyze``, ``subgroups``.
study
    ``study init|show|make``, ``run``.
outputs
    ``figures``, ``tables``, ``scorecard``, ``calibrate``.
"""

from __future__ import annotations

import argparse
import sys

from netter import __version__


def build_parser() -> argparse.ArgumentParser:
    """Build the ``netter`` argument parser (one sub-command per job)."""
    from netter.cli import data, outputs, study
    from netter.reconstruct.command import add_reconstruct_parser

    parser = argparse.ArgumentParser(prog="netter", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"netter {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    study.add_study(sub)
    data.add_simulate(sub)
    data.add_validate(sub)
    data.add_analyze(sub)
    data.add_subgroups(sub)
    study.add_run(sub)
    outputs.add_figures(sub)
    outputs.add_tables(sub)
    outputs.add_scorecard(sub)
    outputs.add_calibrate(sub)
    add_reconstruct_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code (0 ok, 1 invalid input, 2 usage)."""
    from netter.errors import NetterError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NetterError as err:
        print(f"netter {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
