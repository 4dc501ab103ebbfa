"""Strict reading of one TOML table into a frozen dataclass (used by the config reader).

Every field of the dataclass is a key of the table: a field with a default is optional,
the others are required.  An unknown key, a missing key or a value of the wrong type is a
:class:`~netter.errors.ConfigError` that starts with ``where`` (the file and the table).

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Piece:
...     start: float
...     rates: tuple[float, ...]
...     label: str | None = None
>>> build_table(Piece, {"start": 0, "rates": [1, 0.5]}, "my.toml: [piece]")
Piece(start=0.0, rates=(1.0, 0.5), label=None)
>>> build_table(Piece, {"start": 0, "rates": [], "lable": "x"}, "my.toml: [piece]")
Traceback (most recent call last):
...
netter.errors.ConfigError: my.toml: [piece] unknown key(s) lable
>>> build_table(Piece, {"start": "0", "rates": []}, "my.toml: [piece]")
Traceback (most recent call last):
...
netter.errors.ConfigError: my.toml: [piece] start = '0' must be of type float
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing

from netter.errors import ConfigError


def build_table(cls, values, where: str):
    """Build dataclass ``cls`` from the TOML table ``values``; errors start with ``where``.

    Parameters
    ----------
    cls : type
        A dataclass whose fields are annotated with ``str``, ``int``, ``float``,
        ``datetime.date``, ``tuple[X, ...]`` of those, or ``X | None``.
    values : object
        The parsed TOML value (must be a table).
    where : str
        ``"<file>: [<table>]"``, the prefix of every error message.

    Returns
    -------
    object
        An instance of ``cls``.

    Raises
    ------
    ConfigError
        Not a table, unknown key, missing required key, or a value of the wrong type.

    Examples
    --------
    >>> from netter.synthetic.config import TrialSection
    >>> build_table(TrialSection, {"studyid": "X", "seed": 1, "n_sites": 3}, "f: [trial]")
    TrialSection(studyid='X', seed=1, n_sites=3)
    """
    if not isinstance(values, dict):
        raise ConfigError(f"{where} must be a table")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"{where} unknown key(s) {', '.join(unknown)}")
    kwargs = {}
    for name, field in fields.items():
        if name in values:
            kwargs[name] = coerce(values[name], hints[name], f"{where} {name}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{where} missing key {name!r}")
    return cls(**kwargs)


def coerce(value, hint, where: str):
    """Check ``value`` against the type ``hint`` (ints are accepted as floats).

    Examples
    --------
    >>> coerce([1, 2.5], tuple[float, ...], "f: [t] k")
    (1.0, 2.5)
    >>> coerce(True, int, "f: [t] k")
    Traceback (most recent call last):
    ...
    netter.errors.ConfigError: f: [t] k = True must be of type int
    """
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{where} = {value!r} must be a list")
        (item_type, _) = typing.get_args(hint)
        return tuple(coerce(item, item_type, where) for item in value)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        return value
    if hint is dt.date and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ConfigError(f"{where} = {value!r} must be of type {getattr(hint, '__name__', hint)}")
