"""``netter simulate``, ``validate``, ``analyze`` and ``subgroups``: data in, documents out.

Each command parses arguments, calls one library function and reports; it computes
nothing itself.  ``--study`` is optional for ``analyze`` and ``subgroups``: it gives the
arm variable, the reference arm, the profile, the time unit and the labels; options
given on the command line win.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from netter.cli.common import (
    add_data_options,
    add_profile_options,
    add_study_option,
    names,
    numbers,
    optional_study,
    profile_from_args,
    the_study,
)


def fh_weights(text: str) -> list[tuple[float, float]]:
    """``--weighted-logrank RHO,GAMMA[;RHO,GAMMA...]``: Fleming-Harrington weight pairs.

    Examples
    --------
    >>> fh_weights("0,1; 1,0")
    [(0.0, 1.0), (1.0, 0.0)]
    >>> fh_weights("0,1,2")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not RHO,GAMMA[;RHO,GAMMA...] (numbers >= 0): '0,1,2'
    """
    from netter.errors import SurvivalDataError
    from netter.stats.nph import check_weights

    try:
        pairs = [tuple(float(v) for v in part.split(",")) for part in text.split(";")]
        if any(len(p) != 2 for p in pairs):
            raise ValueError(text)
        return list(check_weights(pairs))
    except (ValueError, SurvivalDataError) as err:
        raise argparse.ArgumentTypeError(
            f"not RHO,GAMMA[;RHO,GAMMA...] (numbers >= 0): {text!r}") from err


def positive_times(text: str) -> list[float]:
    """A comma-separated list of times > 0 (``--piecewise 6,12,24``, ``--rmst-grid``).

    Examples
    --------
    >>> positive_times("24,12")
    [12.0, 24.0]
    >>> positive_times("6,-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: times must be finite and > 0, got '6,-1'
    """
    import math

    values = numbers(text)
    if not all(math.isfinite(v) and v > 0 for v in values):
        raise argparse.ArgumentTypeError(f"times must be finite and > 0, got {text!r}")
    return sorted(set(values))


def method_settings(args):
    """The non-proportional-hazards settings of ``netter analyze``'s options."""
    from netter.endpoints.methods import MethodSettings

    return MethodSettings(weighted_logrank=tuple(args.weighted_logrank or ()),
                          maxcombo_on=args.maxcombo, piecewise=tuple(args.piecewise or ()),
                          rmst_grid=tuple(args.rmst_grid or ()))


def _arm_var(args, study) -> str:
    return args.arm_var or (study.arm_var if study is not None else "TRT01P")


def _load(args, study):
    from netter.adam.io import load_adam

    return load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                     arm_var=_arm_var(args, study), strict=args.strict)


def _declared_arms(study, data, args) -> None:
    """With ``--study``, every arm of the data must be one the study declares."""
    if study is not None:
        from netter.endpoints.study import check_arms

        check_arms(study, data, args.data or args.adsl)


def _cmd_simulate(args: argparse.Namespace) -> int:
    from netter.errors import NetterError
    from netter.synthetic.config import load_config
    from netter.synthetic.write import write_trial

    config_path = args.config
    if config_path is None:
        study = the_study(args)
        if study.simulation is None:
            raise NetterError(f"{study.path}: the study has no simulator configuration "
                              "(`simulation`); give --config")
        config_path = study.simulation
    written = write_trial(load_config(config_path), seed=args.seed, out=Path(args.out),
                          progress=not args.quiet)
    for path in written:
        print(path)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from netter.adam.summary import describe

    print(describe(_load(args, None)))
    return 0


def _reference(args, study) -> tuple[str | None, str]:
    from netter.endpoints.trial import RULE_GIVEN, RULE_STUDY

    if args.reference is not None or study is None:
        return args.reference, RULE_GIVEN
    return study.reference, RULE_STUDY


def _cmd_analyze(args: argparse.Namespace) -> int:
    from netter.artefacts import write_results
    from netter.endpoints.response import write_bor_audit_csv
    from netter.endpoints.text import summary_text
    from netter.endpoints.trial import ResponseOptions, analyze_trial

    study = optional_study(args)
    data = _load(args, study)
    _declared_arms(study, data, args)
    options = ResponseOptions(
        confirm=not args.unconfirmed, ci_method=args.response_ci,
        difference_method=args.difference_method, cmh_correct=args.cmh_correct)
    reference, rule = _reference(args, study)
    document = analyze_trial(
        data, profile=profile_from_args(args, study, args.conf_level),
        reference=reference, strata=args.strata,
        params=args.params, landmarks=args.landmarks, rmst_tau=args.rmst_tau,
        population_flag=args.population_flag, response_options=options,
        time_unit=args.time_unit or (study.time_unit if study else "months"),
        risk_step=study.risk_step if study else None,
        endpoint_defs=study.endpoints if study else None, reference_rule=rule,
        method_settings=method_settings(args))
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
    from netter.artefacts import write_results
    from netter.endpoints.subgroups import analyze_subgroups

    study = optional_study(args)
    reference, rule = _reference(args, study)
    data = _load(args, study)
    _declared_arms(study, data, args)
    document = analyze_subgroups(
        data, paramcd=args.param, variables=args.vars,
        profile=profile_from_args(args, study, args.conf_level), reference=reference,
        population_flag=args.population_flag, reference_rule=rule,
        time_unit=study.time_unit if study else "months")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_results(document, out)
    if not args.quiet:
        print(out)
    return 0


