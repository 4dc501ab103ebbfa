"""Results of the time-to-event analyses: the ``netter.results/1`` document of ``netter analyze``.

Times are in the document's ``time_unit`` (months unless a study says otherwise); a
confidence interval is ``[lower, upper]``, either end possibly ``null`` (e.g. a median's
upper limit not reached); optional sections (``rmst``, ``*_stratified``, ``*_by_arm``,
``response``, ``study``) are left out when not requested or not applicable.  JSON
conversion: :mod:`netter.results.codec`; files: :mod:`netter.artefacts`.

Examples
--------
>>> QuantileResult(q=0.5, estimate=None, ci=(5.8, None), not_estimable_reason="not reached")
QuantileResult(q=0.5, estimate=None, ci=(5.8, None), not_estimable_reason='not reached', note=None)
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import CI
from netter.results.codec import optional_field as _optional
from netter.results.provenance import ArmLabel, InputFile, StudyRecord
from netter.results.response import ResponseResult

#: Identifies the layout of the document; bump on any incompatible change.
SCHEMA = "netter.results/1"


@dataclass(frozen=True)
class QuantileResult:
    """A quantile of a survival curve (``q = 0.5``: the median) with its CI (``time_unit``)."""

    q: float
    estimate: float | None
    ci: CI
    not_estimable_reason: str | None
    note: str | None = None


@dataclass(frozen=True)
class LandmarkResult:
    """The Kaplan-Meier curve read at ``time``; ``events``: events at or before it;
    ``carried``: ``True`` when ``time`` is after a censored end of the curve and the last
    values were carried forward (profile option ``landmark_rule=carry``, R
    ``extend=TRUE``), absent otherwise."""

    time: float
    survival: float | None
    se: float | None
    ci: CI
    n_risk: int
    not_estimable_reason: str | None
    events: int | None = _optional()
    carried: bool | None = _optional()


@dataclass(frozen=True)
class RmstResult:
    """Restricted mean survival time up to ``tau``, with a normal CI."""

    tau: float
    estimate: float | None
    se: float | None
    ci: CI
    extended: bool
    not_estimable_reason: str | None


@dataclass(frozen=True)
class CurveResult:
    """A Kaplan-Meier curve: one entry per distinct observed time (R ``survfit`` rows).

    ``n_risk`` is ``#{time >= t}``; the pointwise CI uses the profile's transform
    (``null`` where R gives ``NA``).  The curve starts at 1 before ``time[0]``.
    """

    time: tuple[float, ...]
    n_risk: tuple[int, ...]
    n_event: tuple[int, ...]
    n_censor: tuple[int, ...]
    survival: tuple[float, ...]
    ci_lower: tuple[float | None, ...]
    ci_upper: tuple[float | None, ...]
    conf_type: str
    conf_level: float


@dataclass(frozen=True)
class AtRisk:
    """Number of subjects at risk at ``time``: ``#{time >= t}`` (R, SAS)."""

    time: float
    n_risk: int


@dataclass(frozen=True)
class EventCount:
    """Subjects of one arm whose event (or censoring) has this ADTTE description."""

    description: str
    count: int


@dataclass(frozen=True)
class ArmResult:
    """Per-arm summary of one endpoint.

    ``curve``, ``risk_table`` (every ``risk_step`` up to the endpoint's last
    observation), ``event_types`` (``EVNTDESC``) and ``censor_types`` (``CNSDTDSC``)
    are what figures and tables need besides the estimates.
    """

    arm: str
    n: int
    events: int
    censored: int
    last_time: float | None
    median: QuantileResult
    quartiles: tuple[QuantileResult, ...]
    landmarks: tuple[LandmarkResult, ...]
    median_followup: QuantileResult
    rmst: RmstResult | None = _optional()
    curve: CurveResult | None = _optional()
    risk_table: tuple[AtRisk, ...] | None = _optional()
    event_types: tuple[EventCount, ...] | None = _optional()
    censor_types: tuple[EventCount, ...] | None = _optional()


@dataclass(frozen=True)
class ArmCount:
    """Observed and expected events of one arm in a log-rank test."""

    arm: str
    n: int
    observed: int
    expected: float


@dataclass(frozen=True)
class LogRankResult:
    """k-sample log-rank test (R ``survdiff``), stratified when ``strata`` is set."""

    chisq: float | None
    df: int
    p_value: float | None
    by_arm: tuple[ArmCount, ...]
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()
    strata_levels: tuple[str, ...] | None = _optional()


@dataclass(frozen=True)
class HomogeneityTestResult:
    """A test of equal survival of all arms as SAS PROC LIFETEST prints it.

    ``test`` is ``"wilcoxon"`` (Gehan-Breslow, weight = number at risk; stratified
    when ``strata`` is set) or ``"-2log(lr)"`` (likelihood ratio of one exponential
    model for all arms, unstratified); see :mod:`netter.stats.lifetest`.
    """

    test: str
    chisq: float | None
    df: int
    p_value: float | None
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()
    strata_levels: tuple[str, ...] | None = _optional()


@dataclass(frozen=True)
class CoxResult:
    """Hazard ratio of ``arm`` against ``reference`` from the Cox model of the arms.

    ``p_value_wald`` is this arm's Wald test; ``p_value_lr`` and ``p_value_score``
    are the model's tests that all arms are equal (``df`` = arms - 1), which with
    two arms test this arm.
    """

    arm: str | None
    reference: str
    hazard_ratio: float | None
    ci: CI
    coef: float | None
    se: float | None
    p_value_wald: float | None
    p_value_lr: float | None
    p_value_score: float | None
    chisq_wald: float | None
    chisq_lr: float | None
    chisq_score: float | None
    df: int
    loglik_null: float | None
    loglik: float | None
    ties: str
    conf_level: float
    n: int
    events: int
    converged: bool
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()
    strata_levels: tuple[str, ...] | None = _optional()


