"""``netter figures``, ``tables``, ``scorecard`` and ``calibrate``: documents to reports.

Figures and tables are drawn from saved documents alone (every label was recorded when
the analysis ran); the scorecard and the calibration need the study (its published
numbers, its mapping of them to results, its simulator).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from netter.cli.common import add_data_options, add_study_option, names, names_lower, the_study


def _documents(args) -> list:
    """The documents named by ``--results`` (any kind) and ``--subgroups``."""
    from netter.artefacts import read_any
    from netter.errors import NetterError

    paths = [p for p in (args.results, getattr(args, "subgroups", None)) if p]
    if not paths:
        raise NetterError("nothing to draw: give a results and/or a subgroups document")
    return [read_any(p) for p in paths]


def _cmd_figures(args: argparse.Namespace) -> int:
    """Write the figures of a document into ``--out``.

    Files (``NAME`` = ``--name``): ``NAME--km.png/.svg`` per endpoint of a results
    document (``NAME-<paramcd>--km`` with several; ``--param`` for one),
    ``NAME--response.png/.svg`` when it has a ``"response"`` block, ``NAME--forest``
    for a subgroups document.  Nothing else.
    """
    from netter.figures.outputs import write_figures

    written = []
    for document in _documents(args):
        written += write_figures(args.out, args.name, document, param=args.param,
                                 width=args.width, kinds=args.kinds)
    if not args.quiet:
        print("\n".join(str(p) for p in written))
    return 0


def _cmd_tables(args: argparse.Namespace) -> int:
    """Write the tables of a document into ``--out``.

    Files (``NAME`` = ``--name``): ``NAME--summary.csv/.html`` per endpoint of a results
    document, ``NAME--response.csv/.html`` when it has a ``"response"`` block,
    ``NAME--characteristics.csv/.html`` for a description (baseline) document; with
    ``--data``: ``baseline.json`` (the description of ``--baseline-vars``, or the study's
    baseline variables), ``baseline.csv`` and ``baseline.html``.  Nothing else.
    """
    from netter.artefacts import write_results
    from netter.tables.baseline import baseline_table
    from netter.tables.outputs import write_tables
    from netter.tables.table import write_table

    written = write_tables(args.out, args.name, _documents(args)[0], param=args.param,
                           kinds=args.kinds)
    if args.data or args.adsl:
        baseline = _baseline(args)
        Path(args.out).mkdir(parents=True, exist_ok=True)
        written.append(write_results(baseline, Path(args.out) / "baseline.json"))
        written += write_table(baseline_table(baseline), args.out, "baseline")
    if not args.quiet:
        print("\n".join(str(p) for p in written))
    return 0


def _baseline(args):
    """The description of ADSL variables asked by ``netter tables --data``."""
    from netter.adam.io import load_adam
    from netter.endpoints.baseline import describe_baseline
    from netter.endpoints.trial import input_files
    from netter.errors import NetterError

    study = the_study(args) if args.study else None
    variables = args.baseline_vars or (study.baseline if study else None)
    if not variables:
        raise NetterError("name the baseline variables (--baseline-vars) or a study with "
                          "baseline variables (--study)")
    data = load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                     arm_var=args.arm_var or (study.arm_var if study else "TRT01P"))
    labels = {v: (study.variables[v].label if study and v in study.variables else None)
              or data.variable_label(v) for v in variables}
    return describe_baseline(data.adsl, variables=variables, arm_var=data.arm_var,
                             inputs=input_files(data, ["adsl"]),
                             variable_labels={k: v for k, v in labels.items() if v})


def _cmd_scorecard(args: argparse.Namespace) -> int:
    """A study's published numbers vs the results given: JSON, CSV, HTML and a figure."""
    from netter.scorecard import build_scorecard, find_results, write_scorecard_files
    from netter.scorecard.output import summary_sentence

    study = the_study(args)
    document = build_scorecard(study, find_results(args.results))
    if document is None:
        if not args.quiet:
            print(f"study {study.id} has no published numbers: no scorecard")
        return 0
    written = write_scorecard_files(document, Path(args.out), figure=not args.no_figure)
    if not args.quiet:
        print("\n".join(str(path) for path in written))
        print(summary_sentence(document))
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    """Simulate many trials of a study and compare its published numbers with them."""
    from netter.scorecard.calibration import run_calibration, write_calibration

    study = the_study(args)
    seeds = None if args.seeds is None else range(1, args.seeds + 1)
    summary = run_calibration(study, seeds=seeds, config_path=args.config,
                              progress=not args.quiet, workers=args.workers)
    for path in write_calibration(summary, Path(args.out)):
        if not args.quiet:
            print(path)
    return 0


