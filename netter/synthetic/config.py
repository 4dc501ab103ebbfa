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
>>> config.arms.labels
('177Lu-DOTATATE', 'Octreotide LAR 60 mg')
>>> [factor.variable for factor in config.strata], config.assessment.interval_weeks
(['STRAT1R', 'STRAT2R'], 12)
"""

from __future__ import annotations

import datetime as dt
import tomllib
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
    absent (no QoL endpoint is simulated).
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
