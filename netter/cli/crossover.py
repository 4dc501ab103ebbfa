"""``netter crossover``: an endpoint's hazard ratio adjusted for switching, as JSON.

The command parses arguments, calls :func:`netter.endpoints.crossover.analyze_crossover`
and writes its ``netter.crossover/1`` document; it computes nothing itself.  With
``--study`` the study gives the arm variable, the reference arm, the profile, the time
unit, the cut-off date (where ``DCUTDT`` is missing) and the default covariates (its
strata); options given on the command line win.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from netter.cli.common import (
    add_data_options,
    add_profile_options,
    add_study_option,
    names,
    optional_study,
    profile_from_args,
)


def _percentiles(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected two percentiles as LOW,HIGH (e.g. 1,99), not {text!r}") from None
    return lo, hi


def _interval(text: str) -> tuple[float, float]:
    return _percentiles(text)


def summary_lines(document) -> list[str]:
    """One line per method: label, HR and interval, or why it is not estimable.

    Examples
    --------
    >>> from netter.results.crossover import HazardRatio, NaiveResult
    >>> class Doc:  # the two fields read
    ...     itt = type("I", (), {"hazard_ratio": HazardRatio(0.8, (0.6, 1.1), "Wald")})()
    ...     methods = type("M", (), {"censor": None})()
    >>> summary_lines(Doc())[0]
    'ITT                                        HR 0.80 (0.60–1.10)'
    """
    from netter.results.crossover import METHODS
    from netter.tables.fmt import ratio_ci

    def hr_text(hr) -> str:
        if hr is None or hr.estimate is None:
            return "not estimable"
        return f"HR {ratio_ci(hr.estimate, hr.ci)}"

    lines = [f"{'ITT':<42} {hr_text(document.itt.hazard_ratio)}"]
    for key in METHODS:
        result = getattr(document.methods, key, None)
        if result is None:
            continue
        text = hr_text(result.hazard_ratio)
        if result.hazard_ratio is None and result.not_estimable_reason:
            text += f": {result.not_estimable_reason}"
        lines.append(f"{result.label:<42} {text}")
    return lines


def _cmd_crossover(args: argparse.Namespace) -> int:
    from netter.adam.io import load_adam
    from netter.artefacts import write_results
    from netter.endpoints.crossover import CrossoverOptions, analyze_crossover, check_methods
    from netter.results.crossover import DEFAULT_METHODS

    study = optional_study(args)
    arm_var = args.arm_var or (study.arm_var if study is not None else "TRT01P")
    data = load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                     arm_var=arm_var, strict=args.strict)
    if study is not None:
        from netter.endpoints.study import check_arms

        check_arms(study, data, args.data or args.adsl)
    reference = args.reference or (study.reference if study is not None else None)
    covariates = (args.covariates if args.covariates is not None else
                  list(study.strata) if study is not None else [])
    options = CrossoverOptions(
        methods=check_methods(args.methods) if args.methods else DEFAULT_METHODS,
        strata=tuple(args.strata), covariates=tuple(covariates),
        rpsftm_test=args.rpsftm_test, recensor=not args.no_recensor,
        rpsftm_interval=args.psi_interval,
        exposure_experimental=args.exposure_experimental, exposure_switch=args.exposure_switch,
        ipcw_interval_days=args.ipcw_interval, ipcw_truncation=args.ipcw_truncate,
        tse_distribution=args.tse_distribution, progression_param=args.progression_param,
        bootstrap=args.bootstrap, seed=args.seed)
    profile = profile_from_args(args, study, args.conf_level)
    cutoff_date = None
    if study is not None and args.cutoff:
        cutoff_date = study.cutoff(args.cutoff).date
    document = analyze_crossover(
        data, param=args.param, reference=reference, experimental=args.experimental,
        arm_var=arm_var, profile=profile,
        time_unit=args.time_unit or (study.time_unit if study is not None else "months"),
        options=options, population_flag=args.population_flag, cutoff_date=cutoff_date,
        progress=not args.quiet)
    if study is not None:
        from dataclasses import replace

        from netter.results.provenance import ArmLabel

        endpoint = study.endpoints.get(args.param)
        document = replace(
            document, arm_labels=tuple(ArmLabel(a.value, a.label) for a in study.arms),
            param_label=endpoint.label if endpoint else None)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_results(document, out)
    if not args.quiet:
        print("\n".join(summary_lines(document)))
    return 0


def add_crossover(sub) -> None:
    """The ``crossover`` sub-command."""
    xo = sub.add_parser(
        "crossover", help="hazard ratio adjusted for switching (RPSFTM, IPCW, two-stage)",
        description="Adjust an endpoint's hazard ratio for patients of the reference arm "
        "who switched to the experimental treatment (ADSL XOVERFL/XOVERDT): RPSFTM, IPCW, "
        "two-stage estimation, and the naive comparators (censor or exclude switchers).")
    add_data_options(xo)
    add_study_option(xo, required_default=False)
    xo.add_argument("--out", required=True, help="crossover JSON file to write")
    xo.add_argument("--param", default="OS", help="ADTTE PARAMCD (default OS)")
    xo.add_argument("--reference", default=None,
                    help="reference arm, the one switchers come from (default: the study's)")
    xo.add_argument("--experimental", default=None,
                    help="experimental arm (needed only with more than two arms)")
    xo.add_argument("--methods", type=names, default=None,
                    help="rpsftm,rpsftm_no_recensor,ipcw,tse,censor,exclude (default: "
                    "rpsftm,ipcw,tse,censor,exclude)")
    xo.add_argument("--strata", type=names, default=[],
                    help="stratify the tests and Cox models by these ADSL variables "
                    "(default: none)")
    xo.add_argument("--covariates", type=names, default=None,
                    help="baseline covariates of the switching (IPCW) and AFT (two-stage) "
                    "models (default: the study's strata, else none)")
    xo.add_argument("--rpsftm-test", choices=("logrank", "cox"), default="logrank",
                    help="test g-estimating psi (default logrank)")
    xo.add_argument("--no-recensor", action="store_true",
                    help="do not re-censor counterfactual times (RPSFTM, two-stage)")
    xo.add_argument("--psi-interval", type=_interval, default=(-3.0, 3.0),
                    help="search interval for psi, LOW,HIGH (default -3,3)")
    xo.add_argument("--exposure-experimental", default="follow-up",
                    help="time on treatment in the experimental arm: follow-up, "
                    "to-progression or for-days:N (default follow-up)")
    xo.add_argument("--exposure-switch", default="from-switch",
                    help="time on treatment of a switcher: from-switch (to the end of "
                    "follow-up) or for-days:N (default from-switch)")
    xo.add_argument("--ipcw-interval", type=float, default=30.4375,
                    help="length in days of the IPCW person-intervals (default 30.4375)")
    xo.add_argument("--ipcw-truncate", type=_percentiles, default=None,
                    help="truncate IPC weights at these percentiles, e.g. 1,99")
    xo.add_argument("--tse-distribution", choices=("weibull", "lognormal", "loglogistic"),
                    default="weibull", help="AFT model of two-stage estimation")
    xo.add_argument("--progression-param", default="PFS",
                    help="ADTTE PARAMCD whose events are progressions (default PFS)")
    xo.add_argument("--bootstrap", type=int, default=0,
                    help="bootstrap resamples for the intervals (default 0: none)")
    xo.add_argument("--seed", type=int, default=None, help="seed of the bootstrap")
    add_profile_options(xo)
    xo.add_argument("--conf-level", type=float, default=None,
                    help="confidence level (default 0.95)")
    xo.add_argument("--time-unit", choices=("days", "weeks", "months", "years"), default=None,
                    help="unit of times in the output (default: the study's, else months)")
    xo.add_argument("--cutoff", default=None,
                    help="with --study: the cut-off whose date replaces a missing DCUTDT")
    xo.add_argument("--population-flag", default=None,
                    help="ADSL flag selecting the analysis population, e.g. ITTFL")
    xo.add_argument("--quiet", action="store_true", help="no summary, no progress bar")
    xo.set_defaults(func=_cmd_crossover)
