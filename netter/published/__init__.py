"""Published numbers of a study, each with its source and verification flag.

A study's ``published.json`` (named by ``published = "..."`` in its ``study.toml``)
holds ``{"meta": {...}, "records": {key: {"value", "ci_low", "ci_high", "source",
"source_url", "flag"}}}``; a CI may have one open end (``null``: not estimable, as a
median's upper limit "NE").  ``flag`` is ``V`` (read in the cited source), ``V2``
(verified in a secondary source) or ``U`` (unverified: shown as such, never a target).

Examples
--------
>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "published.json"
>>> _ = path.write_text(json.dumps({"records": {"os.hr": {"value": 0.84, "ci_low": 0.6,
...     "ci_high": 1.17, "source": "A paper", "flag": "V"}}}))
>>> record = load_published(path)["os.hr"]
>>> record.value, record.ci, record.flag, record.is_target
(0.84, (0.6, 1.17), 'V', True)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from netter.errors import NetterError

#: Verification flags and what they mean.
FLAGS = {"V": "read in the cited source", "V2": "verified in a secondary source",
         "U": "unverified: shown as such, never a target"}


@dataclass(frozen=True)
class PublishedRecord:
    """One published number: value (number or text), optional CI, source and flag."""

    key: str
    value: object
    ci: tuple[float | None, float | None] | None
    source: str
    source_url: str
    flag: str

    @property
    def is_target(self) -> bool:
        """Only verified numbers (V, V2) are targets."""
        return self.flag in ("V", "V2")


def _record(key: str, raw: dict, path: Path) -> PublishedRecord:
    if not isinstance(raw, dict):
        raise NetterError(f"{path}: record {key!r} is not an object")
    flag = raw.get("flag")
    if flag not in FLAGS:
        raise NetterError(f"{path}: record {key!r}: flag {flag!r} is not one of "
                          f"{', '.join(FLAGS)}")
    if "value" not in raw or not isinstance(raw.get("source"), str):
        raise NetterError(f"{path}: record {key!r} needs a value and a source")
    ci = None
    low, high = raw.get("ci_low"), raw.get("ci_high")
    if low is not None or high is not None:  # one end may be open ("19.4-NE")
        ci = (None if low is None else float(low), None if high is None else float(high))
    return PublishedRecord(key=key, value=raw["value"], ci=ci, source=raw["source"],
                           source_url=raw.get("source_url") or "", flag=flag)


def load_published(path: str | os.PathLike) -> dict[str, PublishedRecord]:
    """Every record of a published-numbers file, by key (sorted).

    Raises
    ------
    NetterError
        Unreadable file, invalid JSON, or a record without value, source or a known flag.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise NetterError(f"{path}: cannot read the published numbers ({err})") from err
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, dict):
        raise NetterError(f"{path}: no \"records\" object")
    return {key: _record(key, records[key], path) for key in sorted(records)}


def published_number(value) -> float:
    """The leading number of a published value (``"41/114 (36%)"`` -> 41.0).

    Examples
    --------
    >>> published_number("27 (23%)"), published_number(0.84)
    (27.0, 0.84)
    """
    if isinstance(value, int | float):
        return float(value)
    match = re.match(r"\s*([-+]?\d+(?:\.\d+)?)", str(value))
    if match is None:
        raise ValueError(f"published value {value!r} has no leading number")
    return float(match.group(1))
