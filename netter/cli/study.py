"""``netter study init|show|make`` and ``netter run``: studies as data, analysed as declared.

``netter run`` runs a study's analyses (all, or those named) on the data of their
cut-offs and writes ``<results>/<analysis>.json`` for each: the same documents the
notebooks save, without a notebook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netter.cli.common import add_strict_option, add_study_option, names, the_study


def _cmd_study_init(args: argparse.Namespace) -> int:
    from netter.study.starter import write_starter

    path = write_starter(args.data, args.out, arm_var=args.arm_var or "TRT01P",
                         reference=args.reference, study_id=args.id)
    print(path)
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if "CHECK" in line and not line.startswith("#"):
            print(f"  check: {line.strip()}", file=sys.stderr)
    return 0


def _cmd_study_show(args: argparse.Namespace) -> int:
    from netter.study import load_study
    from netter.study.describe import describe_study

    print(describe_study(load_study(args.study_ref or args.study)))
    return 0


def _cmd_study_make(args: argparse.Namespace) -> int:
    from netter.report.plan import make_variables

    text = make_variables(the_study(args))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from netter.artefacts import write_results
    from netter.endpoints.study import run_analyses

    study = the_study(args)
    documents = run_analyses(study, args.analysis, args.data, strict=args.strict)
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    for name, document in documents.items():
        path = write_results(document, out / f"{name}.json")
        if not args.quiet:
            print(path)
    return 0


def add_study(sub) -> None:
    study = sub.add_parser("study", help="study definitions: init, show, make")
    commands = study.add_subparsers(dest="study_command", required=True)
    init = commands.add_parser("init", help="write a starter study.toml from an ADaM folder")
    init.add_argument("--data", required=True,
                      help="ADaM folder (or a folder of cut-off subfolders)")
    init.add_argument("--out", required=True, help="study.toml to write (never overwritten)")
    init.add_argument("--arm-var", default=None, help="ADSL arm variable (default TRT01P)")
    init.add_argument("--reference", default=None, help="the reference (control) arm")
    init.add_argument("--id", default=None, help="study id (default: the data folder's name)")
    init.set_defaults(func=_cmd_study_init)
    show = commands.add_parser("show", help="print what a study declares")
    show.add_argument("study_ref", nargs="?", default=None, metavar="STUDY",
                      help="study id, folder or study.toml (default: the default study)")
    add_study_option(show)
    show.set_defaults(func=_cmd_study_show)
    make = commands.add_parser("make", help="the study's report plan as Make variables")
    add_study_option(make)
    make.add_argument("--out", default=None, help="file to write (default: standard output)")
    make.set_defaults(func=_cmd_study_make)


def add_run(sub) -> None:
    run = sub.add_parser("run", help="run a study's analyses into results JSON files")
    add_study_option(run)
    run.add_argument("--data", default=None,
                     help="data folder, one subfolder per cut-off (default: the study's)")
    run.add_argument("--analysis", type=names, default=None,
                     help="analyses to run, e.g. pfs,os (default: all)")
    run.add_argument("--results", required=True, help="folder for <analysis>.json")
    add_strict_option(run)
    run.add_argument("--quiet", action="store_true", help="do not list the files written")
    run.set_defaults(func=_cmd_run)
