"""Command-line interface: ``netter simulate``, ``validate``, ``analyze``, ``subgroups``,
``figures`` and ``tables``.

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


def _cmd_analyze(args: argparse.Namespace) -> int:
    from netter.adam.io import load_adam
    from netter.artefacts import write_results
    from netter.endpoints.response import write_bor_audit_csv
    from netter.endpoints.text import summary_text
    from netter.endpoints.trial import ResponseOptions, analyze_trial

    data = load_adam(
        args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs, arm_var=args.arm_var
    )
    options = ResponseOptions(
        confirm=not args.unconfirmed, ci_method=args.response_ci,
        difference_method=args.difference_method, cmh_correct=args.cmh_correct)
    document = analyze_trial(
        data, profile=args.profile, conf_level=args.conf_level, reference=args.reference,
        strata=args.strata, params=args.params, landmarks=args.landmarks,
        rmst_tau=args.rmst_tau, population_flag=args.population_flag,
        response_options=options,
    )
    if args.bor_audit and data.adrs is not None:
        write_bor_audit_csv(args.bor_audit, data.adsl, data.adrs, arm_var=data.arm_var,
                            confirm=options.confirm)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_results(document, out)
    if not args.quiet:
        print(summary_text(document))
    return 0


def _cmd_subgroups(args: argparse.Namespace) -> int:
    """Write the subgroups document (``--out``): one file, schema ``netter.subgroups/1``."""
    from netter.adam.io import load_adam
    from netter.artefacts import write_results
    from netter.endpoints.subgroups import analyze_subgroups

    data = load_adam(
        args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs, arm_var=args.arm_var
    )
    document = analyze_subgroups(
        data, paramcd=args.param, variables=args.vars, profile=args.profile,
        conf_level=args.conf_level, reference=args.reference,
        population_flag=args.population_flag)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_results(document, out)
    if not args.quiet:
        print(out)
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    """Write the figures of a results and/or subgroups document into ``--out``.

    Files (``NAME`` = ``--name``): ``NAME--km.png`` and ``NAME--km.svg`` (with
    ``--results``: the Kaplan-Meier figure of ``--param``, default the only endpoint);
    ``NAME--forest.png`` and ``NAME--forest.svg`` (with ``--subgroups``);
    ``NAME--response.png`` and ``NAME--response.svg`` (when the results hold a
    ``"response"`` block).  Nothing else.
    """
    from netter.artefacts import read_document, read_results
    from netter.endpoints.subgroups import SubgroupsDocument
    from netter.figures.outputs import write_figures

    results = read_results(args.results) if args.results else None
    subgroups = read_document(args.subgroups, SubgroupsDocument) if args.subgroups else None
    written = write_figures(args.out, args.name, results=results, subgroups=subgroups,
                            param=args.param, width=args.width, kinds=args.kinds)
    if not args.quiet:
        print("\n".join(str(p) for p in written))
    return 0


def _cmd_tables(args: argparse.Namespace) -> int:
    """Write the tables of a results document (and of ADSL) into ``--out``.

    Files (``NAME`` = ``--name``): ``NAME--summary.csv`` and ``NAME--summary.html``
    (time-to-event summary of ``--param``, default the only endpoint);
    ``NAME--response.csv`` and ``NAME--response.html`` (when the results hold a
    ``"response"`` block); with ``--data``: ``baseline.json`` (the statistics, schema
    ``netter.baseline/1``), ``baseline.csv`` and ``baseline.html``.  Nothing else.
    """
    from netter.adam.io import load_adam
    from netter.artefacts import read_results
    from netter.tables.outputs import baseline_document, write_tables

    results = read_results(args.results)
    baseline = None
    if args.data or args.adsl:
        data = load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                         arm_var=results.arm_var)
        baseline = baseline_document(data, arm_var=results.arm_var,
                                     population_flag=results.population_flag,
                                     variables=args.baseline_vars)
    written = write_tables(args.out, args.name, results=results, param=args.param,
                           baseline=baseline, kinds=args.kinds)
    if not args.quiet:
        print("\n".join(str(p) for p in written))
    return 0


def _names(text: str) -> list[str]:
    """A comma-separated list of names (``--strata STRAT1R,STRAT2R``)."""
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty name in {text!r}")
    return names


def _names_lower(text: str) -> list[str]:
    """A comma-separated list of lower-case names (``--kinds km,response``)."""
    return [name.lower() for name in _names(text)]


def _numbers(text: str) -> list[float]:
    """A comma-separated list of numbers (``--landmarks 12,20``)."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError as err:
        message = f"not a comma-separated list of numbers: {text!r}"
        raise argparse.ArgumentTypeError(message) from err