def add_simulate(sub) -> None:
    sim = sub.add_parser("simulate", help="simulate a study's trial as ADaM files (one folder "
                                          "per cut-off)")
    add_study_option(sim)
    sim.add_argument("--config", default=None,
                     help="simulator TOML config (default: the study's `simulation`)")
    sim.add_argument("--seed", type=int, default=None, help="seed (default: the config's)")
    sim.add_argument("--out", required=True, help="output folder; one subfolder per cut-off")
    sim.add_argument("--quiet", action="store_true", help="no progress bar")
    sim.set_defaults(func=_cmd_simulate)


def add_validate(sub) -> None:
    val = sub.add_parser("validate", help="check an ADaM folder (ADSL, ADTTE, ADRS)")
    add_data_options(val)
    val.set_defaults(func=_cmd_validate)


def _add_method_options(parser) -> None:
    add_profile_options(parser)
    parser.add_argument("--conf-level", type=float, default=None,
                        help="confidence level (default 0.95)")
    parser.add_argument("--reference", default=None,
                        help="reference arm (default: the study's; required without one)")
    parser.add_argument("--population-flag", default=None,
                        help="ADSL flag selecting the analysis population, e.g. ITTFL")


def add_analyze(sub) -> None:
    ana = sub.add_parser("analyze", help="time-to-event analyses of ADSL + ADTTE as results JSON")
    add_data_options(ana)
    add_study_option(ana, required_default=False)
    ana.add_argument("--out", required=True, help="results JSON file to write")
    _add_method_options(ana)
    ana.add_argument("--strata", type=names, default=[],
                     help="ADSL stratification variables, e.g. STRAT1R,STRAT2R")
    ana.add_argument("--params", type=names, default=None,
                     help="ADTTE PARAMCDs to analyse, e.g. PFS,OS (default: all)")
    ana.add_argument("--landmarks", type=numbers, default=[],
                     help="times at which to read the survival curves, e.g. 12,20")
    ana.add_argument("--rmst-tau", type=float, default=None,
                     help="restriction time for RMST and its difference")
    ana.add_argument("--weighted-logrank", type=fh_weights, default=None,
                     metavar="RHO,GAMMA[;RHO,GAMMA...]",
                     help="Fleming-Harrington weighted log-rank tests, e.g. '0,1;1,0'")
    ana.add_argument("--maxcombo", action="store_true",
                     help="MaxCombo test of FH(0,0), FH(0,1), FH(1,0), FH(1,1)")
    ana.add_argument("--piecewise", type=positive_times, default=None, metavar="T1,T2,...",
                     help="hazard ratios between these cut points, e.g. 6,12,24")
    ana.add_argument("--rmst-grid", type=positive_times, default=None, metavar="T1,T2,...",
                     help="RMST difference and ratio at each restriction time, e.g. 12,24,36")
    ana.add_argument("--time-unit", choices=("days", "weeks", "months", "years"), default=None,
                     help="unit of every time (default: the study's, else months)")
    ana.add_argument("--unconfirmed", action="store_true",
                     help="response: do not require confirmation of CR/PR (default: confirmed)")
    ana.add_argument("--response-ci", choices=("clopper-pearson", "wilson"),
                     default="clopper-pearson", help="response rate CI (default exact)")
    ana.add_argument("--difference-method", choices=("newcombe", "miettinen-nurminen"),
                     default="newcombe", help="CI of the ORR difference (default newcombe)")
    ana.add_argument("--cmh-correct", action="store_true", default=None,
                     help="continuity correction in the CMH test (default: the profile's "
                          "option continuity; none in every preset)")
    ana.add_argument("--bor-audit", default=None,
                     help="write the per-subject best-overall-response derivation (CSV)")
    ana.add_argument("--quiet", action="store_true", help="do not print the summary")
    ana.set_defaults(func=_cmd_analyze)


def add_subgroups(sub) -> None:
    grp = sub.add_parser("subgroups", help="hazard ratios by subgroup as a results JSON")
    add_data_options(grp)
    add_study_option(grp, required_default=False)
    grp.add_argument("--param", required=True, help="ADTTE PARAMCD, e.g. PFS")
    grp.add_argument("--vars", type=names, required=True,
                     help="ADSL variables, e.g. STRAT1R,STRAT2R,AGEGR1,SEX")
    grp.add_argument("--out", required=True, help="subgroups JSON file to write")
    _add_method_options(grp)
    grp.add_argument("--quiet", action="store_true", help="do not print the file written")
    grp.set_defaults(func=_cmd_subgroups)
