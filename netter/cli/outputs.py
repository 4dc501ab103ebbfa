"""``netter figures``, ``tables``, ``scorecard`` and ``calibrate``: documents to reports.

Figures and tables are drawn from saved documents alone (every label was recorded when
the analysis ran); the scorecard and the calibration need the study (its published
numbers, its mapping of them to results, its simulator).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from netter.cli.common import (
    add_data_options,
    add_study_option,
    file_stem,
    names,
    names_lower,
    the_study,
)


def _documents(args) -> list[tuple[str, dict]]:
    """``(name, document)`` for each file of ``--results`` (any kind) and ``--subgroups``.

    The name is ``--name`` when given (one document, or one results and one subgroups
    document drawn under one name), else each file's stem.
    """
    from netter.artefacts import read_any
    from netter.errors import NetterError

    paths = [*(args.results or []), *([args.subgroups] if getattr(args, "subgroups", None)
                                      else [])]
    if not paths:
        raise NetterError("nothing to draw: give a results and/or a subgroups document")
    if args.name is not None and len(args.results or []) > 1:
        raise NetterError(f"--name {args.name!r} names one document; {len(args.results)} "
                          "results files given (leave --name out: each is named by its "
                          "file stem)")
    stems = [Path(p).stem for p in paths]
    if args.name is None and len(set(stems)) < len(stems):
        twice = sorted({s for s in stems if stems.count(s) > 1})
        raise NetterError(f"two documents would write files named {twice[0]!r}: give them "
                          "different file names, or one at a time with --name")
    return [(args.name or stem, read_any(path)) for stem, path in zip(stems, paths,
                                                                       strict=True)]


def _cmd_figures(args: argparse.Namespace) -> int:
    """Write the figures of one or more documents into ``--out``.

    Files (``NAME`` = ``--name``, else each document's file stem): ``NAME--km.png/.svg``
    per endpoint of a results document (``NAME-<paramcd>--km`` with several; ``--param``
    for one), ``NAME--response.png/.svg`` when it has a ``"response"`` block,
    ``NAME--forest`` for a subgroups document, ``NAME--crossover`` and
    ``NAME--crossover-km`` for a crossover document, ``NAME--extrapolation`` and
    ``NAME--hazard`` per endpoint (``NAME-<paramcd>--...`` with several) and
    ``NAME--psm`` (with partitioned survival) for an extrapolation document.  Nothing
    else.  One process draws every
    document given (Make draws all of a study's figures in one).
    """
    from netter.figures.outputs import write_figures

    written = []
    for name, document in _documents(args):
        written += write_figures(args.out, name, document, param=args.param,
                                 width=args.width, kinds=args.kinds)
    if not args.quiet:
        print("\n".join(str(p) for p in written))
    return 0


def _cmd_tables(args: argparse.Namespace) -> int:
    """Write the tables of one or more documents into ``--out``.

    Files (``NAME`` = ``--name``, else each document's file stem):
    ``NAME--summary.csv/.html`` per endpoint of a results document,
    ``NAME--response.csv/.html`` when it has a ``"response"`` block,
    ``NAME--characteristics.csv/.html`` for a description (baseline) document,
    ``NAME--crossover.csv/.html`` for a crossover document,
    ``NAME--extrapolation.csv/.html`` (and ``NAME--psm.csv/.html`` with partitioned
    survival) for an extrapolation document; with
    ``--data``: ``baseline.json`` (the description of ``--baseline-vars``, or the study's
    baseline variables), ``baseline.csv`` and ``baseline.html``.  Nothing else.
    """
    from netter.artefacts import write_results
    from netter.tables.baseline import baseline_table
    from netter.tables.outputs import write_tables
    from netter.tables.table import write_table

    written = []
    for name, document in _documents(args):
        written += write_tables(args.out, name, document, param=args.param, kinds=args.kinds)
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
                     arm_var=args.arm_var or (study.arm_var if study else "TRT01P"),
                     strict=args.strict)
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
    """Simulate many trials of a study and compare its published numbers with them.

    The digest of the calibration's inputs (study files, seeds, library sources, numeric
    library versions) is saved in ``calibration.json``; when the saved one matches, the
    files are kept (and their times refreshed) instead of rerunning.  ``--force`` reruns.
    """
    import os

    from netter.scorecard.calibration import FILES, load_plan, run_calibration, write_calibration
    from netter.scorecard.calibration_inputs import inputs_digest, saved_digest

    study = the_study(args)
    count = load_plan(study).seeds if args.seeds is None else args.seeds
    seeds = range(1, count + 1)
    digest = inputs_digest(study, seeds, args.config, per_trial=args.per_trial)
    out = Path(args.out)
    if not args.force and saved_digest(out, FILES) == digest:
        for name in FILES:
            os.utime(out / name)
        if not args.quiet:
            print(f"calibration of {study.id}: inputs unchanged (sha256 {digest[:12]}), "
                  f"kept {out}/ (--force reruns)")
        return 0
    if not args.quiet:
        print(f"calibration of {study.id}: {count} simulated trials on {args.workers} "
              f"process(es) (inputs sha256 {digest[:12]})", flush=True)
    summary = run_calibration(study, seeds=seeds, config_path=args.config,
                              progress=not args.quiet, workers=args.workers,
                              engine=False if args.per_trial else None)
    for path in write_calibration(summary, out, inputs_sha256=digest):
        if not args.quiet:
            print(path)
    return 0


def add_figures(sub) -> None:
    fig = sub.add_parser("figures", help="Kaplan-Meier, forest, response and crossover "
                         "figures (PNG+SVG)",
                         description=_cmd_figures.__doc__.split("\n\n")[1])
    fig.add_argument("--results", nargs="+", default=None,
                     help="results documents (any kind), drawn in one process")
    fig.add_argument("--subgroups", default=None, help="a subgroups document")
    fig.add_argument("--out", required=True, help="output folder, e.g. reports/netter1/figures")
    fig.add_argument("--name", type=file_stem, default=None,
                     help="file prefix for one document, e.g. pfs (default: its file stem)")
    fig.add_argument("--param", default=None, help="only this endpoint (default: all)")
    fig.add_argument("--width", type=float, default=3.5,
                     help="figure width in inches (default 3.5: single column)")
    fig.add_argument("--kinds", type=names_lower, default=None,
                     help="only these figures: km,forest,response,crossover,crossover-km "
                          "(default: all allowed)")
    fig.add_argument("--quiet", action="store_true", help="do not list the files written")
    fig.set_defaults(func=_cmd_figures)


def add_tables(sub) -> None:
    tab = sub.add_parser("tables", help="summary, response, characteristics and crossover "
                         "tables",
                         description=_cmd_tables.__doc__.split("\n\n")[1])
    tab.add_argument("--results", nargs="+", required=True,
                     help="results documents (any kind), written in one process")
    tab.set_defaults(subgroups=None)
    add_data_options(tab)
    add_study_option(tab, required_default=False)
    tab.add_argument("--out", required=True, help="output folder, e.g. reports/netter1/tables")
    tab.add_argument("--name", type=file_stem, default=None,
                     help="file prefix for one document, e.g. pfs (default: its file stem)")
    tab.add_argument("--param", default=None, help="only this endpoint (default: all)")
    tab.add_argument("--baseline-vars", type=names, default=None,
                     help="ADSL variables of the baseline table made with --data (default: "
                          "the study's baseline variables)")
    tab.add_argument("--kinds", type=names_lower, default=None,
                     help="only these tables: summary,response,characteristics,crossover")
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
                     help="processes of the per-trial path (results do not depend on it; "
                          "default 1)")
    cal.add_argument("--per-trial", action="store_true",
                     help="simulate and analyse trial by trial through ADaM and the study's "
                          "analyses (seeds 1..N) instead of on the batched engine (trials "
                          "0..N-1 of the config's seed; used whenever it computes every row)")
    cal.add_argument("--out", required=True, help="folder for calibration.{md,csv,json}")
    cal.add_argument("--force", action="store_true",
                     help="rerun even if calibration.json was made from the same inputs")
    cal.add_argument("--quiet", action="store_true", help="no progress bar, no listing")
    cal.set_defaults(func=_cmd_calibrate)
