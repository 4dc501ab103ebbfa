"""``netter explain``: why the numbers of one endpoint differ between R, SAS, lifelines
and statsmodels, as ``OUTDIR/explain.html`` and ``OUTDIR/explain.json``.

The command parses arguments, loads and validates the ADaM folder as ``netter analyze``
does (:func:`netter.adam.io.load_adam`), and calls :mod:`netter.explain`; it computes
nothing itself.  With ``--study`` the study gives the arm variable, the reference arm
and the time unit; options given on the command line win.

Examples
--------
>>> parser = argparse.ArgumentParser(prog="netter")
>>> add_explain(parser.add_subparsers())
>>> args = parser.parse_args(["explain", "--data", "adam", "--out", "out",
...                           "--reference", "Placebo", "--landmarks", "6,12"])
>>> args.param, args.landmarks, args.tau, args.out
('PFS', [6.0, 12.0], None, 'out')
"""

from __future__ import annotations

import argparse

from netter.cli.common import add_data_options, add_study_option, numbers, optional_study


def _cmd_explain(args: argparse.Namespace) -> int:
    from netter.adam.io import load_adam
    from netter.endpoints.trial import input_files
    from netter.explain import (
        explain,
        explain_input,
        explanation_document,
        write_explanation,
    )

    study = optional_study(args)
    arm_var = args.arm_var or (study.arm_var if study is not None else "TRT01P")
    data = load_adam(args.data, adsl=args.adsl, adtte=args.adtte, adrs=args.adrs,
                     arm_var=arm_var, strict=args.strict)
    reference = args.reference or (study.reference if study is not None else None)
    unit = args.time_unit or (study.time_unit if study is not None else "months")
    inp = explain_input(data, param=args.param, reference=reference,
                        landmarks=args.landmarks, tau=args.tau, unit=unit)
    document = explanation_document(
        explain(inp), {k: {"path": v.path, "sha256": v.sha256}
                       for k, v in input_files(data).items()})
    json_path, html_path = write_explanation(document, args.out)
    if not args.quiet:
        explained = sum(1 for d in document["differences"] if d["explained"])
        print(f"{len(document['differences'])} values differ from netter r "
              f"({explained} explained by a single option): {html_path}, {json_path}")
    return 0


def add_explain(sub) -> None:
    """Register ``netter explain``."""
    cmd = sub.add_parser(
        "explain", help="why one endpoint's numbers differ between R, SAS, lifelines and "
                        "statsmodels (explain.html, explain.json)")
    add_data_options(cmd)
    add_study_option(cmd, required_default=False)
    cmd.add_argument("--out", required=True, help="folder for explain.html and explain.json")
    cmd.add_argument("--param", default="PFS", help="ADTTE PARAMCD to explain (default PFS)")
    cmd.add_argument("--reference", default=None,
                     help="reference arm (default: the study's; required without --study)")
    cmd.add_argument("--landmarks", type=numbers, default=None,
                     help="times at which to read S(t) (default 12,24)")
    cmd.add_argument("--tau", type=float, default=None,
                     help="RMST restriction time (default: the largest whole time unit "
                          "observed in every arm)")
    cmd.add_argument("--time-unit", choices=("days", "weeks", "months", "years"), default=None,
                     help="unit of every time (default: the study's, else months)")
    cmd.add_argument("--quiet", action="store_true", help="do not print the summary line")
    cmd.set_defaults(func=_cmd_explain)
