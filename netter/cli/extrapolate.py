"""``netter extrapolate``: parametric survival fits and extrapolation, as JSON.

The command parses arguments, calls
:func:`netter.endpoints.extrapolation.analyze_extrapolation` and writes its
``netter.extrapolation/1`` document (``docs/extrapolation.md``); it computes nothing
itself.  With ``--study`` the study gives the arm variable, the reference arm, the
profile and the time unit; options given on the command line win.
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


def _numbers(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}"
                                         ) from None


def summary_lines(document) -> list[str]:
    """One line per endpoint, arm and model in AIC order: AIC, restricted mean, mean.

    Examples
    --------
    >>> summary_lines(type("D", (), {"endpoints": {}})())
    []
    """
    lines = []
    for param, ep in document.endpoints.items():
        for arm, a in ep.arms.items():
            for d, m in sorted(a.models.items(), key=lambda kv: kv[1].fit.rank_aic):
                mean = m.prediction.mean
                lines.append(f"{param:<6} {arm[:24]:<24} {d:<12} AIC {m.fit.aic:9.2f}  "
                             f"RMST {m.prediction.restricted_mean:7.2f}  mean "
                             f"{'infinite' if mean is None else f'{mean:.2f}'}")
    return lines


def _cmd_extrapolate(args: argparse.Namespace) -> int:
    from netter.adam.io import load_adam
    from netter.artefacts import write_results
    from netter.endpoints.extrapolation import (
        FIT_CONTROLS,
        analyze_extrapolation,
        check_distributions,
    )
    from netter.errors import NetterError
    from netter.stats.parametric import FitControl

    study = optional_study(args)
    arm_var = args.arm_var or (study.arm_var if study is not None else "TRT01P")
    data = load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                     arm_var=arm_var, strict=args.strict)
    reference = args.reference or (study.reference if study is not None else None)
    profile = profile_from_args(args, study, args.conf_level)
    base = FIT_CONTROLS[profile.preset]
    try:
        control = FitControl(args.optimiser or base.method, args.tolerance or base.tolerance,
                             args.max_iter or base.max_iter)
    except ValueError as err:
        raise NetterError(str(err)) from None
    psm = None
    if args.psm_pfs or args.psm_os:
        if not (args.psm_pfs and args.psm_os):
            raise NetterError("partitioned survival needs both --psm-pfs and --psm-os")
        pair = check_distributions(args.psm_dists) if args.psm_dists else ("weibull",)
        if len(args.psm_dists or ["weibull", "weibull"]) != 2:
            raise NetterError("--psm-dists takes two distributions: PFS_DIST,OS_DIST")
        pfs_d, os_d = (args.psm_dists if args.psm_dists else [pair[0], pair[0]])
        psm = (args.psm_pfs, args.psm_os, pfs_d, os_d)
    if args.horizon_years <= 0:
        raise NetterError(f"--horizon-years must be > 0, got {args.horizon_years:g}")
    unit = args.time_unit or (study.time_unit if study is not None else "months")
    per_year = {"days": 365.25, "weeks": 365.25 / 7, "months": 12.0, "years": 1.0}[unit]
    document = analyze_extrapolation(
        data, params=(args.param,), reference=reference, arm_var=arm_var,
        distributions=check_distributions(args.dists), horizon=args.horizon_years * per_year,
        grid_step=args.grid_step, joint=args.joint, bootstrap=args.bootstrap, seed=args.seed,
        profile=profile, control=control, time_unit=unit, knots=args.knots, psm=psm,
        population_flag=args.population_flag, progress=not args.quiet)
    if study is not None:
        from dataclasses import replace

        from netter.results.provenance import ArmLabel

        document = replace(document,
                           arm_labels=tuple(ArmLabel(a.value, a.label) for a in study.arms))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_results(document, out)
    if not args.quiet:
        print("\n".join(summary_lines(document)))
    return 0


def add_extrapolate(sub) -> None:
    """The ``extrapolate`` sub-command."""
    ex = sub.add_parser(
        "extrapolate", help="parametric survival fits, extrapolation, partitioned survival",
        description="Fit parametric survival models per arm (and jointly with the arm as "
        "covariate), extrapolate them to a horizon with pointwise intervals, compare their "
        "restricted means with Kaplan-Meier, and build partitioned-survival state "
        "occupancy from a PFS and an OS model.  Times in months unless --time-unit.")
    add_data_options(ex)
    add_study_option(ex, required_default=False)
    ex.add_argument("--out", required=True, help="extrapolation JSON file to write")
    ex.add_argument("--param", default="OS", help="ADTTE PARAMCD (default OS)")
    ex.add_argument("--reference", default=None, help="reference arm (default: the study's)")
    ex.add_argument("--dists", type=names,
                    default=["exponential", "weibull", "gompertz", "lognormal",
                             "loglogistic", "gengamma", "spline1", "spline2", "spline3"],
                    help="distributions, comma-separated (default: all of exponential,"
                    "weibull,gompertz,lognormal,loglogistic,gengamma,spline1,spline2,spline3)")
    ex.add_argument("--horizon-years", type=float, default=20.0,
                    help="extrapolation horizon in years (default 20)")
    ex.add_argument("--grid-step", type=float, default=1.0,
                    help="step of the curves' grid in the time unit (default 1)")
    ex.add_argument("--joint", action="store_true",
                    help="also fit each distribution with the arm as covariate")
    ex.add_argument("--bootstrap", type=int, default=0,
                    help="pointwise intervals from N draws of the estimates' normal "
                    "distribution (default 0: delta method)")
    ex.add_argument("--seed", type=int, default=None, help="seed of --bootstrap")
    ex.add_argument("--knots", type=_numbers, default=None,
                    help="internal spline knots in the time unit (default: centiles of "
                    "the log event times)")
    ex.add_argument("--psm-pfs", default=None, help="PARAMCD of PFS for partitioned survival")
    ex.add_argument("--psm-os", default=None, help="PARAMCD of OS for partitioned survival")
    ex.add_argument("--psm-dists", type=names, default=None,
                    help="PFS_DIST,OS_DIST of partitioned survival (default weibull,weibull)")
    ex.add_argument("--optimiser", choices=("newton", "bfgs"), default=None,
                    help="likelihood maximiser (default: the profile's, newton)")
    ex.add_argument("--tolerance", type=float, default=None,
                    help="convergence tolerance (default: the profile's, 1e-10)")
    ex.add_argument("--max-iter", type=int, default=None,
                    help="most iterations (default: the profile's, 200)")
    add_profile_options(ex)
    ex.add_argument("--conf-level", type=float, default=None,
                    help="confidence level (default 0.95)")
    ex.add_argument("--time-unit", choices=("days", "weeks", "months", "years"), default=None,
                    help="unit of times in the output (default: the study's, else months)")
    ex.add_argument("--population-flag", default=None,
                    help="ADSL flag selecting the analysis population, e.g. ITTFL")
    ex.add_argument("--quiet", action="store_true", help="no summary, no progress bar")
    ex.set_defaults(func=_cmd_extrapolate)
