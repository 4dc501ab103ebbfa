"""Command-line interface: ``netter <command>``; ``netter --help`` lists the commands.

The CLI parses arguments, calls one library function and reports; it computes nothing
itself.  Exit status (:data:`EXIT_CODES`): 0 done; 1 bad input, one message on standard
error naming the file, variable, value and subject (:class:`~netter.errors.NetterError`),
or a file that cannot be read or written (``OSError``); 2 a command line that cannot be
parsed (unknown option, missing argument: argparse's usage message); 130 interrupted.
Data warnings (:class:`~netter.errors.DataWarning`) are printed as ``warning:`` lines;
``--strict`` makes them errors (status 1).

Modules
-------
common
    Argument helpers (lists, data options, ``--study``).
data
    ``simulate``, ``validate``, ``analyze``, ``subgroups``.
crossover
    ``crossover``: an endpoint's hazard ratio adjusted for switching.
explain
    ``explain``: why an endpoint's numbers differ between R, SAS, lifelines, statsmodels.
design
    ``design``: operating characteristics of a design over many simulated trials.
study
    ``study init|show|make``, ``run``.
outputs
    ``figures``, ``tables``, ``scorecard``, ``calibrate``.
"""

from __future__ import annotations

import argparse
import sys

from netter import __version__

#: Exit statuses of ``netter`` (the README documents the same).
EXIT_CODES = {0: "done", 1: "bad input: data, files or values (the message names them)",
              2: "a command line that cannot be parsed (usage message)", 130: "interrupted"}

DESCRIPTION = ("Reanalyse time-to-event trials from CDISC ADaM data: validate, analyse, "
               "draw, tabulate,\ncompare with published numbers, simulate and reconstruct.")
EPILOG = ("`netter <command> --help` describes a command.\n\nexit status:\n"
          + "\n".join(f"  {code:<4}{text}" for code, text in EXIT_CODES.items()))


def build_parser() -> argparse.ArgumentParser:
    """Build the ``netter`` argument parser (one sub-command per job)."""
    from netter.cli import crossover, data, design, explain, extrapolate, outputs, study
    from netter.reconstruct.command import add_reconstruct_parser

    parser = argparse.ArgumentParser(
        prog="netter", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"netter {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    study.add_study(sub)
    data.add_simulate(sub)
    data.add_validate(sub)
    data.add_analyze(sub)
    data.add_subgroups(sub)
    crossover.add_crossover(sub)
    extrapolate.add_extrapolate(sub)
    design.add_design(sub)
    explain.add_explain(sub)
    study.add_run(sub)
    outputs.add_figures(sub)
    outputs.add_tables(sub)
    outputs.add_scorecard(sub)
    outputs.add_calibrate(sub)
    add_reconstruct_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code (:data:`EXIT_CODES`)."""
    import warnings

    from netter.errors import DataWarning, NetterError

    args = build_parser().parse_args(argv)

    def show(message, category, *_args, **_kwargs):
        print(f"netter {args.command}: warning: {message}", file=sys.stderr)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            warnings.showwarning = show
            return args.func(args)
    except NetterError as err:
        print(f"netter {args.command}: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"netter {args.command}: {_os_message(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"netter {args.command}: interrupted", file=sys.stderr)
        return 130


def _os_message(err: OSError) -> str:
    """A file-system error as one line: the path(s) and the reason, no traceback.

    Examples
    --------
    >>> _os_message(IsADirectoryError(21, "Is a directory", "out/x.json"))
    'cannot use out/x.json: Is a directory'
    >>> _os_message(OSError("disk on fire"))
    'file-system error: disk on fire'
    """
    reason = err.strerror or str(err)
    paths = " -> ".join(str(p) for p in (err.filename, err.filename2) if p is not None)
    return f"cannot use {paths}: {reason}" if paths else f"file-system error: {reason}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
