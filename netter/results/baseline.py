"""The ``netter.baseline/1`` document: ADSL variables described by arm and in total.

Computed by :func:`netter.endpoints.baseline.describe_baseline` (baseline
characteristics, or any subject-level variable such as a crossover flag at a
cut-off); formatted by :mod:`netter.tables.baseline`.

Examples
--------
>>> LevelCount("F", 3, 0.5)
LevelCount(level='F', count=3, proportion=0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import optional_field as _optional
from netter.results.provenance import ArmLabel, InputFile, StudyRecord

#: Layout of the baseline document; bump on any incompatible change.
SCHEMA = "netter.baseline/1"

#: ``arm`` of the column of all subjects.
TOTAL = "Total"

CATEGORICAL, CONTINUOUS = "categorical", "continuous"


@dataclass(frozen=True)
class LevelCount:
    """Subjects with one level; ``proportion`` of those with a value (``None``: none)."""

    level: str
    count: int
    proportion: float | None


@dataclass(frozen=True)
class NumericSummary:
    """n, mean, SD (``None`` with fewer than 2 values), median, minimum, maximum;
    ``whole``: every value is a whole number (ages in years)."""

    n: int
    mean: float | None
    sd: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    whole: bool


@dataclass(frozen=True)
class GroupSummary:
    """One variable in one arm (or ``"Total"``)."""

    arm: str
    n: int
    missing: int
    counts: tuple[LevelCount, ...] | None = _optional()
    summary: NumericSummary | None = _optional()


@dataclass(frozen=True)
class BaselineVariable:
    """A variable: its kind, its levels (categorical) and one summary per group.

    ``label`` names the variable and ``level_labels`` its levels when known.
    """

    variable: str
    kind: str
    levels: tuple[str, ...]
    groups: tuple[GroupSummary, ...]
    label: str | None = _optional()
    level_labels: dict[str, str] | None = _optional()


@dataclass(frozen=True)
class BaselineGroup:
    """A column of the table: an arm (or ``"Total"``) and its number of subjects."""

    arm: str
    n: int


@dataclass(frozen=True)
class BaselineDocument:
    """Subject-level variables of the analysis population, by arm and in total.

    ``abbreviations`` (abbreviation -> meaning) are those used in the labels, spelled
    out under the table.
    """

    schema_id = SCHEMA

    schema: str
    generator: str
    arm_var: str
    population_flag: str | None
    groups: tuple[BaselineGroup, ...]
    variables: tuple[BaselineVariable, ...]
    inputs: dict[str, InputFile]
    abbreviations: dict[str, str] | None = _optional()
    study: StudyRecord | None = _optional()
    data: str | None = _optional()
    arm_labels: tuple[ArmLabel, ...] | None = _optional()
    #: What the study asked for and the data could not give (variable or "analysis") -> why.
    not_computable: dict[str, str] | None = _optional()
