"""The ``netter.extrapolation/1`` document: parametric survival fits and extrapolation.

Written by :func:`netter.endpoints.extrapolation.analyze_extrapolation` (``netter
extrapolate``); read by the extrapolation table and figures.  Keys are documented in
``docs/extrapolation.md``.  Times are in ``time_unit`` (months unless asked otherwise).

Examples
--------
>>> p = ParameterResult(name="log_rate", estimate=-4.0, se=0.1, ci=(-4.2, -3.8))
>>> p.ci
(-4.2, -3.8)
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import CI
from netter.results.codec import optional_field as _optional
from netter.results.provenance import ArmLabel, InputFile, StudyRecord
from netter.results.tte import CurveResult

#: Layout of the extrapolation document; bump on any incompatible change.
SCHEMA = "netter.extrapolation/1"


@dataclass(frozen=True)
class ParameterResult:
    """A parameter on the fitting scale with its Wald interval."""

    name: str
    estimate: float
    se: float | None
    ci: CI


@dataclass(frozen=True)
class FitRecord:
    """One maximum-likelihood fit: parameters, log-likelihood, AIC, BIC (n = subjects),
    and the model's rank by AIC and BIC among the distributions fitted to the same data
    (1 = lowest)."""

    distribution: str
    label: str
    parameters: tuple[ParameterResult, ...]
    loglik: float
    aic: float
    bic: float
    n_parameters: int
    n: int
    events: int
    converged: bool
    engine: str
    knots: tuple[float, ...]
    rank_aic: int
    rank_bic: int


@dataclass(frozen=True)
class ModelCurve:
    """``S(t)`` with its pointwise interval, and ``h(t)``, on the grid 0..horizon."""

    time: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    hazard: tuple[float | None, ...]
    ci_method: str


@dataclass(frozen=True)
class Prediction:
    """Means of one model for one arm.

    ``restricted_mean`` is to the horizon; ``mean`` is ``None`` where infinite;
    ``rmst_follow_up`` is the model's restricted mean to the arm's last follow-up time,
    ``km_rmst_follow_up`` the Kaplan-Meier one, ``difference_from_km`` model minus KM.
    """

    restricted_mean: float
    restricted_mean_se: float | None
    mean: float | None
    rmst_follow_up: float
    km_rmst_follow_up: float
    difference_from_km: float
    curve: ModelCurve


@dataclass(frozen=True)
class ArmModel:
    """A model fitted to one arm, with its prediction."""

    fit: FitRecord
    prediction: Prediction


@dataclass(frozen=True)
class JointModel:
    """A model fitted to all arms with the arm as covariate, and its prediction per arm."""

    fit: FitRecord
    arms: dict[str, Prediction]


@dataclass(frozen=True)
class EmpiricalHazard:
    """Kernel-smoothed Nelson-Aalen hazard (Epanechnikov kernel, ``bandwidth``), on
    ``[bandwidth, follow-up - bandwidth]`` (no boundary correction)."""

    time: tuple[float, ...]
    hazard: tuple[float, ...]
    bandwidth: float


@dataclass(frozen=True)
class ArmExtrapolation:
    """One arm of one endpoint: data summary, KM, smoothed hazard and the models."""

    n: int
    events: int
    follow_up: float
    km: CurveResult
    empirical_hazard: EmpiricalHazard
    models: dict[str, ArmModel]


@dataclass(frozen=True)
class EndpointExtrapolation:
    """Every fit of one endpoint (``PARAMCD``): per arm, and jointly when asked."""

    param: str
    arms: dict[str, ArmExtrapolation]
    joint: dict[str, JointModel] | None = _optional()
    joint_covariates: tuple[str, ...] | None = _optional()
    label: str | None = _optional()


@dataclass(frozen=True)
class StateOccupancy:
    """Partitioned survival of one arm: state probabilities on the grid, mean time in each
    state to the horizon, and where PFS was clipped to OS (grid times, largest excess)."""

    pfs_distribution: str
    os_distribution: str
    time: tuple[float, ...]
    progression_free: tuple[float, ...]
    progressed: tuple[float, ...]
    dead: tuple[float, ...]
    mean_progression_free: float
    mean_progressed: float
    mean_dead: float
    clipped_times: tuple[float, ...]
    clipped_max: float


@dataclass(frozen=True)
class PartitionedSurvivalResult:
    """The partitioned-survival model: which endpoints, and each arm's occupancy."""

    pfs_param: str
    os_param: str
    arms: dict[str, StateOccupancy]


@dataclass(frozen=True)
class ExtrapolationSettings:
    """Every choice behind the numbers."""

    profile: str
    conf_level: float
    time_unit: str
    horizon: float
    grid_step: float
    distributions: tuple[str, ...]
    joint: bool
    optimiser: str
    tolerance: float
    max_iter: int
    bic_n: str
    ci_method: str
    bootstrap: int
    seed: int | None
    knots: tuple[float, ...] | None = _optional()


@dataclass(frozen=True)
class ExtrapolationDocument:
    """The whole ``netter extrapolate`` output."""

    schema_id = SCHEMA

    schema: str
    generator: str
    arm_var: str
    reference: str
    arms: tuple[str, ...]
    settings: ExtrapolationSettings
    endpoints: dict[str, EndpointExtrapolation]
    inputs: dict[str, InputFile]
    partitioned_survival: PartitionedSurvivalResult | None = _optional()
    arm_labels: tuple[ArmLabel, ...] | None = _optional()
    study: StudyRecord | None = _optional()
    #: The data folder analysed (study analyses), and what the study asked for that the
    #: data could not give (an endpoint's ``PARAMCD``, ``"psm"`` or ``"analysis"``) -> why.
    data: str | None = _optional()
    not_computable: dict[str, str] | None = _optional()
