"""Where a results document comes from: the study, the analysis, the cut-off, the data.

Every document netter writes (time-to-event results, subgroups, descriptions) can
carry these records, so a file found on its own says which study and analysis made
it, from which data cut-off and which folder, and how each arm is labelled.

Examples
--------
>>> record = StudyRecord(id="demo", title="A demonstration", analysis="os",
...                      cutoff=CutoffRecord("final", "2021-01-14"))
>>> record.cutoff.date
'2021-01-14'
>>> ArmLabel("B", "Drug B")
ArmLabel(value='B', label='Drug B')
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.results.codec import optional_field as _optional


@dataclass(frozen=True)
class CutoffRecord:
    """A data cut-off: its name (the data subfolder) and its date (ISO, ``None`` if unknown)."""

    name: str
    date: str | None


@dataclass(frozen=True)
class StudyRecord:
    """The study and analysis that made a document, and the data cut-off analysed
    (``analysis_title``: the analysis in words, when the study gives it)."""

    id: str
    title: str
    analysis: str
    cutoff: CutoffRecord
    analysis_title: str | None = _optional()


@dataclass(frozen=True)
class ArmLabel:
    """An arm's value in the data and the label shown for it (documents list arms in the
    study's order, which is the order of colours and line types in figures)."""

    value: str
    label: str


@dataclass(frozen=True)
class InputFile:
    """An input dataset: its path as given (never absolute) and the SHA-256 of the bytes
    that were analysed."""

    path: str
    sha256: str