def _add_analyze(sub) -> None:
    ana = sub.add_parser("analyze", help="time-to-event analyses of ADSL + ADTTE as results JSON")
    ana.add_argument("--data", default=None, help="folder holding adsl/adtte/adrs files")
    ana.add_argument("--adsl", default=None, help="explicit ADSL file")
    ana.add_argument("--adtte", default=None, help="explicit ADTTE file")
    ana.add_argument("--adrs", default=None, help="explicit ADRS file")
    ana.add_argument("--out", required=True, help="results JSON file to write")
    ana.add_argument("--profile", choices=("r", "sas"), default="r",
                     help="method profile (default r: matches R survival)")
    ana.add_argument("--conf-level", type=float, default=None,
                     help="confidence level (default 0.95)")
    ana.add_argument("--arm-var", default="TRT01P", help="ADSL arm variable (default TRT01P)")
    ana.add_argument("--reference", default=None,
                     help="reference arm (default: Octreotide LAR 60 mg when present)")
    ana.add_argument("--strata", type=_names, default=[],
                     help="ADSL stratification variables, e.g. STRAT1R,STRAT2R")
    ana.add_argument("--params", type=_names, default=None,
                     help="ADTTE PARAMCDs to analyse, e.g. PFS,OS (default: all)")
    ana.add_argument("--landmarks", type=_numbers, default=[],
                     help="months at which to read the survival curves, e.g. 12,20")
    ana.add_argument("--rmst-tau", type=float, default=None,
                     help="restriction time (months) for RMST and its difference")
    ana.add_argument("--population-flag", default=None,
                     help="ADSL flag selecting the analysis population, e.g. ITTFL")
    ana.add_argument("--unconfirmed", action="store_true",
                     help="response: do not require confirmation of CR/PR (default: confirmed)")
    ana.add_argument("--response-ci", choices=("clopper-pearson", "wilson"),
                     default="clopper-pearson", help="response rate CI (default exact)")
    ana.add_argument("--difference-method", choices=("newcombe", "miettinen-nurminen"),
                     default="newcombe", help="CI of the ORR difference (default newcombe)")
    ana.add_argument("--cmh-correct", action="store_true",
                     help="continuity correction in the CMH test (default: none)")
    ana.add_argument("--bor-audit", default=None,
                     help="write the per-subject best-overall-response derivation (CSV)")
    ana.add_argument("--quiet", action="store_true", help="do not print the summary")
    ana.set_defaults(func=_cmd_analyze)


def _add_data_options(parser) -> None:
    """``--data``, ``--adsl``, ``--adtte``, ``--adrs`` and ``--arm-var``."""
    parser.add_argument("--data", default=None, help="folder holding adsl/adtte/adrs files")
    parser.add_argument("--adsl", default=None, help="explicit ADSL file")
    parser.add_argument("--adtte", default=None, help="explicit ADTTE file")
    parser.add_argument("--adrs", default=None, help="explicit ADRS file")
    parser.add_argument("--arm-var", default="TRT01P",
                        help="ADSL arm variable (default TRT01P)")


