"""``python -m netter.report notebook|index``: the two report steps ``make`` runs."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run one report step; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m netter.report", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    nb = sub.add_parser("notebook", help="execute an analysis script into an HTML notebook")
    nb.add_argument("script", help="percent-format script, e.g. analyses/pfs_primary.py")
    nb.add_argument("--out", required=True, help="HTML file to write")
    nb.add_argument("--cwd", default=".", help="working directory of the kernel")
    nb.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    idx = sub.add_parser("index", help="write <reports>/index.html")
    idx.add_argument("--reports", default="reports", help="reports folder")
    args = parser.parse_args(argv)
    if args.command == "notebook":
        from netter.report.notebook import execute_script

        print(execute_script(args.script, args.out, cwd=args.cwd, timeout=args.timeout))
    else:
        from netter.report.index import write_index

        print(write_index(args.reports))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
