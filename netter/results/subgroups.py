"""The ``netter.subgroups/1`` document: hazard ratios by subgroup and interaction tests.

Computed by :func:`netter.endpoints.subgroups.analyze_subgroups`; drawn as a forest
plot by :mod:`netter.figures.forest`.  Variable and level labels are recorded when the
analysis knew them (from the study, else the ADaM metadata).

Examples
--------
>>> arm = SubgroupArm("B", 10, 4)
>>> from netter.results import to_json_dict
>>> to_json_dict(arm)
{'arm': 'B', 'n': 10, 'events': 4}
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import CI
from netter.results.codec import optional_field as _optional
from netter.results.provenance import ArmLabel, InputFile, StudyRecord
from netter.results.tte import Methods

#: Layout of the subgroups document; bump on any incompatible change.
SCHEMA = "netter.subgroups/1"

#: ``level`` of the row of every analysed subject.
ALL_PATIENTS = "All patients"


@dataclass(frozen=True)
class SubgroupArm:
    """Subjects and events of one arm in a subgroup."""

    arm: str
    n: int
    events: int


@dataclass(frozen=True)
class SubgroupResult:
    """Hazard ratio of ``arm`` vs the reference in one subgroup (Wald CI and p)."""

    variable: str | None
    level: str
    n: int
    events: int
    arms: tuple[SubgroupArm, ...]
    hazard_ratio: float | None
    ci: CI
    p_value: float | None
    not_estimable_reason: str | None


@dataclass(frozen=True)
class InteractionTest:
    """Test that the hazard ratio is the same in every level of a variable."""

    chisq: float | None
    df: int
    p_value: float | None
    method: str
    not_estimable_reason: str | None


@dataclass(frozen=True)
class SubgroupVariable:
    """Every level of one ADSL variable; ``missing`` subjects have no value.

    ``label`` names the variable and ``level_labels`` its levels (value -> label) when
    known.
    """

    variable: str
    levels: tuple[SubgroupResult, ...]
    interaction: InteractionTest
    missing: int
    label: str | None = _optional()
    level_labels: dict[str, str] | None = _optional()


@dataclass(frozen=True)
class SubgroupsDocument:
    """The whole ``netter subgroups`` output (``overall`` is "All patients")."""

    schema_id = SCHEMA

    schema: str
    generator: str
    profile: str
    methods: Methods
    time_unit: str
    paramcd: str
    label: str | None
    arm_var: str
    arm: str
    reference_arm: str
    population_flag: str | None
    inputs: dict[str, InputFile]
    overall: SubgroupResult
    variables: tuple[SubgroupVariable, ...]
    study: StudyRecord | None = _optional()
    data: str | None = _optional()
    arm_labels: tuple[ArmLabel, ...] | None = _optional()
    #: What the study asked for and the data could not give (variable or "analysis") -> why.
    not_computable: dict[str, str] | None = _optional()
