"""Command-line interface: ``netter simulate``, ``netter validate``.

The CLI parses arguments, calls one library function and reports; it computes nothing itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netter import __version__


def _cmd_simulate(args: argparse.Namespace) -> int:
    from netter.synthetic.config import load_config
    from netter.synthetic.write import write_trial

    config = load_config(args.config)
    written = write_trial(config, seed=args.seed, out=Path(args.out), progress=not args.quiet)
    for path in written:
        print(path)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from netter.adam.io import load_adam
    from netter.adam.summary import describe

    data = load_adam(
        args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs, arm_var=args.arm_var
    )
    print(describe(data))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the ``netter`` argument parser (one sub-command per job)."""
    parser = argparse.ArgumentParser(prog="netter", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"netter {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    sim = sub.add_parser("simulate", help="generate the synthetic NETTER-1 trial in ADaM form")
    sim.add_argument("--config", default=None, help="TOML config (default: the shipped one)")
    sim.add_argument("--seed", type=int, default=None, help="seed (default: the config's)")
    sim.add_argument("--out", required=True, help="output folder; one subfolder per cut-off")
    sim.add_argument("--quiet", action="store_true", help="no progress bar")
    sim.set_defaults(func=_cmd_simulate)

    val = sub.add_parser("validate", help="check an ADaM folder (ADSL, ADTTE, ADRS)")
    val.add_argument("--data", default=None, help="folder holding adsl/adtte/adrs files")
    val.add_argument("--adsl", default=None, help="explicit ADSL file")
    val.add_argument("--adtte", default=None, help="explicit ADTTE file")
    val.add_argument("--adrs", default=None, help="explicit ADRS file")
    val.add_argument("--arm-var", default="TRT01P", help="ADSL arm variable (default TRT01P)")
    val.set_defaults(func=_cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code (0 ok, 1 invalid data, 2 usage)."""
    from netter.errors import NetterError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NetterError as err:
        print(f"netter {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
