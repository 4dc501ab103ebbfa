"""Results of netter's analyses as frozen dataclasses, and their lossless JSON form.

Modules
-------
codec
    :func:`to_json_dict` / :func:`from_json_dict` for any results dataclass.
tte
    The ``netter.results/1`` document of ``netter analyze`` (:class:`ResultsDocument`)
    and its time-to-event parts.
response
    The ``"response"`` block (:class:`ResponseResult`).

Every name is importable from ``netter.results`` directly.

Examples
--------
>>> from netter.results import QuantileResult, from_json_dict, to_json_dict
>>> q = QuantileResult(q=0.5, estimate=8.4, ci=(5.8, None), not_estimable_reason=None)
>>> from_json_dict(QuantileResult, to_json_dict(q)) == q
True
"""

from netter.results.codec import (
    CI,
    ResultsFormatError,
    from_json_dict,
    optional_field,
    to_json_dict,
)
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
from netter.results.tte import (
    SCHEMA,
    ArmCount,
    ArmResult,
    AtRisk,
    CoxResult,
    CurveResult,
    EndpointResult,
    EventCount,
    ExcludedSubject,
    InputFile,
    LandmarkResult,
    LogRankResult,
    Methods,
    PhTestResult,
    QuantileResult,
    ResultsDocument,
    RmstDifferenceResult,
    RmstResult,
)

__all__ = [
    "BOR_CATEGORIES", "CI", "SCHEMA", "SOURCE_DERIVED", "SOURCE_RECORDED", "ArmCount",
    "ArmResult", "AtRisk", "CmhResult", "CoxResult", "CurveResult", "DifferenceResult",
    "EndpointResult", "EventCount", "ExcludedSubject", "InputFile", "LandmarkResult",
    "LogRankResult", "Methods", "OddsRatioResult", "PhTestResult", "QuantileResult",
    "RateResult", "ResponseArmResult", "ResponseComparison", "ResponseResult",
    "ResultsDocument", "ResultsFormatError", "RmstDifferenceResult", "RmstResult",
    "from_json_dict", "optional_field", "to_json_dict",
]
