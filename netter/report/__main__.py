"""``python -m netter.report notebook|notebooks|index|home``: the report steps ``make`` runs."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run one report step; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m netter.report", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    nb = sub.add_parser("notebook", help="execute an analysis script into an HTML notebook")
    nb.add_argument("script", help="percent-format script, e.g. analyses/analysis.py")
    nb.add_argument("--out", required=True, help="HTML file to write")
    nb.add_argument("--cwd", default=".", help="working directory of the kernel")
    nb.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    nbs = sub.add_parser("notebooks", help="execute several analysis scripts, each in a fresh "
                                           "kernel forked from one warm process")
    nbs.add_argument("--job", nargs="+", action="append", required=True,
                     metavar="SCRIPT OUT [NAME=VALUE ...]",
                     help="a script, its HTML page and its kernel's extra environment "
                          "variables (repeat per notebook)")
    nbs.add_argument("--workers", type=int, default=1,
                     help="notebooks run at once (pages do not depend on it; default 1)")
    nbs.add_argument("--cwd", default=".", help="working directory of the kernels")
    nbs.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    idx = sub.add_parser("index", help="write <reports>/index.html of one study")
    idx.add_argument("--reports", required=True, help="the study's reports folder")
    idx.add_argument("--study", default=None, help="study id, folder or study.toml")
    home = sub.add_parser("home", help="write <reports>/index.html linking the studies")
    home.add_argument("--reports", default="reports", help="reports folder")
    home.add_argument("studies", nargs="+", help="study ids (reports in <reports>/<id>/)")
    args = parser.parse_args(argv)
    from netter.errors import NetterError

    try:
        return _run(args)
    except NetterError as err:
        print(f"netter report {args.command}: {err}", file=sys.stderr)
        return 1


def _run(args) -> int:
    if args.command == "notebook":
        from netter.report.notebook import execute_script

        print(execute_script(args.script, args.out, cwd=args.cwd, timeout=args.timeout))
    elif args.command == "notebooks":
        from netter.report.notebook import execute_scripts

        jobs = [_job(job) for job in args.job]
        execute_scripts(jobs, cwd=args.cwd, timeout=args.timeout, workers=args.workers,
                        progress=lambda job: print(f"    notebook {job.script} -> "
                                                   f"{job.html_out}", flush=True))
    elif args.command == "index":
        from netter.report.index import write_index
        from netter.study import load_study

        print(write_index(args.reports, load_study(args.study)))
    else:
        from netter.report.index import write_home
        from netter.study import load_study

        print(write_home(args.reports, [load_study(s) for s in args.studies]))
    return 0


def _job(words: list[str]):
    """``SCRIPT OUT [NAME=VALUE ...]`` as a :class:`~netter.report.notebook.NotebookJob`."""
    from pathlib import Path

    from netter.errors import NetterError
    from netter.report.notebook import NotebookJob

    if len(words) < 2:
        raise NetterError(f"--job {' '.join(words)}: give SCRIPT OUT [NAME=VALUE ...]")
    env = {}
    for word in words[2:]:
        name, sep, value = word.partition("=")
        if not sep or not name.isidentifier():
            raise NetterError(f"--job {words[0]}: {word!r} is not NAME=VALUE")
        env[name] = value
    return NotebookJob(Path(words[0]), Path(words[1]), env)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
