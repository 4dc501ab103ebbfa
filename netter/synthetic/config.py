"""Read and check the simulator's TOML config into frozen dataclasses.

Every key of the shipped ``config.toml`` maps to a field below; an unknown key, a
missing key or a value of the wrong type is a :class:`~netter.errors.ConfigError`
naming the file, section and key.

Examples
--------
>>> config = load_config()
>>> config.arms.labels
('177Lu-DOTATATE', 'Octreotide LAR 60 mg')
>>> config.assessment.interval_weeks
12
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
import types
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from netter.errors import ConfigError

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
    condition_counts_primary: tuple[int, ...]
    condition_counts_total: tuple[int, ...]
    max_redraws: int


@dataclass(frozen=True)
class StrataSection:
    srs_uptake_levels: Strs
    srs_uptake_probs: Floats
    octreotide_levels: Strs
    octreotide_probs: Floats


@dataclass(frozen=True)
class CovariatesSection:
    age_mean: float
    age_sd: float
    age_min: int
    age_max: int
    male_prob: float
    primary_site_levels: Strs
    primary_site_probs: Floats
    liver_burden_levels: Strs
    liver_burden_probs: Floats
    alp_elevated_prob: float
    large_lesion_prob: float
    grade_levels: Strs
    grade_probs: Floats


@dataclass(frozen=True)
class PrognosisSection:
    progression_hr_liver_burden: Floats
    progression_hr_alp_elevated: float
    progression_hr_large_lesion: float
    progression_hr_grade: Floats
    death_hr_liver_burden: Floats
    death_hr_alp_elevated: float
    death_hr_per_10y_age: float


@dataclass(frozen=True)
class ProgressionSection:
    breaks: Floats
    control_hazard: Floats
    hazard_ratio: Floats


@dataclass(frozen=True)
class DeathSection:
    preprogression_hazard: Floats
    preprogression_hazard_ratio: float
    postprogression_breaks: Floats
    postprogression_hazard: Floats
    postprogression_hazard_ratio: float


@dataclass(frozen=True)
class CrossoverSection:
    probability: float
    delay_mean_months: float
    death_hazard_ratio: float


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


@dataclass(frozen=True)
class CutoffsSection:
    names: Strs
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class TrialConfig:
    """The whole simulator configuration; ``source`` names the file it came from."""

    trial: TrialSection
    arms: ArmsSection
    accrual: AccrualSection
    randomisation: RandomisationSection
    strata: StrataSection
    covariates: CovariatesSection
    prognosis: PrognosisSection
    progression: ProgressionSection
    death: DeathSection
    crossover: CrossoverSection
    dropout: DropoutSection
    assessment: AssessmentSection
    response: ResponseSection
    qol: QolSection
    cutoffs: CutoffsSection
    source: str = "netter/synthetic/config.toml"

    @property
    def n_subjects(self) -> int:
        """Total number randomised (sum of the accrual periods)."""
        return sum(self.accrual.period_n)


def default_config_text() -> str:
    """Return the text of the shipped default config."""
    return resources.files("netter.synthetic").joinpath("config.toml").read_text("utf-8")


def load_config(path: str | Path | None = None) -> TrialConfig:
    """Load a simulator config (the shipped default when ``path`` is None).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with the same sections and keys as the shipped ``config.toml``.

    Returns
    -------
    TrialConfig

    Raises
    ------
    ConfigError
        Unreadable file, invalid TOML, unknown or missing key, wrong type, or
        inconsistent values; the message names the file, section and key.

    Examples
    --------
    >>> load_config().cutoffs.names
    ('primary', 'update', 'final')
    """
    source = "netter/synthetic/config.toml" if path is None else str(path)
    try:
        text = default_config_text() if path is None else Path(path).read_text("utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{source}: cannot read config ({err})") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{source}: invalid TOML ({err})") from err
    sections = {}
    for field in dataclasses.fields(TrialConfig):
        if field.name == "source":
            continue
        if field.name not in raw:
            raise ConfigError(f"{source}: missing section [{field.name}]")
        sections[field.name] = _build_section(field.type, raw[field.name], source, field.name)
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {', '.join(unknown)}")
    config = TrialConfig(**sections, source=source)
    from netter.synthetic.consistency import check_config

    check_config(config)
    return config


def _build_section(cls_name, values, source: str, section: str):
    cls = globals()[cls_name] if isinstance(cls_name, str) else cls_name
    if not isinstance(values, dict):
        raise ConfigError(f"{source}: [{section}] must be a table")
    hints = typing.get_type_hints(cls)
    unknown = sorted(set(values) - set(hints))
    if unknown:
        raise ConfigError(f"{source}: [{section}] unknown key(s) {', '.join(unknown)}")
    kwargs = {}
    for key, hint in hints.items():
        if key not in values:
            raise ConfigError(f"{source}: [{section}] missing key {key!r}")
        kwargs[key] = _coerce(values[key], hint, f"{source}: [{section}] {key}")
    return cls(**kwargs)


def _coerce(value, hint, where: str):
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{where} = {value!r} must be a list")
        (item_type, _) = typing.get_args(hint)
        return tuple(_coerce(item, item_type, where) for item in value)
    if isinstance(hint, types.UnionType):  # pragma: no cover - no optional keys today
        raise ConfigError(f"{where}: unsupported type")
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        return value
    if hint is dt.date and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ConfigError(f"{where} = {value!r} must be of type {getattr(hint, '__name__', hint)}")
