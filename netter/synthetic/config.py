"""Read and check a simulator config (a TOML file) into frozen dataclasses.

A trial is data: one TOML file describes everything the simulator needs (design, strata,
baseline covariates, hazards, cut-offs), e.g. ``studies/netter1/simulation.toml``, whose
comments document every key.  Each ``[section]`` maps to a class below and each key to a
field; ``[[strata]]`` and ``[[covariates]]`` are arrays of tables, read by
:mod:`netter.synthetic.covariates`.  An unknown key, a missing key or a value of the
wrong type is a :class:`~netter.errors.ConfigError` naming the file, the table and the
key; cross-key checks follow (:mod:`netter.synthetic.consistency`).

Examples
--------
>>> config = load_config("studies/netter1/simulation.toml")
>>> len(config.arms.labels)
2
>>> [factor.variable for factor in config.strata], config.assessment.interval_weeks
(['STRAT1R', 'STRAT2R'], 12)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from netter.errors import ConfigError
from netter.synthetic.covariates import Binary, Categorical, Normal, parse_factors
from netter.synthetic.schema import build_table

Floats = tuple[float, ...]
Strs = tuple[str, ...]


@dataclass(frozen=True)
class TrialSection:
    studyid: str
    seed: int
    n_sites: int


@dataclass(frozen=True)
class ArmsSection:
    labels: Strs
    codes: Strs


@dataclass(frozen=True)
class AccrualSection:
    period_start: tuple[dt.date, ...]
    period_end: tuple[dt.date, ...]
    period_n: tuple[int, ...]


@dataclass(frozen=True)
class RandomisationSection:
    ratio: tuple[int, ...]
    block_size: int
    condition_counts_first_cutoff: tuple[int, ...]
    condition_counts_total: tuple[int, ...]
    max_redraws: int


@dataclass(frozen=True)
class ProgressionSection:
    breaks: Floats
    control_hazard: Floats
    hazard_ratio: Floats
    param_label: str = "Progression-free survival"   # ADTTE PARAM of PFS


@dataclass(frozen=True)
class DeathSection:
    preprogression_hazard: Floats
    preprogression_hazard_ratio: float
    postprogression_breaks: Floats
    postprogression_hazard: Floats
    postprogression_hazard_ratio: float
    param_label: str = "Overall survival"   # ADTTE PARAM of OS


@dataclass(frozen=True)
class CrossoverSection:
    """Reference-arm switching after progression, and how it changes survival.

    ``mechanic`` is one of :data:`CROSSOVER_MECHANICS`: ``"hazard_ratio"`` (the default)
    multiplies the switcher's post-progression death hazard by ``death_hazard_ratio``;
    ``"common_effect"`` makes the experimental treatment stretch the remaining survival
    time by ``acceleration_factor`` whenever it is taken (from randomisation on the
    experimental arm, from the switch on the reference arm), so that RPSFTM's common
    treatment effect holds with ``psi = -log(acceleration_factor)``; ``death_hazard_ratio``
    and the treatment hazard ratios of ``[death]`` are then not used (see
    :mod:`netter.synthetic.outcomes`).
    """

    probability: float
    delay_mean_months: float
    death_hazard_ratio: float
    mechanic: str = "hazard_ratio"
    acceleration_factor: float | None = None   # required by, and only allowed with, common_effect


#: Values of ``[crossover] mechanic``; the first is the default.
CROSSOVER_MECHANICS = ("hazard_ratio", "common_effect")


@dataclass(frozen=True)
class DropoutSection:
    hazard: float
    assessment_stop_hazard: float
    imaging_stop_at_first_cutoff: float


@dataclass(frozen=True)
class AssessmentSection:
    interval_weeks: int
    window_days: int
    missed_prob: float
    not_evaluable_prob: float
    max_missed_before_censoring: int


@dataclass(frozen=True)
class ResponseSection:
    probability: Floats
    onset_mean_months: float
    complete_prob: float


@dataclass(frozen=True)
class QolSection:
    breaks: Floats
    control_hazard: Floats
    hazard_ratio: Floats
    missed_prob: float
    param_label: str = "Time to deterioration of quality of life"   # ADTTE PARAM
    event_description: str = "Deterioration"   # ADTTE EVNTDESC of the events
    censor_description: str = "Last questionnaire"   # CNSDTDSC of the last questionnaire


@dataclass(frozen=True)
class CutoffsSection:
    names: Strs
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class TrialConfig:
    """The whole simulator configuration; ``source`` is the path of the file it came from.

    ``strata`` and ``covariates`` hold the ``[[strata]]`` / ``[[covariates]]`` tables in
    file order (empty when absent); ``qol`` is None when the optional ``[qol]`` section is
    absent (no QoL endpoint is simulated).  ``overrides`` lists the ``("section.key",
    value)`` changes made after reading the file (:func:`override_config`), oldest first;
    empty for a config exactly as its file says.
    """

    trial: TrialSection
    arms: ArmsSection
    accrual: AccrualSection
    randomisation: RandomisationSection
    strata: tuple[Categorical, ...]
    covariates: tuple[Categorical | Binary | Normal, ...]
    progression: ProgressionSection
    death: DeathSection
    crossover: CrossoverSection
    dropout: DropoutSection
    assessment: AssessmentSection
    response: ResponseSection
    qol: QolSection | None
    cutoffs: CutoffsSection
    source: str
    overrides: tuple[tuple[str, object], ...] = ()

    @property
    def n_subjects(self) -> int:
        """Total number randomised (sum of the accrual periods)."""
        return sum(self.accrual.period_n)

    @property
    def baseline_variables(self) -> Strs:
        """ADSL variables of the strata and covariates, in column order."""
        return tuple(v for factor in (*self.strata, *self.covariates) for v in factor.variables)


#: Section name -> class of the plain ``[section]`` tables, in file order.
SECTIONS = {
    "trial": TrialSection, "arms": ArmsSection, "accrual": AccrualSection,
    "randomisation": RandomisationSection, "progression": ProgressionSection,
    "death": DeathSection, "crossover": CrossoverSection, "dropout": DropoutSection,
    "assessment": AssessmentSection, "response": ResponseSection, "qol": QolSection,
    "cutoffs": CutoffsSection,
}
#: Arrays of tables (``[[strata]]``, ``[[covariates]]``); each may be left out (none).
ARRAYS = ("strata", "covariates")
#: Sections that may be left out (the value is then None).
OPTIONAL_SECTIONS = ("qol",)


def load_config(path: str | Path) -> TrialConfig:
    """Load and check the simulator config in the TOML file ``path``.

    Parameters
    ----------
    path : str or Path
        A TOML file with the sections and keys documented in
        ``studies/netter1/simulation.toml``.

    Returns
    -------
    TrialConfig

    Raises
    ------
    ConfigError
        Unreadable file, invalid TOML, unknown or missing key, wrong type, or
        inconsistent values; the message names the file, table and key.

    Examples
    --------
    >>> load_config("studies/netter1/simulation.toml").cutoffs.names
    ('primary', 'update', 'final')
    """
    if path is None:
        raise ConfigError("no simulation config given (a TOML file, e.g. "
                          "studies/netter1/simulation.toml)")
    source = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{source}: cannot read config ({err})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{source}: invalid TOML ({err})") from err
    unknown = sorted(set(raw) - set(SECTIONS) - set(ARRAYS))
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {', '.join(unknown)}")
    sections = {}
    for name, cls in SECTIONS.items():
        if name in raw:
            sections[name] = build_table(cls, raw[name], f"{source}: [{name}]")
        elif name in OPTIONAL_SECTIONS:
            sections[name] = None
        else:
            raise ConfigError(f"{source}: missing section [{name}]")
    arrays = {name: parse_factors(raw.get(name), source, name) for name in ARRAYS}
    config = TrialConfig(**sections, **arrays, source=source)
    from netter.synthetic.consistency import check_config

    check_config(config)
    return config


def override_config(config: TrialConfig, changes: Mapping[str, object] | Iterable[str]
                    ) -> TrialConfig:
    """A copy of ``config`` with keys of its ``[section]`` tables changed, checked as on load.

    The way to ask "what if" of a config in code, e.g. another crossover mechanic or no
    switching at all, without writing a TOML file: each changed table is rebuilt and
    checked by the same rules as :func:`load_config` (types, unknown keys, cross-key
    checks), and the result records the changes in ``overrides`` (which
    :func:`netter.synthetic.write.write_trial` copies into its manifest).  The arrays of
    tables (``[[strata]]``, ``[[covariates]]``) cannot be changed this way.

    Parameters
    ----------
    config : TrialConfig
    changes : mapping of str to object, or iterable of str
        ``{"section.key": value}`` with values as TOML would give them (a list for a list,
        ``None`` to remove an optional key), or ``"section.key=value"`` texts as a
        command-line ``--set`` would pass them: the value is read as a TOML value (``1.5``,
        ``"text"``, ``[0.5, 0.5]``), else taken as a bare string (``common_effect``).

    Returns
    -------
    TrialConfig
        ``source`` is unchanged (the file the other keys come from).

    Raises
    ------
    ConfigError
        A name that is not ``section.key``, a section that is not a plain table of the
        config (or is absent from it), an unknown key, a wrong type, or an inconsistency;
        the message names the file, the table, the key and the overrides.

    Examples
    --------
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> changed = override_config(config, ["crossover.mechanic=common_effect",
    ...                                    "crossover.acceleration_factor=1.5"])
    >>> changed.crossover.mechanic, changed.crossover.acceleration_factor
    ('common_effect', 1.5)
    >>> [name for name, _ in changed.overrides]
    ['crossover.mechanic', 'crossover.acceleration_factor']
    >>> override_config(config, {"crossover.acceleration_factor": 1.5})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netter.errors.ConfigError: ...[crossover] acceleration_factor: only used with mechanic...
    """
    pairs = list(changes.items()) if isinstance(changes, Mapping) else [
        parse_override(text, config.source) for text in changes]
    by_section: dict[str, dict[str, object]] = {}
    for name, value in pairs:
        section, dot, key = str(name).partition(".")
        if not dot or not key or "." in key:
            raise ConfigError(f"{config.source}: override {name!r} must be section.key")
        if section not in SECTIONS:
            raise ConfigError(f"{config.source}: override {name!r}: no [{section}] table to "
                              f"change (tables: {', '.join(SECTIONS)})")
        if getattr(config, section) is None:
            raise ConfigError(f"{config.source}: override {name!r}: the config has no "
                              f"[{section}] section")
        by_section.setdefault(section, {})[key] = value
    from netter.synthetic.consistency import check_config

    try:
        rebuilt = {}
        for section, values in by_section.items():
            current = getattr(config, section)
            raw = {field.name: _toml_value(getattr(current, field.name))
                   for field in dataclasses.fields(current)
                   if getattr(current, field.name) is not None}
            raw.update(values)
            raw = {key: value for key, value in raw.items() if value is not None}
            rebuilt[section] = build_table(SECTIONS[section], raw,
                                           f"{config.source}: [{section}]")
        changed = dataclasses.replace(config, **rebuilt,
                                      overrides=(*config.overrides, *map(tuple, pairs)))
        check_config(changed)
    except ConfigError as err:
        done = ", ".join(f"{name}={value}" for name, value in pairs)
        raise ConfigError(f"{err} (after overriding {done})") from None
    return changed


def parse_override(text: str, source: str) -> tuple[str, object]:
    """``"section.key=value"`` as ``(name, value)``: a TOML value, else the bare string."""
    name, equals, value = str(text).partition("=")
    if not equals:
        raise ConfigError(f"{source}: override {text!r} must be section.key=value")
    try:
        parsed = tomllib.loads(f"value = {value.strip()}")["value"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return name.strip(), parsed


def _toml_value(value):
    return list(value) if isinstance(value, tuple) else value