def _add_subgroups(sub) -> None:
    grp = sub.add_parser("subgroups", help="hazard ratios by subgroup as a results JSON")
    _add_data_options(grp)
    grp.add_argument("--param", required=True, help="ADTTE PARAMCD, e.g. PFS")
    grp.add_argument("--vars", type=_names, required=True,
                     help="ADSL variables, e.g. STRAT1R,STRAT2R,AGEGR1,SEX")
    grp.add_argument("--out", required=True, help="subgroups JSON file to write")
    grp.add_argument("--profile", choices=("r", "sas"), default="r",
                     help="method profile (default r: Efron ties)")
    grp.add_argument("--conf-level", type=float, default=None,
                     help="confidence level (default 0.95)")
    grp.add_argument("--reference", default=None,
                     help="reference arm (default: Octreotide LAR 60 mg when present)")
    grp.add_argument("--population-flag", default=None,
                     help="ADSL flag selecting the analysis population, e.g. ITTFL")
    grp.add_argument("--quiet", action="store_true", help="do not print the file written")
    grp.set_defaults(func=_cmd_subgroups)


def _cmd_scorecard(args: argparse.Namespace) -> int:
    """Published NETTER-1 numbers vs the results given: JSON, CSV, HTML and a figure."""
    from netter.scorecard import build_scorecard, find_results, write_scorecard_files
    from netter.scorecard.output import summary_sentence

    document = build_scorecard(find_results(args.results))
    written = write_scorecard_files(document, Path(args.out), figure=not args.no_figure)
    if not args.quiet:
        print("\n".join(str(path) for path in written))
        print(summary_sentence(document))
    return 0


def _add_scorecard(sub) -> None:
    card = sub.add_parser("scorecard", help="published NETTER-1 numbers vs reproduced results")
    card.add_argument("--results", nargs="+", required=True,
                      help="results JSON files and/or folders of them (analysis = file stem)")
    card.add_argument("--out", required=True,
                      help="reports folder: writes results/scorecard.json, "
                           "tables/scorecard.{csv,html}, figures/scorecard--summary.{png,svg}")
    card.add_argument("--no-figure", action="store_true", help="skip the figure")
    card.add_argument("--quiet", action="store_true", help="print nothing")
    card.set_defaults(func=_cmd_scorecard)


def _add_figures(sub) -> None:
    fig = sub.add_parser("figures", help="Kaplan-Meier, forest and response figures (PNG+SVG)",
                         description=_cmd_figures.__doc__.split("\n\n")[1])
    fig.add_argument("--results", default=None, help="results JSON of netter analyze")
    fig.add_argument("--subgroups", default=None, help="subgroups JSON of netter subgroups")
    fig.add_argument("--out", required=True, help="output folder, e.g. reports/figures")
    fig.add_argument("--name", required=True, help="file prefix, e.g. pfs_primary")
    fig.add_argument("--param", default=None, help="endpoint (default: the only one)")
    fig.add_argument("--width", type=float, default=3.5,
                     help="figure width in inches (default 3.5: single column)")
    fig.add_argument("--kinds", type=_names_lower, default=None,
                     help="only these figures: km,forest,response (default: all allowed)")
    fig.add_argument("--quiet", action="store_true", help="do not list the files written")
    fig.set_defaults(func=_cmd_figures)


def _add_tables(sub) -> None:
    tab = sub.add_parser("tables", help="summary, response and baseline tables (CSV+HTML)",
                         description=_cmd_tables.__doc__.split("\n\n")[1])
    tab.add_argument("--results", required=True, help="results JSON of netter analyze")
    _add_data_options(tab)
    tab.add_argument("--out", required=True, help="output folder, e.g. reports/tables")
    tab.add_argument("--name", required=True, help="file prefix, e.g. pfs_primary")
    tab.add_argument("--param", default=None, help="endpoint (default: the only one)")
    tab.add_argument("--baseline-vars", type=_names, default=None,
                     help="ADSL variables of the baseline table (default: the synthetic "
                          "trial's, those present)")
    tab.add_argument("--kinds", type=_names_lower, default=None,
                     help="only these tables: summary,response (default: all allowed)")
    tab.add_argument("--quiet", action="store_true", help="do not list the files written")
    tab.set_defaults(func=_cmd_tables)


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

    _add_analyze(sub)
    _add_subgroups(sub)
    _add_scorecard(sub)
    _add_figures(sub)
    _add_tables(sub)
    from netter.reconstruct.command import add_reconstruct_parser
    add_reconstruct_parser(sub)
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
