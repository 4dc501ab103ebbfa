"""The results document of ``netter analyze``: frozen dataclasses and their JSON form.

:func:`to_json_dict` and :func:`from_json_dict` convert any of these dataclasses to
and from plain JSON values without loss.  Conventions of the JSON form:

* times are in months (``time_unit``);
* not estimable = ``None`` (JSON ``null``), never NaN; the object carries a
  ``not_estimable_reason``;
* a confidence interval is a two-element list ``[lower, upper]``, either end
  possibly ``null`` (e.g. a median's upper limit not reached);
* optional sections (``rmst``, ``*_stratified``, ``*_by_arm``) are left out when
  not requested or not applicable.  Files: :mod:`netter.artefacts`.

Examples
--------
>>> q = QuantileResult(q=0.5, estimate=8.4, ci=(5.8, None), not_estimable_reason=None)
>>> to_json_dict(q)
{'q': 0.5, 'estimate': 8.4, 'ci': [5.8, None], 'not_estimable_reason': None, 'note': None}
>>> from_json_dict(QuantileResult, to_json_dict(q)) == q
True
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from functools import cache

from netter.errors import NetterError

#: Identifies the layout of the document; bump on any incompatible change.
SCHEMA = "netter.results/1"

CI = tuple[float | None, float | None]


class ResultsFormatError(NetterError):
    """A results document that does not have the ``netter.results/1`` layout."""


def _optional():
    """A field left out of the JSON when ``None`` (and ``None`` when absent)."""
    return field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class QuantileResult:
    """A quantile of a survival curve (``q = 0.5``: the median) with its CI, in months."""

    q: float
    estimate: float | None
    ci: CI
    not_estimable_reason: str | None
    note: str | None = None


@dataclass(frozen=True)
class LandmarkResult:
    """The Kaplan-Meier curve read at ``time`` months."""

    time: float
    survival: float | None
    se: float | None
    ci: CI
    n_risk: int
    not_estimable_reason: str | None


@dataclass(frozen=True)
class RmstResult:
    """Restricted mean survival time up to ``tau`` months, with a normal CI."""

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
    """Number of subjects at risk at ``time`` months: ``#{time >= t}`` (R, SAS)."""

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

    ``curve``, ``risk_table`` (every ``risk_step`` months up to the endpoint's last
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
    """RMST of ``arm`` minus RMST of ``reference`` up to ``tau`` months."""

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
class PhTestResult:
    """Proportional-hazards score test of the arm term (R ``cox.zph``)."""

    chisq: float | None
    df: int
    p_value: float | None
    transform: str
    ties: str
    not_estimable_reason: str | None
    strata: tuple[str, ...] | None = _optional()


@dataclass(frozen=True)
class ExcludedSubject:
    """A subject left out of an endpoint's analysis set, and why."""

    usubjid: str
    reason: str


@dataclass(frozen=True)
class EndpointResult:
    """Everything computed for one time-to-event parameter."""

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
    rmst_difference: RmstDifferenceResult | None = _optional()
    logrank_stratified: LogRankResult | None = _optional()
    cox_stratified: CoxResult | None = _optional()
    ph_test_stratified: PhTestResult | None = _optional()
    cox_by_arm: tuple[CoxResult, ...] | None = _optional()
    cox_stratified_by_arm: tuple[CoxResult, ...] | None = _optional()
    rmst_difference_by_arm: tuple[RmstDifferenceResult, ...] | None = _optional()


@dataclass(frozen=True)
class Methods:
    """The method choices behind every number (from the profile and the options)."""

    profile: str
    conf_type: str
    conf_level: float
    ties: str
    median_rule: str
    variance: str
    ph_transform: str
    reference_rule: str


@dataclass(frozen=True)
class InputFile:
    """An input dataset: its path as given (never absolute) and its SHA-256."""

    path: str
    sha256: str


@dataclass(frozen=True)
class ResultsDocument:
    """The whole ``netter analyze`` output; ``endpoints`` maps PARAMCD to results."""

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


# --- JSON conversion -------------------------------------------------------------------


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _strip_none(hint):
    """``X | None`` -> ``X`` (any other hint unchanged)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _items(value, args: tuple, where: str, error: type[Exception]):
    """``(index, (item, hint))`` pairs of a tuple field (``tuple[X, ...]`` or fixed)."""
    hints = [args[0]] * len(value) if args[-1] is Ellipsis else list(args)
    if len(hints) != len(value):
        raise error(f"{where}: expected {len(hints)} values, got {len(value)}")
    return enumerate(zip(value, hints, strict=True))


def _encode(value, hint, where: str):
    if value is None:
        return None
    hint = _strip_none(hint)
    if dataclasses.is_dataclass(hint):
        return to_json_dict(value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        pairs = _items(value, args, where, ValueError)
        return [_encode(v, h, f"{where}[{i}]") for i, (v, h) in pairs]
    if origin is dict:
        return {str(k): _encode(v, args[1], f"{where}.{k}") for k, v in value.items()}
    if hint is float:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{where}: {number!r} is not finite (use None)")
        return number
    if hint in (int, bool, str):
        return hint(value)
    raise TypeError(f"{where}: cannot encode type {hint!r}")


def to_json_dict(obj) -> dict:
    """Convert a results dataclass (any of this module's) to plain JSON values.

    Floats stay floats (``24`` in a float field becomes ``24.0``), tuples become
    lists, optional sections that are ``None`` are left out; a non-finite float
    raises ``ValueError`` (results hold ``None`` instead).

    Examples
    --------
    >>> to_json_dict(ExcludedSubject("NETTER-1-001-0001", "ITTFL is not 'Y'"))
    {'usubjid': 'NETTER-1-001-0001', 'reason': "ITTFL is not 'Y'"}
    """
    out = {}
    hints = _hints(type(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value is None and f.metadata.get("omit_none"):
            continue
        out[f.name] = _encode(value, hints[f.name], f"{type(obj).__name__}.{f.name}")
    return out


def _decode(value, hint, where: str):
    if value is None:
        if _strip_none(hint) is hint and hint is not type(None):
            raise ResultsFormatError(f"{where}: null where a value is required")
        return None
    hint = _strip_none(hint)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ResultsFormatError(f"{where}: expected an object")
        return _from_dict(hint, value, where)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ResultsFormatError(f"{where}: expected a list")
        pairs = _items(value, args, where, ResultsFormatError)
        return tuple(_decode(v, h, f"{where}[{i}]") for i, (v, h) in pairs)
    if origin is dict:
        if not isinstance(value, dict):
            raise ResultsFormatError(f"{where}: expected an object")
        return {k: _decode(v, args[1], f"{where}.{k}") for k, v in value.items()}
    return _decode_scalar(value, hint, where)


def _decode_scalar(value, hint, where: str):
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = {float: number, int: number and isinstance(value, int),
          bool: isinstance(value, bool), str: isinstance(value, str)}
    if hint not in ok:
        raise TypeError(f"{where}: cannot decode type {hint!r}")
    if not ok[hint]:
        raise ResultsFormatError(f"{where}: expected {hint.__name__}, got {value!r}")
    if hint is float and not math.isfinite(value):
        raise ResultsFormatError(f"{where}: {value!r} is not finite")
    return hint(value)


def _from_dict(cls: type, data: dict, where: str):
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ResultsFormatError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values = {}
    for name, f in fields.items():
        if name not in data:
            if f.metadata.get("omit_none"):
                continue
            raise ResultsFormatError(f"{where}: missing key {name!r}")
        values[name] = _decode(data[name], hints[name], f"{where}.{name}")
    return cls(**values)


def from_json_dict(cls: type, data: dict):
    """Rebuild a results dataclass of type ``cls`` from :func:`to_json_dict` output.

    Raises
    ------
    ResultsFormatError
        Unknown or missing keys, values of the wrong type, or (for a document
        class with a ``schema_id``, e.g. :class:`ResultsDocument`) another ``schema``.

    Examples
    --------
    >>> from_json_dict(ExcludedSubject, {"usubjid": "S1", "reason": "no PFS record in ADTTE"})
    ExcludedSubject(usubjid='S1', reason='no PFS record in ADTTE')
    >>> from_json_dict(ExcludedSubject, {"usubjid": "S1"})
    Traceback (most recent call last):
    ...
    netter.results.ResultsFormatError: ExcludedSubject: missing key 'reason'
    """
    if not isinstance(data, dict):
        raise ResultsFormatError(f"{cls.__name__}: expected an object")
    expected = getattr(cls, "schema_id", None)
    if expected is not None and data.get("schema") != expected:
        raise ResultsFormatError(
            f"schema is {data.get('schema')!r}; netter reads {expected!r} documents")
    return _from_dict(cls, data, cls.__name__)
