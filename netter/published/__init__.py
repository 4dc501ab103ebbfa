"""Published NETTER-1 numbers used as targets, each with its source and verification flag.

Copied from the team's reference compilation so the project stands alone; ``flag`` is
``V`` (read in the cited source), ``V2`` (verified in a secondary source) or ``U``
(unverified: shown as such, never a target).

Examples
--------
>>> record = published_record("os.final.hr")
>>> record.value, record.ci, record.flag, record.is_target
(0.84, (0.6, 1.17), 'V', True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class PublishedRecord:
    """One published number: value (number or text), optional CI, source and flag."""

    key: str
    value: object
    ci: tuple[float, float] | None
    source: str
    source_url: str
    flag: str

    @property
    def is_target(self) -> bool:
        """Only verified numbers (V, V2) are targets."""
        return self.flag in ("V", "V2")


@cache
def _records() -> dict:
    text = resources.files("netter.published").joinpath("netter1.json").read_text("utf-8")
    return json.loads(text)["records"]


def published_record(key: str) -> PublishedRecord:
    """Return the published record ``key`` (e.g. ``"pfs.primary.hr_nejm"``).

    Examples
    --------
    >>> published_record("orr.nejm.lu").value
    18
    """
    raw = _records()[key]
    ci = None
    if raw.get("ci_low") is not None and raw.get("ci_high") is not None:
        ci = (raw["ci_low"], raw["ci_high"])
    return PublishedRecord(key=key, value=raw["value"], ci=ci, source=raw["source"],
                           source_url=raw.get("source_url", ""), flag=raw["flag"])


def published_keys() -> tuple[str, ...]:
    """All record keys, sorted."""
    return tuple(sorted(_records()))


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
