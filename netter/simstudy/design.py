"""What a crossover simulation study simulates and analyses, read from the study.

A :class:`Design` holds what the study says (nothing here names a trial): its simulator
configuration, its last data cut-off (where every trial is analysed), the arm variable,
the reference arm (switchers come from it) and the experimental arm, the profile (ties,
confidence level), the time unit, and the covariates of the switching models (IPCW) and
of the AFT model (two-stage estimation): the study's strata, as ``netter crossover
--study`` uses them.  The Cox models and tests are not stratified, as in ``netter
crossover`` by default; the truth (:mod:`netter.simstudy.truth`) is not either.

A :class:`Scenario` is a crossover mechanic with its settings, given as overrides of the
simulator configuration (:func:`netter.synthetic.config.override_config`); no overrides
is the study's own configuration.

Seeds
-----
Trial ``k`` (``k = 0, 1, ...``) of a run with base seed ``b`` is simulated with seed
``b + k`` (:func:`trial_seed`): trial ``k`` is the same trial whatever the number of
trials, every scenario simulates the same patients for the same ``k`` (common random
numbers: only the mechanic differs), and ``netter simulate --seed b+k`` writes it.  The
trials pooled for the large-sample truth use seeds ``b + TRUTH_SEED_OFFSET + j``, far from
the trials' own.

Examples
--------
>>> scenario = Scenario("common_effect, A = 1.5", {"crossover.mechanic": "common_effect",
...                                                "crossover.acceleration_factor": 1.5})
>>> config = scenario.config(load_config("studies/netter1/simulation.toml"))
>>> round(true_psi(config), 4), trial_seed(1, 0), trial_seed(1, 199)
(-0.4055, 1, 200)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from netter.errors import NetterError
from netter.results.crossover import METHODS
from netter.study.model import Study
from netter.synthetic.config import TrialConfig, load_config, override_config

#: Seeds of the trials pooled for the large-sample truth start this far from the base seed.
TRUTH_SEED_OFFSET = 1_000_000
#: The mechanic under which RPSFTM's common treatment effect holds by construction.
COMMON_EFFECT = "common_effect"


@dataclass(frozen=True)
class Design:
    """Everything a trial of the simulation study needs, taken from the study.

    Attributes
    ----------
    study_id, study_name : str
    config : TrialConfig
        The study's simulator configuration (before any scenario's overrides).
    cutoff : str
        Name of the study's last data cut-off, where every trial is analysed.
    cutoff_date : datetime.date
        Its date, as the simulator locks it.
    arm_var, reference, experimental : str
        The arm variable and the two arms compared.
    param : str
        The endpoint (``PARAMCD``) whose hazard ratio is adjusted.
    profile, time_unit : str
        The study's profile (ties, confidence level) and time unit.
    covariates : tuple of str
        Baseline covariates of the switching and AFT models (the study's strata).
    methods : tuple of str
        The crossover methods run on every trial (:data:`netter.results.crossover.METHODS`).
    """

    study_id: str
    study_name: str
    config: TrialConfig
    cutoff: str
    cutoff_date: dt.date
    arm_var: str
    reference: str
    experimental: str
    param: str = "OS"
    profile: str = "r"
    time_unit: str = "months"
    covariates: tuple[str, ...] = ()
    methods: tuple[str, ...] = METHODS


def study_design(study: Study, *, param: str = "OS", methods=METHODS,
                 config: TrialConfig | None = None) -> Design:
    """The design of a crossover simulation study of ``study``.

    Parameters
    ----------
    study : Study
        A study with a simulator configuration (``simulation``), a reference arm and one
        other arm.
    param : str
        The endpoint adjusted (``PARAMCD``).
    methods : sequence of str
        Crossover methods to run (default: all of them).
    config : TrialConfig, optional
        Another simulator configuration (default: the study's).

    Returns
    -------
    Design

    Raises
    ------
    NetterError
        No simulator configuration or reference arm; not exactly one other arm; arms
        that differ from the configuration's; a last cut-off the simulator does not lock
        or locks on another date.

    Examples
    --------
    >>> from netter.study import load_study
    >>> design = study_design(load_study("studies/netter1/study.toml"))
    >>> design.cutoff, design.covariates, design.methods[:2]
    ('final', ('STRAT1R', 'STRAT2R'), ('rpsftm', 'rpsftm_no_recensor'))
    """
    if config is None:
        if study.simulation is None:
            raise NetterError(f"study {study.id!r} has no simulator configuration "
                              "(`simulation` in its study.toml)")
        config = load_config(study.simulation)
    if study.reference is None:
        raise NetterError(f"study {study.id!r} names no reference arm (`reference`)")
    others = [a for a in study.arm_values if a != study.reference]
    if len(others) != 1:
        raise NetterError(f"study {study.id!r} has {len(study.arm_values)} arms: a crossover "
                          "simulation study compares one experimental arm with the reference")
    if set(config.arms.labels) != set(study.arm_values):
        raise NetterError(f"{config.source}: the simulator's arms ({', '.join(config.arms.labels)})"
                          f" are not the study's ({', '.join(study.arm_values)})")
    if not study.cutoffs:
        raise NetterError(f"study {study.id!r} declares no data cut-off")
    last = study.cutoffs[-1]
    dates = dict(zip(config.cutoffs.names, config.cutoffs.dates, strict=True))
    if last.name not in dates:
        raise NetterError(f"{config.source}: no cut-off {last.name!r} (the study's last); the "
                          f"simulator locks {', '.join(dates)}")
    if last.date is not None and str(dates[last.name]) != last.date:
        raise NetterError(f"{config.source}: cut-off {last.name!r} is {dates[last.name]}, the "
                          f"study says {last.date}")
    from netter.endpoints.crossover import check_methods

    return Design(study_id=study.id, study_name=study.display_name, config=config,
                  cutoff=last.name, cutoff_date=dates[last.name], arm_var=study.arm_var,
                  reference=study.reference, experimental=others[0], param=param,
                  profile=study.profile, time_unit=study.time_unit,
                  covariates=tuple(study.strata), methods=check_methods(methods))


@dataclass(frozen=True, init=False)
class Scenario:
    """A crossover mechanic and its settings: a name and overrides of the configuration.

    ``overrides`` are ``("section.key", value)`` pairs, in the order given (a mapping
    or pairs may be passed).

    Examples
    --------
    >>> Scenario("own").overrides, Scenario("x", [("crossover.probability", 0.2)]).overrides
    ((), (('crossover.probability', 0.2),))
    """

    name: str
    overrides: tuple[tuple[str, object], ...]

    def __init__(self, name: str, overrides: Mapping[str, object] | None = None) -> None:
        pairs = overrides.items() if isinstance(overrides, Mapping) else (overrides or ())
        object.__setattr__(self, "name", str(name))
        object.__setattr__(self, "overrides", tuple((str(k), v) for k, v in pairs))

    def config(self, base: TrialConfig) -> TrialConfig:
        """``base`` with this scenario's overrides (``base`` itself without any)."""
        return override_config(base, dict(self.overrides)) if self.overrides else base


def trial_seed(base_seed: int, index: int) -> int:
    """The seed of trial ``index`` (from 0) of a run with ``base_seed``: their sum.

    Examples
    --------
    >>> trial_seed(1, 4)
    5
    """
    if index < 0:
        raise ValueError(f"a trial index is 0 or more, not {index}")
    return int(base_seed) + int(index)


def truth_seeds(base_seed: int, n_trials: int) -> tuple[int, ...]:
    """Seeds of the trials pooled for the large-sample truth.

    Examples
    --------
    >>> truth_seeds(1, 3)
    (1000001, 1000002, 1000003)
    """
    start = int(base_seed) + TRUTH_SEED_OFFSET
    return tuple(range(start, start + int(n_trials)))


def true_psi(config: TrialConfig) -> float | None:
    """RPSFTM's true psi, ``-log A``, under the common-effect mechanic; else ``None``.

    Under any other mechanic the switch's effect on survival is not the same time ratio
    as the experimental arm's, so no single psi is true.

    Examples
    --------
    >>> true_psi(load_config("studies/netter1/simulation.toml")) is None
    True
    """
    c = config.crossover
    if c.mechanic != COMMON_EFFECT:
        return None
    return -math.log(c.acceleration_factor)


def mechanic_settings(config: TrialConfig) -> dict:
    """The ``[crossover]`` settings that matter under the config's mechanic.

    Examples
    --------
    >>> mechanic_settings(load_config("studies/netter1/simulation.toml"))
    {'mechanic': 'hazard_ratio', 'probability': 0.46, 'delay_mean_months': 5.0, \
'death_hazard_ratio': 0.8}
    """
    c = config.crossover
    out = {"mechanic": c.mechanic, "probability": c.probability,
           "delay_mean_months": c.delay_mean_months}
    if c.mechanic == COMMON_EFFECT:
        out["acceleration_factor"] = c.acceleration_factor
    else:
        out["death_hazard_ratio"] = c.death_hazard_ratio
    return out
