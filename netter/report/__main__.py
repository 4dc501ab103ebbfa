"""``python -m netter.report notebook|notebooks|index|home``: the report steps ``make`` runs;
``check``: the reports in headless Chromium (``make check-report``)."""

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
    check = sub.add_parser("check", help="open <reports>/index.html and every page it reaches "
                                         "in headless Chromium: links, anchors, images, "
                                         "console errors (exit 1 if any problem)")
    check.add_argument("--reports", default="reports", help="reports folder")
    check.add_argument("--screenshot", default=None,
                       help="PNG of the home page to write, e.g. reports/check/index.png")
    check.add_argument("--no-browser", action="store_true",
                       help="check the links and anchors only (no Chromium)")
    check.add_argument("--timeout", type=float, default=30.0, help="seconds per page")
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
    elif args.command == "check":
        return _check(args)
    elif args.command == "index":
        from netter.report.index import write_index
        from netter.study import load_study

        print(write_index(args.reports, load_study(args.study)))
    else:
        from netter.report.index import write_home
        from netter.study import load_study

        print(write_home(args.reports, [load_study(s) for s in args.studies]))
    return 0


def _check(args) -> int:
    """``check``: print each problem, then a summary; 1 if there is any problem."""
    import os

    from netter.report.browser import BrowserError, check_reports

    ignore = []
    if args.screenshot:
        folder = os.path.relpath(os.path.dirname(os.path.abspath(args.screenshot)),
                                 os.path.abspath(args.reports))
        if folder != "." and not folder.startswith(".."):
            ignore.append(folder)
    try:
        found = check_reports(args.reports, screenshot=args.screenshot,
                              browser=not args.no_browser, timeout=args.timeout, ignore=ignore)
    except (BrowserError, OSError) as err:
        print(f"netter report check: {err}", file=sys.stderr)
        return 1
    crawl = found.crawl
    for problem in found.problems:
        print(f"    {problem}")
    for path in crawl.unlinked:
        print(f"    note: {path} is linked from no page")
    browser = (f"opened in Chromium ({found.browser}; {found.images} images)" if found.browser
               else "not opened in a browser")
    shot = f"; screenshot {args.screenshot}" if found.browser and args.screenshot else ""
    print(f"    {len(crawl.pages)} pages and {len(crawl.files)} other files reached from "
          f"{os.path.join(args.reports, 'index.html')}, {browser}, in {found.seconds:.1f} s"
          f"{shot}")
    sys.stdout.flush()
    if found.problems:
        kinds: dict[str, int] = {}
        for problem in found.problems:
            kinds[problem.kind] = kinds.get(problem.kind, 0) + 1
        print(f"netter report check: {len(found.problems)} problems ("
              + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) + ")",
              file=sys.stderr)
        return 1
    print("    no problems: every link and image resolves, every image loads, "
          + ("no console errors" if found.browser else "console not checked"))
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
