"""Method profiles: every method choice in netter is a named option of a profile.

A profile fixes what R, SAS and lifelines silently disagree on.  It is a set of
named options (:data:`OPTIONS`); three presets (:data:`PROFILES`) give each option
the value that reproduces one program's defaults:

* ``r`` - R ``survival`` (``survfit``, ``quantile.survfit``, ``coxph``), ``fisher.test``;
* ``sas`` - SAS ``PROC LIFETEST`` / ``PHREG`` / ``FREQ`` defaults;
* ``lifelines`` - lifelines ``KaplanMeierFitter`` / ``CoxPHFitter`` /
  ``restricted_mean_survival_time`` / ``add_at_risk_counts``.

Any option can be overridden (:func:`get_profile` with ``options=``; the command
line's ``--option NAME=VALUE``).  A profile's :attr:`Profile.name` is the preset
followed by every option that differs from it, e.g. ``"r+ci_transform=log-log"``,
and that name is what results and footnotes print; :func:`get_profile` reads such a
name back.  ``conf_level`` is an option too but never enters the name: every
interval is printed with its level.

Examples
--------
>>> get_profile("r").ci_transform
'log'
>>> get_profile("sas", conf_level=0.9).conf_level
0.9
>>> p = get_profile("r", options=["ci_transform=log-log", "ties=breslow"])
>>> p.name
'r+ci_transform=log-log+ties=breslow'
>>> get_profile(p.name) == p
True
>>> get_profile("r", options={"ties": "exact"})
Traceback (most recent call last):
...
netter.errors.NetterError: option ties: unknown value 'exact'; allowed: efron, breslow
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from netter.errors import NetterError


@dataclass(frozen=True)
class Option:
    """What one option means, the values netter accepts and each program's value.

    Attributes
    ----------
    name : str
        The option's name (a :class:`Profile` field, ``--option NAME=VALUE``).
    values : tuple of str
        Allowed values (``conf_level``: any number strictly between 0 and 1; the
        tuple then holds ``("0 < level < 1",)``).
    meaning : str
        One line: what the option decides.
    value_meanings : dict of str to str
        One line per value.
    r, sas, lifelines : str
        The value that reproduces R's, SAS's and lifelines' default behaviour
        (``"-"``: the program has no such statistic).
    """

    name: str
    values: tuple[str, ...]
    meaning: str
    value_meanings: Mapping[str, str]
    r: str
    sas: str
    lifelines: str


def _option(name, meaning, values: dict[str, str], r, sas, lifelines) -> Option:
    return Option(name, tuple(values), meaning, dict(values), r, sas, lifelines)


#: Every option: allowed values, meaning, and R's, SAS's and lifelines' value.
OPTIONS: dict[str, Option] = {o.name: o for o in (
    _option(
        "quantile_rule",
        "where S(t) sits exactly at 1 - q over a flat segment, which time is the q quantile",
        {"midpoint": "midpoint of the segment, also when it runs to a censored last time "
                     "(R quantile.survfit; e.g. 102.5)",
         "sas": "midpoint of the segment when it ends at an event time; not estimable when "
                "it runs to a censored last time (SAS LIFETEST)",
         "first": "first time S(t) <= 1 - q, no midpoint (lifelines qth_survival_time)"},
        "midpoint", "sas", "first"),
    _option(
        "landmark_rule",
        "what S(t) (and the RMST) is for t past a censored end of the curve",
        {"none": "landmark not reported (null, as R summary(fit, times) drops such times); "
                 "RMST carries the curve forward (R survmean), flagged extended",
         "carry": "last S, SE and CI carried forward (R summary(fit, times, extend=TRUE)); "
                  "RMST carried forward, flagged extended",
         "ne": "not estimable (SAS LIFETEST TIMELIST= prints NE); RMST with tau past a "
               "censored end is not estimable too (SAS LIFETEST RMST, survRM2)"},
        "carry", "ne", "carry"),
    _option(
        "ci_transform",
        "transform of the pointwise confidence interval of S(t) (and of quantile CIs)",
        {"log": "exp(log S -/+ z se) (R conf.type='log')",
         "log-log": "exp(-exp(log(-log S) -/+ z se / log S)) (SAS CONFTYPE=LOGLOG; "
                    "lifelines' 'exponential Greenwood')",
         "plain": "S -/+ z S se, clipped to [0, 1] (R conf.type='plain', SAS LINEAR)"},
        "log", "log-log", "log-log"),
    _option(
        "ci_edges",
        "the pointwise CI where its transform is undefined (S = 0; S = 1 for log-log)",
        {"na": "no interval (R NA, SAS missing)",
         "collapse": "the interval collapses to the point: (1, 1) at S = 1, (0, 0) at S = 0 "
                     "(lifelines fills NaN with 1 and gets 0 at S = 0)"},
        "na", "na", "collapse"),
    _option(
        "ties",
        "Cox partial likelihood with tied event times",
        {"efron": "Efron approximation (R coxph default, lifelines)",
         "breslow": "Breslow approximation (SAS PHREG TIES=BRESLOW default)"},
        "efron", "breslow", "efron"),
    _option(
        "convergence",
        "when Newton-Raphson for the Cox model stops",
        {"r": "relative change of the log partial likelihood <= 1e-9 (R coxph.control "
              "eps); beta is the iterate reached after that check",
         "gconv": "relative gradient g' I^-1 g / (|loglik| + 1e-6) < 1e-8 at the current "
                  "iterate (SAS PHREG GCONV=1e-8): often one Newton step before R",
         "lifelines": "lifelines CoxPHFitter: standardised covariates, damped steps "
                      "(0.95, StepSizer), stop when |step| < 1e-7, relative change of "
                      "loglik < 1e-9 or Newton decrement < 1e-7",
         "strict": "relative change of the log partial likelihood <= 1e-13 (netter; R "
                   "coxph.control(eps = 1e-13)): the converged values"},
        "r", "gconv", "lifelines"),
    _option(
        "conf_level",
        "two-sided confidence level of every interval",
        {"0 < level < 1": "e.g. 0.95 (R conf.int, SAS ALPHA = 1 - level, lifelines alpha)"},
        "0.95", "0.95", "0.95"),
    _option(
        "odds_ratio",
        "the odds ratio of a response comparison (arm vs reference)",
        {"conditional": "conditional MLE with exact conditional CI (R fisher.test)",
         "sample": "sample odds ratio ad/bc with Woolf (logit) CI (SAS PROC FREQ RELRISK)",
         "mh": "Mantel-Haenszel common odds ratio over the strata with the "
               "Robins-Breslow-Greenland CI (SAS FREQ CMH, R mantelhaen.test); "
               "'sample' without strata"},
        "conditional", "sample", "-"),
    _option(
        "at_risk",
        "how a risk table counts the subjects at risk at time t",
        {"ge": "#{time >= t}: a subject censored or failing at t is still at risk at t "
               "(R survfit n.risk, SAS LIFETEST, KM figures' risk tables)",
         "gt": "#{time > t}: subjects removed at t are no longer counted (lifelines "
               "add_at_risk_counts)"},
        "ge", "ge", "gt"),
    _option(
        "continuity",
        "continuity correction of the Cochran-Mantel-Haenszel chi-square",
        {"none": "no correction (SAS PROC FREQ CMH)",
         "yates": "0.5 correction when |O - E| >= 0.5 (R mantelhaen.test(correct = TRUE), "
                  "R's default)"},
        "yates", "none", "-"),
    _option(
        "rmst_variance",
        "the variance reported with a restricted mean survival time",
        {"greenwood": "variance of the RMST estimate: sum A_j^2 d_j / (n_j (n_j - d_j)) "
                      "(R survmean, survRM2, SAS LIFETEST RMST)",
         "lifelines": "variance of min(T, tau) under the Kaplan-Meier distribution, "
                      "E[min(T, tau)^2] - RMST^2 (lifelines restricted_mean_survival_time("
                      "return_variance=True)): a spread of the times, not of the estimate"},
        "greenwood", "greenwood", "lifelines"),
)}

#: Option names in their canonical order (the order of names and of ``options()``).
OPTION_NAMES: tuple[str, ...] = tuple(OPTIONS)


@dataclass(frozen=True)
class Profile:
    """A preset and the value of every option (see :data:`OPTIONS`).

    Attributes
    ----------
    preset : str
        ``"r"``, ``"sas"`` or ``"lifelines"``: the preset the options start from.
    quantile_rule, landmark_rule, ci_transform, ci_edges, ties, convergence, odds_ratio,
    at_risk, continuity, rmst_variance : str
        The options (values in :data:`OPTIONS`).
    conf_level : float
        Two-sided confidence level.

    ``name`` (the preset and every option differing from it), ``conf_type`` (alias of
    ``ci_transform``), ``median_rule`` (alias of ``quantile_rule``) and ``variance``
    (``"greenwood"``, the Kaplan-Meier variance of every profile) are read-only
    properties.

    Examples
    --------
    >>> p = replace(get_profile("sas"), quantile_rule="midpoint")
    >>> p.name, p.conf_type, p.median_rule
    ('sas+quantile_rule=midpoint', 'log-log', 'midpoint')
    """

    preset: str
    quantile_rule: str = "midpoint"
    landmark_rule: str = "none"
    ci_transform: str = "log"
    ci_edges: str = "na"
    ties: str = "efron"
    convergence: str = "strict"
    conf_level: float = 0.95
    odds_ratio: str = "conditional"
    at_risk: str = "ge"
    continuity: str = "none"
    rmst_variance: str = "greenwood"

    @property
    def name(self) -> str:
        """The preset, then ``+NAME=VALUE`` for each option differing from it."""
        base = PROFILES.get(self.preset)
        if base is None:
            return self.preset
        changed = [f"+{k}={_text(getattr(self, k))}" for k in OPTION_NAMES
                   if k != "conf_level" and getattr(self, k) != getattr(base, k)]
        return self.preset + "".join(changed)

    @property
    def conf_type(self) -> str:
        """Alias of :attr:`ci_transform` (the name R uses, ``conf.type``)."""
        return self.ci_transform

    @property
    def median_rule(self) -> str:
        """Alias of :attr:`quantile_rule`."""
        return self.quantile_rule

    @property
    def variance(self) -> str:
        """Kaplan-Meier variance estimator: ``"greenwood"`` in every profile."""
        return "greenwood"

    def options(self) -> dict[str, str]:
        """Every option's value as text, in :data:`OPTION_NAMES` order.

        Examples
        --------
        >>> get_profile("lifelines").options()["quantile_rule"]
        'first'
        """
        return {k: _text(getattr(self, k)) for k in OPTION_NAMES}

    def non_default_options(self) -> dict[str, str]:
        """The options that differ from the preset (``conf_level`` included).

        Examples
        --------
        >>> get_profile("r", conf_level=0.9).non_default_options()
        {'conf_level': '0.9'}
        """
        base = PROFILES.get(self.preset)
        return {k: v for k, v in self.options().items()
                if base is None or getattr(self, k) != getattr(base, k)}


def _text(value) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


#: The presets.  ``r`` and ``lifelines`` differ from their program where noted in
#: docs/methods.md ("Conventions and options"): ``r`` keeps netter's long-standing
#: choices for ``convergence`` (``strict``) and ``continuity`` (``none``); OPTIONS
#: records R's own values.  Its landmarks past a censored end are R's
#: ``summary(fit, times, extend=TRUE)`` (``carry``), flagged ``carried`` in results.
PROFILES: dict[str, Profile] = {
    "r": Profile(preset="r", landmark_rule="carry"),
    "sas": Profile(preset="sas", quantile_rule="sas", landmark_rule="ne",
                   ci_transform="log-log", ties="breslow", convergence="gconv",
                   odds_ratio="sample"),
    "lifelines": Profile(preset="lifelines", quantile_rule="first", landmark_rule="carry",
                         ci_transform="log-log", ci_edges="collapse", convergence="lifelines",
                         at_risk="gt", rmst_variance="lifelines"),
}

#: Profile used unless the user or the study names another.
DEFAULT_PROFILE = "r"

_FIELD_NAMES = {f.name for f in fields(Profile)}
assert set(OPTION_NAMES) | {"preset"} == _FIELD_NAMES


def parse_option(name: str, value) -> str | float:
    """Check one option and return its value (``conf_level`` as a float).

    Raises
    ------
    NetterError
        Unknown name or value; the message names the option and the allowed values.

    Examples
    --------
    >>> parse_option("conf_level", "0.9"), parse_option("at_risk", "GT")
    (0.9, 'gt')
    >>> parse_option("colour", "red")
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: unknown option 'colour'; options: quantile_rule, \
landmark_rule, ci_transform, ci_edges, ties, convergence, conf_level, odds_ratio, at_risk, \
continuity, rmst_variance
    """
    name = str(name).strip()
    if name not in OPTIONS:
        raise NetterError(f"unknown option {name!r}; options: {', '.join(OPTION_NAMES)}")
    if name == "conf_level":
        try:
            level = float(value)
        except (TypeError, ValueError):
            level = float("nan")
        if not 0.0 < level < 1.0:
            raise NetterError(f"option conf_level: conf_level must lie in (0, 1), got {value!r}")
        return level
    text = str(value).strip().lower()
    allowed = OPTIONS[name].values
    if text not in allowed:
        raise NetterError(f"option {name}: unknown value {value!r}; allowed: "
                          f"{', '.join(allowed)}")
    return text


def parse_options(options) -> dict[str, str | float]:
    """Options from a mapping name -> value or an iterable of ``"NAME=VALUE"`` strings.

    Examples
    --------
    >>> parse_options(["ties=breslow", "conf_level = 0.9"])
    {'ties': 'breslow', 'conf_level': 0.9}
    >>> parse_options(["ties"])
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: option 'ties' is not NAME=VALUE (e.g. ties=breslow)
    """
    if options is None:
        return {}
    if isinstance(options, str):
        options = [options]
    if isinstance(options, Mapping):
        pairs = list(options.items())
    elif isinstance(options, Iterable):
        pairs = []
        for item in options:
            name, sep, value = str(item).partition("=")
            if not sep or not name.strip():
                raise NetterError(f"option {item!r} is not NAME=VALUE (e.g. ties=breslow)")
            pairs.append((name.strip(), value.strip()))
    else:
        raise NetterError(f"options must be a mapping or NAME=VALUE strings, got {options!r}")
    out: dict[str, str | float] = {}
    for name, value in pairs:
        out[str(name).strip()] = parse_option(name, value)
    return out


def get_profile(name: str = DEFAULT_PROFILE, *, conf_level: float | None = None,
                options=None) -> Profile:
    """Return a preset, or a profile name as printed, with options overridden.

    Parameters
    ----------
    name : str
        ``"r"``, ``"sas"``, ``"lifelines"``, or a name as :attr:`Profile.name` prints
        it (``"r+ci_transform=log-log"``).
    conf_level : float, optional
        Overrides the confidence level; must lie strictly between 0 and 1.
    options : mapping or iterable of str, optional
        Option name -> value (text or value), or ``"NAME=VALUE"`` strings; applied
        after the name's own options and before ``conf_level``.

    Returns
    -------
    Profile

    Raises
    ------
    NetterError
        Unknown preset, option or value (the message lists what is allowed).

    Examples
    --------
    >>> get_profile("sas").ties
    'breslow'
    >>> get_profile("sas", options={"quantile_rule": "midpoint"}).name
    'sas+quantile_rule=midpoint'
    >>> get_profile("lifelines").options()["at_risk"]
    'gt'
    """
    if isinstance(name, Profile):
        profile = name
    else:
        preset, *parts = str(name).split("+")
        if preset not in PROFILES:
            raise NetterError(f"unknown profile {preset!r}; choose one of {', '.join(PROFILES)}")
        profile = replace(PROFILES[preset], **parse_options(parts))
    extra = parse_options(options)
    if extra:
        profile = replace(profile, **extra)
    if conf_level is not None:
        profile = replace(profile, conf_level=parse_option("conf_level", conf_level))
    return profile


def describe_options(profile: Profile) -> str:
    """The non-default options of a profile as one footnote sentence, or ``""``.

    Examples
    --------
    >>> describe_options(get_profile("r"))
    ''
    >>> describe_options(get_profile("r", options=["quantile_rule=sas"]))
    "Options changed from profile 'r': quantile_rule=sas."
    """
    changed = {k: v for k, v in profile.non_default_options().items() if k != "conf_level"}
    if not changed:
        return ""
    text = ", ".join(f"{k}={v}" for k, v in changed.items())
    return f"Options changed from profile {profile.preset!r}: {text}."
