"""Argument helpers shared by the ``netter`` sub-commands: lists, data options, the study.

Examples
--------
>>> names("STRAT1R, STRAT2R"), numbers("12,20")
(['STRAT1R', 'STRAT2R'], [12.0, 20.0])
"""

from __future__ import annotations

import argparse


def names(text: str) -> list[str]:
    """A comma-separated list of names (``--strata STRAT1R,STRAT2R``)."""
    parts = [part.strip() for part in text.split(",")]
    if not all(parts):
        raise argparse.ArgumentTypeError(f"empty name in {text!r}")
    return parts


def names_lower(text: str) -> list[str]:
    """A comma-separated list of lower-case names (``--kinds km,response``)."""
    return [name.lower() for name in names(text)]


def numbers(text: str) -> list[float]:
    """A comma-separated list of numbers (``--landmarks 12,20``)."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of numbers: {text!r}") from err


def add_data_options(parser, *, arm_var: bool = True) -> None:
    """``--data``, ``--adsl``, ``--adtte``, ``--adrs`` (and ``--arm-var``)."""
    parser.add_argument("--data", default=None, help="folder holding adsl/adtte/adrs files")
    parser.add_argument("--adsl", default=None, help="explicit ADSL file")
    parser.add_argument("--adtte", default=None, help="explicit ADTTE file")
    parser.add_argument("--adrs", default=None, help="explicit ADRS file")
    if arm_var:
        parser.add_argument("--arm-var", default=None,
                            help="ADSL arm variable (default: the study's, else TRT01P)")
    add_strict_option(parser)


def add_strict_option(parser) -> None:
    """``--strict``: data warnings (printed otherwise) are errors."""
    parser.add_argument("--strict", action="store_true",
                        help="refuse data with warnings (arm labels differing only in case, "
                             "AVAL disagreeing with its dates, duplicate records)")


def file_stem(text: str) -> str:
    """A ``--name``: a file stem, never a path (no separators, not ``.`` or ``..``).

    Examples
    --------
    >>> file_stem("efficacy_1")
    'efficacy_1'
    >>> file_stem("../x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '../x' is not a file stem: no '/', '\\' or leading '.'
    """
    if (not text or "/" in text or "\\" in text or text.startswith(".")
            or "\0" in text or text != text.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a file stem: no '/', '\\' or leading '.'")
    return text


def add_study_option(parser, *, required_default: bool = True) -> None:
    """``--study ID_OR_PATH``: a study id (``studies/<id>/``), folder or ``study.toml``."""
    default_text = ("default: $NETTER_STUDY, else the project's default study"
                    if required_default else "optional: gives defaults and labels")
    parser.add_argument("--study", default=None,
                        help=f"study id, folder or study.toml ({default_text})")


def optional_study(args):
    """The study named by ``--study``, or ``None`` when none is named."""
    if getattr(args, "study", None) is None:
        return None
    from netter.study import load_study

    return load_study(args.study)


def the_study(args):
    """The study named by ``--study``, else the default study."""
    from netter.study import load_study

    return load_study(getattr(args, "study", None))


def option_pair(text: str) -> str:
    """A ``--option NAME=VALUE``: a known profile option and one of its values.

    Examples
    --------
    >>> option_pair("quantile_rule=midpoint")
    'quantile_rule=midpoint'
    >>> option_pair("ties=exact")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: option ties: unknown value 'exact'; allowed: efron, breslow
    """
    from netter.errors import NetterError
    from netter.profiles import parse_options

    try:
        parse_options([text])
    except NetterError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def add_profile_options(parser) -> None:
    """``--profile NAME`` and ``--option NAME=VALUE`` (repeatable), see netter.profiles."""
    from netter.profiles import OPTION_NAMES, PROFILES

    parser.add_argument("--profile", choices=tuple(PROFILES), default=None,
                        help="method profile (default: the study's, else r = R survival)")
    parser.add_argument("--option", type=option_pair, action="append", default=[],
                        metavar="NAME=VALUE",
                        help="override one option of the profile (repeatable); names: "
                             f"{', '.join(OPTION_NAMES)} (docs/methods.md)")


def profile_from_args(args, study=None, conf_level: float | None = None):
    """The :class:`~netter.profiles.Profile` of ``--profile``/``--option`` (and the study's).

    The study's profile name carries its own options; ``--option`` overrides them;
    ``--profile`` replaces the study's profile (and its options).

    Examples
    --------
    >>> ns = argparse.Namespace(profile="sas", option=["quantile_rule=midpoint"])
    >>> profile_from_args(ns).name
    'sas+quantile_rule=midpoint'
    """
    from netter.profiles import get_profile

    name = getattr(args, "profile", None) or (study.profile if study is not None else "r")
    return get_profile(name, conf_level=conf_level, options=getattr(args, "option", None) or None)
