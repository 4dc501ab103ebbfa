"""The JSON form of netter's results dataclasses: lossless conversion both ways.

Conventions: not estimable = ``None`` (JSON ``null``), never NaN; tuples become lists;
optional sections declared with :func:`optional_field` are left out when ``None``;
reading refuses unknown or missing keys, wrong types and non-finite numbers, and
checks the ``schema`` of any document class that declares a ``schema_id``.

Examples
--------
>>> from netter.results import QuantileResult
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
from dataclasses import field
from functools import cache

from netter.errors import NetterError

#: A confidence interval ``(lower, upper)``; either end may be ``None``.
CI = tuple[float | None, float | None]


class ResultsFormatError(NetterError):
    """A results document whose JSON does not have the expected layout."""


def optional_field():
    """A field left out of the JSON when ``None`` (and ``None`` when absent)."""
    return field(default=None, metadata={"omit_none": True})


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
    >>> from netter.results import ExcludedSubject
    >>> to_json_dict(ExcludedSubject("TRIAL-001-0001", "ITTFL is not 'Y'"))
    {'usubjid': 'TRIAL-001-0001', 'reason': "ITTFL is not 'Y'"}
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
    >>> from netter.results import ExcludedSubject
    >>> from_json_dict(ExcludedSubject, {"usubjid": "S1", "reason": "no PFS record in ADTTE"})
    ExcludedSubject(usubjid='S1', reason='no PFS record in ADTTE')
    >>> from_json_dict(ExcludedSubject, {"usubjid": "S1"})
    Traceback (most recent call last):
    ...
    netter.results.codec.ResultsFormatError: ExcludedSubject: missing key 'reason'
    """
    if not isinstance(data, dict):
        raise ResultsFormatError(f"{cls.__name__}: expected an object")
    expected = getattr(cls, "schema_id", None)
    if expected is not None and data.get("schema") != expected:
        raise ResultsFormatError(
            f"schema is {data.get('schema')!r}; netter reads {expected!r} documents")
    return _from_dict(cls, data, cls.__name__)