def add_figures(sub) -> None:
    fig = sub.add_parser("figures", help="Kaplan-Meier, forest and response figures (PNG+SVG)",
                         description=_cmd_figures.__doc__.split("\n\n")[1])
    fig.add_argument("--results", default=None, help="a results document (any kind)")
    fig.add_argument("--subgroups", default=None, help="a subgroups document")
    fig.add_argument("--out", required=True, help="output folder, e.g. reports/netter1/figures")
    fig.add_argument("--name", required=True, help="file prefix, e.g. pfs")
    fig.add_argument("--param", default=None, help="only this endpoint (default: all)")
    fig.add_argument("--width", type=float, default=3.5,
                     help="figure width in inches (default 3.5: single column)")
    fig.add_argument("--kinds", type=names_lower, default=None,
                     help="only these figures: km,forest,response (default: all allowed)")
    fig.add_argument("--quiet", action="store_true", help="do not list the files written")
    fig.set_defaults(func=_cmd_figures)


def add_tables(sub) -> None:
    tab = sub.add_parser("tables", help="summary, response and characteristics tables",
                         description=_cmd_tables.__doc__.split("\n\n")[1])
    tab.add_argument("--results", required=True, help="a results document (any kind)")
    tab.set_defaults(subgroups=None)
    add_data_options(tab)
    add_study_option(tab, required_default=False)
    tab.add_argument("--out", required=True, help="output folder, e.g. reports/netter1/tables")
    tab.add_argument("--name", required=True, help="file prefix, e.g. pfs")
    tab.add_argument("--param", default=None, help="only this endpoint (default: all)")
    tab.add_argument("--baseline-vars", type=names, default=None,
                     help="ADSL variables of the baseline table made with --data (default: "
                          "the study's baseline variables)")
    tab.add_argument("--kinds", type=names_lower, default=None,
                     help="only these tables: summary,response,characteristics")
    tab.add_argument("--quiet", action="store_true", help="do not list the files written")
    tab.set_defaults(func=_cmd_tables)


def add_scorecard(sub) -> None:
    card = sub.add_parser("scorecard", help="a study's published numbers vs reproduced results")
    add_study_option(card)
    card.add_argument("--results", nargs="+", required=True,
                      help="results JSON files and/or folders of them (analysis = file stem)")
    card.add_argument("--out", required=True,
                      help="reports folder: writes results/scorecard.json, "
                           "tables/scorecard.{csv,html}, figures/scorecard--summary.{png,svg}")
    card.add_argument("--no-figure", action="store_true", help="skip the figure")
    card.add_argument("--quiet", action="store_true", help="print nothing")
    card.set_defaults(func=_cmd_scorecard)


def add_calibrate(sub) -> None:
    cal = sub.add_parser("calibrate", help="a study's published numbers vs its simulator "
                                           "over many simulated trials")
    add_study_option(cal)
    cal.add_argument("--seeds", type=int, default=None,
                     help="number of simulated trials (default: the study's calibration.toml)")
    cal.add_argument("--config", default=None,
                     help="another simulator config (default: the study's)")
    cal.add_argument("--workers", type=int, default=1,
                     help="processes to use (results do not depend on it; default 1)")
    cal.add_argument("--out", required=True, help="folder for calibration.{md,csv,json}")
    cal.add_argument("--quiet", action="store_true", help="no progress bar, no listing")
    cal.set_defaults(func=_cmd_calibrate)
