"""The ``netter.crossover/1`` document: an endpoint's hazard ratio adjusted for crossover.

Written by :func:`netter.endpoints.crossover.analyze_crossover` (``netter crossover``, or
a study analysis with a ``crossover`` table); read by the crossover table and figures.
Every method is a comparison of the same endpoint between the experimental arm and the
reference arm, each with its hazard ratio, how its interval was made, and the
assumptions it rests on.  A method that cannot be estimated on the data keeps its entry
with ``null`` estimates and a ``not_estimable_reason``.

Examples
--------
>>> hr = HazardRatio(estimate=0.7, ci=(0.5, 0.98), ci_method="Wald, model SE")
>>> hr.estimate, hr.ci
(0.7, (0.5, 0.98))
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import CI
from netter.results.codec import optional_field as _optional
from netter.results.provenance import ArmLabel, InputFile, StudyRecord
from netter.results.tte import CurveResult

#: Layout of the crossover document; bump on any incompatible change.
SCHEMA = "netter.crossover/1"

#: Method keys, in the order they are computed and shown.
METHODS = ("rpsftm", "rpsftm_no_recensor", "ipcw", "tse", "censor", "exclude")
#: What ``--methods`` runs when not given (``rpsftm_no_recensor`` is asked for by name).
DEFAULT_METHODS = ("rpsftm", "ipcw", "tse", "censor", "exclude")
#: Exposure rules of the experimental arm and of a switcher (``for-days:N``: on treatment
#: for N days from randomisation or from the switch, within follow-up, is accepted too),
#: and the AFT distributions of two-stage estimation.
EXPOSURE_EXPERIMENTAL = ("follow-up", "to-progression")
EXPOSURE_SWITCH = ("from-switch",)
TSE_DISTRIBUTIONS = ("weibull", "lognormal", "loglogistic")


@dataclass(frozen=True)
class Estimate:
    """A point estimate and its interval (either may be ``None``)."""

    estimate: float | None
    ci: CI


@dataclass(frozen=True)
class HazardRatio:
    """Hazard ratio of the experimental arm against the reference arm.

    ``ci_method`` says how the interval was made (Wald, robust, preserved ITT p,
    bootstrap percentile); ``se_log`` is the SE of log HR that interval used, when it
    used one; ``se_robust`` is the sandwich SE (IPCW).
    """

    estimate: float | None
    ci: CI
    ci_method: str
    se_log: float | None = _optional()
    se_robust: float | None = _optional()
    p_value: float | None = _optional()
    bootstrap_ci: CI | None = _optional()


@dataclass(frozen=True)
class IttResult:
    """The randomised comparison: Cox HR (Wald CI) and the log-rank p-value."""

    hazard_ratio: HazardRatio
    p_value_logrank: float | None
    z_logrank: float | None
    n: dict[str, int]
    events: dict[str, int]


@dataclass(frozen=True)
class RpsftmResult:
    """RPSFTM: ``psi``, ``acceleration_factor = exp(-psi)`` and the adjusted HR.

    ``roots`` lists every root of the estimating function in ``interval``.
    """

    label: str
    psi: Estimate | None
    acceleration_factor: float | None
    recensor: bool
    test: str
    hazard_ratio: HazardRatio | None
    assumptions: tuple[str, ...]
    roots: tuple[float, ...]
    interval: CI
    warnings: tuple[str, ...]
    not_estimable_reason: str | None


@dataclass(frozen=True)
class WeightSummary:
    """Distribution of the stabilised weights over the reference arm's person-intervals
    (percentiles by linear interpolation, R ``quantile(type = 7)``)."""

    rows: int
    minimum: float
    p1: float
    p5: float
    p25: float
    median: float
    p75: float
    p95: float
    p99: float
    maximum: float
    mean: float
    truncated_rows: int
    truncation: CI | None = _optional()


@dataclass(frozen=True)
class ModelTerm:
    """One coefficient of a fitted model."""

    name: str
    coef: float | None
    se: float | None


@dataclass(frozen=True)
class IpcwResult:
    """IPCW: the weighted Cox HR (robust SE) and the switching models behind it."""

    label: str
    hazard_ratio: HazardRatio | None
    weights: WeightSummary | None
    denominator_model: tuple[ModelTerm, ...]
    numerator_model: tuple[ModelTerm, ...]
    model_rows: str
    interval: float
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]
    not_estimable_reason: str | None


@dataclass(frozen=True)
class TseResult:
    """Two-stage estimation: the acceleration factor of switching (AFT among progressed
    reference-arm patients) and the HR on the counterfactual times."""

    label: str
    acceleration_factor: Estimate | None
    distribution: str
    recensor: bool
    hazard_ratio: HazardRatio | None
    stage1_model: tuple[ModelTerm, ...]
    stage1_n: int
    stage1_events: int
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]
    not_estimable_reason: str | None


@dataclass(frozen=True)
class NaiveResult:
    """A naive comparator (switchers censored at the switch, or excluded): biased."""

    label: str
    hazard_ratio: HazardRatio | None
    p_value_logrank: float | None
    n: dict[str, int]
    events: dict[str, int]
    assumptions: tuple[str, ...]
    not_estimable_reason: str | None


@dataclass(frozen=True)
class CrossoverMethods:
    """The methods asked for (those not asked for are left out of the JSON)."""

    rpsftm: RpsftmResult | None = _optional()
    rpsftm_no_recensor: RpsftmResult | None = _optional()
    ipcw: IpcwResult | None = _optional()
    tse: TseResult | None = _optional()
    censor: NaiveResult | None = _optional()
    exclude: NaiveResult | None = _optional()


@dataclass(frozen=True)
class CrossoverSettings:
    """Every choice behind the numbers, from the profile and the options."""

    profile: str
    ties: str
    conf_level: float
    time_unit: str
    strata: tuple[str, ...]
    covariates: tuple[str, ...]
    exposure_experimental: str
    exposure_switch: str
    censor_time: str
    rpsftm_test: str
    rpsftm_interval: CI
    rpsftm_tolerance: float
    ipcw_interval: float
    ipcw_truncation: CI | None
    tse_distribution: str
    progression: str
    bootstrap: int
    seed: int | None
    glm_tolerance: float
    cox_tolerance: float


@dataclass(frozen=True)
class CrossoverDocument:
    """The whole ``netter crossover`` output.

    ``curves`` holds Kaplan-Meier curves for the report: ``"experimental"``,
    ``"reference"`` (observed) and ``"reference_rpsftm"`` (the reference arm's
    counterfactual times at the RPSFTM estimate), in ``settings.time_unit``.
    """

    schema_id = SCHEMA

    schema: str
    generator: str
    param: str
    arm_var: str
    reference: str
    experimental: str
    n_switchers: int
    n: dict[str, int]
    settings: CrossoverSettings
    itt: IttResult
    methods: CrossoverMethods
    inputs: dict[str, InputFile]
    curves: dict[str, CurveResult] | None = _optional()
    param_label: str | None = _optional()
    study: StudyRecord | None = _optional()
    data: str | None = _optional()
    arm_labels: tuple[ArmLabel, ...] | None = _optional()
    not_computable: dict[str, str] | None = _optional()