@dataclass(frozen=True)
class RmstDifferenceResult:
    """RMST of ``arm`` minus RMST of ``reference`` up to ``tau``."""

    tau: float
    arm: str | None
    reference: str
    estimate: float | None
    se: float | None
    ci: CI
    p_value: float | None
    extended: bool
    not_estimable_reason: str | None


@dataclass(frozen=True)
class SchoenfeldResult:
    """Scaled Schoenfeld residuals of the tested Cox model, one value per event.

    As R ``cox.zph(fit, transform = "km")``: ``time`` the event times (sorted, a tied
    time repeated), ``x`` their transformed times, ``y`` one tuple of residuals per arm
    of ``arms`` (the non-reference arms), aligned with ``time``.
    """

    time: tuple[float, ...]
    x: tuple[float, ...]
    arms: tuple[str, ...]
    y: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class PhTestResult:
    """Proportional-hazards score test of the arm term (R ``cox.zph``).

    ``residuals`` (the scaled Schoenfeld residuals, for the figure) is left out when the
    model is not estimable.
    """

    chisq: float | None
    df: int
    p_value: float | None
    transform: str
    ties: str
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()
    residuals: SchoenfeldResult | None = _optional()


@dataclass(frozen=True)
class ComparisonResult:
    """One comparison of the arms of an endpoint by a named method, in one shape for all.

    ``method`` is the key of the method (``logrank``, ``cox``, ``ph_test``,
    ``rmst_difference``, and whatever later methods add); ``description`` says it in
    words with its settings.  ``arm`` is ``None`` for a test of all arms at once.
    ``estimand`` names what ``estimate`` is (``None`` for a test); ``assumptions`` are
    printed beside the result.
    """

    method: str
    description: str
    arm: str | None
    reference: str
    estimand: str | None
    estimate: float | None
    ci: CI
    conf_level: float | None
    statistic: float | None
    df: int | None
    p_value: float | None
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()
    assumptions: tuple[str, ...] | None = _optional()
    weights: tuple[tuple[float, float], ...] | None = _optional()
    interval: tuple[float, float | None] | None = _optional()
    tau: float | None = _optional()


@dataclass(frozen=True)
class ExcludedSubject:
    """A subject left out of an endpoint's analysis set, and why."""

    usubjid: str
    reason: str


@dataclass(frozen=True)
class EndpointResult:
    """Everything computed for one time-to-event parameter.

    ``label`` names the endpoint, ``axis`` is the y-axis title of its figure and
    ``origin`` the event its times count from (e.g. "randomisation"), from the study or
    the ADaM metadata.  ``comparisons`` lists every comparison by method, in one shape.
    """

    paramcd: str
    n: int
    events: int
    censored: int
    arms: tuple[ArmResult, ...]
    median_followup: QuantileResult
    excluded: tuple[ExcludedSubject, ...]
    not_estimable_reason: str | None
    logrank: LogRankResult
    cox: CoxResult
    ph_test: PhTestResult
    label: str | None = _optional()
    axis: str | None = _optional()
    origin: str | None = _optional()
    rmst_difference: RmstDifferenceResult | None = _optional()
    logrank_stratified: LogRankResult | None = _optional()
    cox_stratified: CoxResult | None = _optional()
    ph_test_stratified: PhTestResult | None = _optional()
    cox_by_arm: tuple[CoxResult, ...] | None = _optional()
    cox_stratified_by_arm: tuple[CoxResult, ...] | None = _optional()
    rmst_difference_by_arm: tuple[RmstDifferenceResult, ...] | None = _optional()
    comparisons: tuple[ComparisonResult, ...] | None = _optional()
    wilcoxon: HomogeneityTestResult | None = _optional()
    wilcoxon_stratified: HomogeneityTestResult | None = _optional()
    lr_exponential: HomogeneityTestResult | None = _optional()


@dataclass(frozen=True)
class Methods:
    """The method choices behind every number (from the profile and the options).

    ``options`` holds every option of the profile (:meth:`netter.profiles.Profile.options`).
    """

    profile: str
    conf_type: str
    conf_level: float
    ties: str
    median_rule: str
    variance: str
    ph_transform: str
    reference_rule: str
    options: dict[str, str] | None = _optional()


@dataclass(frozen=True)
class ResultsDocument:
    """The whole ``netter analyze`` output; ``endpoints`` maps PARAMCD to results.

    ``study`` (study, analysis, cut-off), ``data`` (the folder analysed) and
    ``arm_labels`` (arms in display order) are recorded when the analysis ran from a
    study.  ``not_computable`` maps what the study asked for and the data could not give
    (an endpoint's ``PARAMCD``, ``"response"``, ``"strata"``) to the reason.  Times,
    landmarks and ``rmst_tau`` are in ``time_unit``.
    """

    #: Checked by :func:`from_json_dict` (any document class may declare one).
    schema_id = SCHEMA

    schema: str
    generator: str
    profile: str
    methods: Methods
    time_unit: str
    reference_arm: str
    arm_var: str
    strata: tuple[str, ...]
    population_flag: str | None
    params: tuple[str, ...]
    landmarks: tuple[float, ...]
    rmst_tau: float | None
    inputs: dict[str, InputFile]
    endpoints: dict[str, EndpointResult]
    response: ResponseResult | None = _optional()
    study: StudyRecord | None = _optional()
    data: str | None = _optional()
    arm_labels: tuple[ArmLabel, ...] | None = _optional()
    not_computable: dict[str, str] | None = _optional()
