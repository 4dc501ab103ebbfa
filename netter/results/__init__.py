"""Results of netter's analyses as frozen dataclasses, and their lossless JSON form.

Modules
-------
codec
    :func:`to_json_dict` / :func:`from_json_dict` for any results dataclass.
provenance
    Study, analysis, cut-off and input-file records every document can carry.
tte
    The ``netter.results/1`` document of ``netter analyze`` (:class:`ResultsDocument`)
    and its time-to-event parts, comparisons included.
response
    The ``"response"`` block (:class:`ResponseResult`).
subgroups
    The ``netter.subgroups/1`` document (:class:`SubgroupsDocument`).
baseline
    The ``netter.baseline/1`` document (:class:`BaselineDocument`).
crossover
    The ``netter.crossover/1`` document (:class:`CrossoverDocument`): an endpoint's
    hazard ratio adjusted for treatment switching.
extrapolation
    The ``netter.extrapolation/1`` document (:class:`ExtrapolationDocument`): parametric
    fits, extrapolation and partitioned survival.

Tables and figures read these types only; they never import :mod:`netter.endpoints`.

Every name is importable from ``netter.results`` directly.

Examples
--------
>>> from netter.results import QuantileResult, from_json_dict, to_json_dict
>>> q = QuantileResult(q=0.5, estimate=8.4, ci=(5.8, None), not_estimable_reason=None)
>>> from_json_dict(QuantileResult, to_json_dict(q)) == q
True
"""

from netter.results.baseline import (
    BaselineDocument,
    BaselineGroup,
    BaselineVariable,
    GroupSummary,
    LevelCount,
    NumericSummary,
)
from netter.results.codec import (
    CI,
    ResultsFormatError,
    from_json_dict,
    optional_field,
    to_json_dict,
)
from netter.results.crossover import (
    CrossoverDocument,
    CrossoverMethods,
    CrossoverSettings,
    Estimate,
    HazardRatio,
    IpcwResult,
    IttResult,
    ModelTerm,
    NaiveResult,
    RpsftmResult,
    TseResult,
    WeightSummary,
)
from netter.results.extrapolation import ExtrapolationDocument
from netter.results.provenance import ArmLabel, CutoffRecord, InputFile, StudyRecord
from netter.results.response import (
    BOR_CATEGORIES,
    SOURCE_DERIVED,
    SOURCE_RECORDED,
    CmhResult,
    DifferenceResult,
    OddsRatioResult,
    RateResult,
    ResponseArmResult,
    ResponseComparison,
    ResponseResult,
)
from netter.results.subgroups import (
    InteractionTest,
    SubgroupArm,
    SubgroupResult,
    SubgroupsDocument,
    SubgroupVariable,
)
from netter.results.tte import (
    SCHEMA,
    ArmCount,
    ArmResult,
    AtRisk,
    ComparisonResult,
    CoxResult,
    CurveResult,
    EndpointResult,
    EventCount,
    ExcludedSubject,
    HomogeneityTestResult,
    LandmarkResult,
    LogRankResult,
    Methods,
    PhTestResult,
    QuantileResult,
    ResultsDocument,
    RmstDifferenceResult,
    RmstResult,
    SchoenfeldResult,
)

#: Schemas of the documents netter writes, by document class.
DOCUMENT_TYPES = (ResultsDocument, SubgroupsDocument, BaselineDocument, CrossoverDocument,
                  ExtrapolationDocument)

__all__ = [
    "BOR_CATEGORIES", "CI", "DOCUMENT_TYPES", "SCHEMA", "SOURCE_DERIVED", "SOURCE_RECORDED",
    "ArmCount", "ArmLabel", "ArmResult", "AtRisk", "BaselineDocument", "BaselineGroup",
    "BaselineVariable", "CmhResult", "ComparisonResult", "CoxResult", "CrossoverDocument",
    "CrossoverMethods", "CrossoverSettings", "CurveResult", "CutoffRecord",
    "DifferenceResult", "EndpointResult", "Estimate", "EventCount", "ExcludedSubject",
    "ExtrapolationDocument",
    "GroupSummary", "HazardRatio", "InputFile", "InteractionTest", "IpcwResult",
    "HomogeneityTestResult",
    "IttResult", "LandmarkResult", "LevelCount", "LogRankResult", "Methods", "ModelTerm",
    "NaiveResult", "NumericSummary", "OddsRatioResult", "PhTestResult", "QuantileResult",
    "RateResult", "ResponseArmResult", "ResponseComparison", "ResponseResult",
    "ResultsDocument", "ResultsFormatError", "RmstDifferenceResult", "RmstResult",
    "SchoenfeldResult",
    "RpsftmResult", "StudyRecord", "SubgroupArm", "SubgroupResult", "SubgroupVariable",
    "SubgroupsDocument", "TseResult", "WeightSummary", "from_json_dict", "optional_field",
    "to_json_dict",
]
