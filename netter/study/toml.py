"""Strict reading of TOML tables: every key known, every value of the expected type.

The study files (``study.toml``, ``scorecard.toml``, ``calibration.toml``) are read
through :class:`Table`, so a typo or a wrong type is an error that names the file,
the table and the key, never a silently ignored setting.

Examples
--------
>>> table = Table({"name": "os", "landmarks": [12, 24]}, "study.toml", "[[analyses]] #1")
>>> table.text("name"), table.numbers("landmarks"), table.optional_text("title")
('os', (12.0, 24.0), None)
>>> table.done()
>>> Table({"nmae": "os"}, "study.toml", "[[analyses]] #1").done()
Traceback (most recent call last):
...
netter.study.toml.StudyError: study.toml: [[analyses]] #1: unknown key 'nmae'
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

from netter.errors import NetterError


class StudyError(NetterError):
    """A study file that cannot be used (the message names the file, table and key)."""


def read_toml(path: Path) -> dict:
    """The TOML file ``path`` as a dict; unreadable or invalid TOML is a :class:`StudyError`.

    Examples
    --------
    >>> read_toml(Path("no/such/file.toml"))
    Traceback (most recent call last):
    ...
    netter.study.toml.StudyError: no/such/file.toml: cannot read (No such file or directory)
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise StudyError(f"{path}: cannot read ({reason})") from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise StudyError(f"{path}: invalid TOML ({err})") from err


class Table:
    """One TOML table being read: typed getters that remember which keys were used."""

    def __init__(self, values, source: str, where: str = "") -> None:
        self.source, self.where = str(source), where
        if not isinstance(values, dict):
            raise self.error(f"must be a table, got {values!r}")
        self.values = values
        self.used: set[str] = set()

    def error(self, message: str, key: str | None = None) -> StudyError:
        """A :class:`StudyError` naming the file, the table and ``key``."""
        place = ": ".join(p for p in (self.where, key and f"{key}") if p)
        return StudyError(f"{self.source}: {place + ': ' if place else ''}{message}")

    def has(self, key: str) -> bool:
        """Whether the table sets ``key``."""
        return key in self.values

    def _get(self, key: str, required: bool):
        self.used.add(key)
        if key not in self.values:
            if required:
                raise self.error(f"missing key {key!r}")
            return None
        return self.values[key]

    def text(self, key: str) -> str:
        """A required non-empty string."""
        value = self._get(key, True)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"must be a non-empty string, got {value!r}", key)
        return value.strip()

    def optional_text(self, key: str, default: str | None = None) -> str | None:
        """A string when set, else ``default``."""
        if key not in self.values:
            self.used.add(key)
            return default
        return self.text(key)

    def texts(self, key: str, default: tuple[str, ...] | None = ()) -> tuple[str, ...] | None:
        """A list of non-empty strings (``default`` when absent)."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise self.error(f"must be a list of non-empty strings, got {value!r}", key)
        return tuple(v.strip() for v in value)

    def number(self, key: str, default: float | None = None, *, positive: bool = False
               ) -> float | None:
        """A finite number (``default`` when absent); ``positive``: must be > 0."""
        value = self._get(key, False)
        if value is None:
            return default
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or (positive and value <= 0):
            need = "a finite number > 0" if positive else "a finite number"
            raise self.error(f"must be {need}, got {value!r}", key)
        return float(value)

    def numbers(self, key: str) -> tuple[float, ...]:
        """A list of finite numbers >= 0 (empty when absent)."""
        value = self._get(key, False)
        if value is None:
            return ()
        ok = isinstance(value, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            and v >= 0 for v in value)
        if not ok:
            raise self.error(f"must be a list of finite numbers >= 0, got {value!r}", key)
        return tuple(float(v) for v in value)

    def number_pairs(self, key: str) -> tuple[tuple[float, float], ...]:
        """A list of pairs of finite numbers >= 0, e.g. ``[[0, 1], [1, 0]]`` (empty when absent)."""
        value = self._get(key, False)
        if value is None:
            return ()
        ok = isinstance(value, list) and all(
            isinstance(p, list) and len(p) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                and v >= 0 for v in p) for p in value)
        if not ok:
            raise self.error(f"must be a list of pairs of finite numbers >= 0, got {value!r}",
                             key)
        return tuple((float(a), float(b)) for a, b in value)

    def flag(self, key: str, default: bool = False) -> bool:
        """A boolean (``default`` when absent)."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, got {value!r}", key)
        return value

    def date(self, key: str) -> str | None:
        """A date (TOML date or ``"YYYY-MM-DD"``) as ISO text, or ``None`` when absent."""
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise self.error(f"must be a date (YYYY-MM-DD), got {value!r}", key)

    def tables(self, key: str) -> list[Table]:
        """An array of tables (``[[key]]``), each a :class:`Table` named ``[[key]] #i``."""
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"must be an array of tables ([[{key}]]), got {value!r}", key)
        return [Table(item, self.source, f"[[{key}]] #{i}")
                for i, item in enumerate(value, start=1)]

    def subtables(self, key: str) -> dict[str, Table]:
        """A table of tables (``[key.NAME]``), by name."""
        value = self._get(key, False)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"must be a table of tables ([{key}.NAME]), got {value!r}", key)
        return {str(name): Table(item, self.source, f"[{key}.{name}]")
                for name, item in value.items()}

    def table(self, key: str) -> Table | None:
        """A single table (``[parent.key]`` or ``key = { ... }``), ``None`` when absent."""
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(f"must be a table, got {value!r}", key)
        return Table(value, self.source, f"{self.where}.{key}" if self.where else key)

    def mapping(self, key: str) -> dict[str, str]:
        """A table of strings (``key = { a = "A" }``), in file order."""
        value = self._get(key, False)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.error(f"must be a table of strings, got {value!r}", key)
        return {str(k): v for k, v in value.items()}

    def done(self) -> None:
        """Refuse keys that were never asked for (typos, settings that do not exist)."""
        unknown = sorted(set(self.values) - self.used)
        if unknown:
            keys = ", ".join(repr(k) for k in unknown)
            raise self.error(f"unknown key{'s' if len(unknown) > 1 else ''} {keys}")
