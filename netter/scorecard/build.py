"""Compare every scorecard row's published number with its reproduction: the status rules.

Status of a row (``status``), by the rule named in ``rule``:

* the published number has a CI: **inside** when the reproduced point estimate lies in
  the published CI (``RULE_PUBLISHED_CI``), else **outside**;
* no published CI: **inside** when the published point lies in the reproduced CI
  (``RULE_REPRODUCED_CI``); for event counts the reproduced CI is n x the exact
  (Clopper-Pearson) 95% CI of events / n (``RULE_COUNT``);
* a published median "not reached": **inside** when the reproduced median is not
  reached either (``RULE_NOT_REACHED``);
* a design count (number randomised): **inside** when equal (``RULE_EXACT``);
* a p-value: **not compared** (``RULE_P_VALUE``: a p-value has no interval);
* the results do not hold the number (no results file, no such block, not estimable):
  **not computable**, with the reason in ``note``.

A median or a quantile CI limit that was not reached counts as +infinity.  Limits are
compared unrounded with the published (rounded) numbers.  Only verified records
(flags V, V2) with status inside/outside are counted; unverified (U) rows are shown
with ``verification = "unverified, not counted"``.

Examples
--------
>>> judge("estimate", published=0.21, published_ci=(0.13, 0.33), reproduced=0.18,
...       reproduced_ci=(0.10, 0.30))
('inside', 'reproduced point inside the published CI')
>>> judge(QUANTILE, published=8.4, published_ci=None, reproduced=9.9,
...       reproduced_ci=(8.5, 11.0))
('outside', 'published point inside the reproduced CI')
>>> judge(QUANTILE, published=None, published_ci=None, reproduced=None,
...       reproduced_ci=(24.0, None), published_not_reached=True, reproduced_not_reached=True)
('inside', "published 'not reached': reproduced median not reached either")
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

from netter import __version__
from netter.published import PublishedRecord, published_number
from netter.results import CI, InputFile
from netter.scorecard import paths
from netter.scorecard.mapping import Spec, load_mapping
from netter.scorecard.statistics import COUNT, EXACT, P_VALUE, QUANTILE
from netter.stats.binomial import clopper_pearson
from netter.study.model import Study

SCHEMA = "netter.scorecard/1"

INSIDE, OUTSIDE = "inside", "outside"
NOT_COMPUTABLE, NOT_COMPARED = "not computable", "not compared"
STATUSES = (INSIDE, OUTSIDE, NOT_COMPUTABLE, NOT_COMPARED)

RULE_PUBLISHED_CI = "reproduced point inside the published CI"
RULE_REPRODUCED_CI = "published point inside the reproduced CI"
RULE_COUNT = "published count inside n x exact 95% CI of reproduced events / n"
RULE_NOT_REACHED = "published 'not reached': reproduced median not reached either"
RULE_EXACT = "equal to the published count"
RULE_P_VALUE = "p-value: shown, not compared (no interval)"

VERIFICATION = {"V": "verified", "V2": "verified (secondary source)",
                "U": "unverified, not counted"}

#: Confidence level of the count intervals (published CIs are 95%).
COUNT_CONF_LEVEL = 0.95


@dataclass(frozen=True)
class ScorecardRow:
    """One published number beside its reproduction, with the status and the rule used.

    ``published`` and ``reproduced`` are in the published unit (percentages as
    percentages); ``None`` when there is no number (see the ``*_not_reached`` flags
    and ``note``).  ``results`` is ``<analysis>.json: <path>``.
    """

    record: str
    label: str
    endpoint: str
    cutoff: str
    cutoff_date: str | None
    kind: str
    flag: str
    verification: str
    counted: bool
    unit: str
    published: float | None
    published_text: str
    published_ci: CI | None
    published_not_reached: bool
    reproduced: float | None
    reproduced_ci: CI | None
    reproduced_not_reached: bool
    method: str
    results: str
    rule: str | None
    status: str
    note: str | None
    source: str
    source_url: str


@dataclass(frozen=True)
class ScorecardSummary:
    """Counts over the verified rows (unverified rows are only counted as such)."""

    rows: int
    verified: int
    unverified: int
    inside: int
    outside: int
    not_computable: int
    not_compared: int


@dataclass(frozen=True)
class ScorecardDocument:
    """The scorecard: rows in the order of the study's mapping, and a summary.

    ``study`` is the study's id and ``study_name`` its short name; ``results`` maps each
    analysis read to its file (name only) and SHA-256.
    """

    schema: str
    generator: str
    study: str
    study_name: str
    cutoffs: dict[str, str | None]
    results: dict[str, InputFile]
    rows: tuple[ScorecardRow, ...]
    summary: ScorecardSummary


def _inside(value: float, low: float | None, high: float | None, *, open_is_infinite: bool
            ) -> bool | None:
    """``low <= value <= high``; ``None`` limit: +inf when ``open_is_infinite``, else unknown."""
    if low is None or high is None:
        if not open_is_infinite:
            return None
        low = math.inf if low is None else low
        high = math.inf if high is None else high
    return bool(low <= value <= high)


def judge(kind: str, *, published: float | None, published_ci: CI | None,
          reproduced: float | None, reproduced_ci: CI | None,
          published_not_reached: bool = False, reproduced_not_reached: bool = False
          ) -> tuple[str, str | None]:
    """Status and rule of one comparison (see the module docstring).

    ``reproduced`` is ``None`` either because the median was not reached
    (``reproduced_not_reached``) or because it is not estimable.
    """
    if reproduced is None and not reproduced_not_reached:
        return NOT_COMPUTABLE, None
    if kind == P_VALUE:
        return NOT_COMPARED, RULE_P_VALUE
    if published_not_reached:
        return (INSIDE if reproduced_not_reached else OUTSIDE), RULE_NOT_REACHED
    if kind == EXACT:
        return (INSIDE if reproduced == published else OUTSIDE), RULE_EXACT
    point = math.inf if reproduced_not_reached else reproduced
    if published_ci is not None:
        inside = _inside(point, *published_ci, open_is_infinite=kind == QUANTILE)
        if inside is not None:  # an open end of a quantile's CI is +infinity
            return (INSIDE if inside else OUTSIDE), RULE_PUBLISHED_CI
    if published is None:
        return NOT_COMPUTABLE, None
    rule = RULE_COUNT if kind == COUNT else RULE_REPRODUCED_CI
    if reproduced_ci is None:
        return NOT_COMPUTABLE, rule
    inside = _inside(published, *reproduced_ci, open_is_infinite=kind == QUANTILE)
    if inside is None:
        return NOT_COMPUTABLE, rule
    return (INSIDE if inside else OUTSIDE), rule


# --- reading the reproduced numbers --------------------------------------------------------


class _Defaults(dict):
    def __missing__(self, key):
        return {"ties": "profile's", "strata": "as analysed", "conf": "95%",
                "conf_type": "profile's transform", "ci_method": "binomial"}.get(key, key)


def method_text(spec: Spec, doc: dict | None) -> str:
    """The row's method phrase with the results document's choices filled in."""
    values = _Defaults()
    if doc is not None:
        methods = doc.get("methods", {})
        if "ties" in methods:
            values["ties"] = methods["ties"].capitalize()
        if "conf_type" in methods:
            values["conf_type"] = methods["conf_type"]
        if "conf_level" in methods:
            values["conf"] = f"{100 * methods['conf_level']:g}%"
        if doc.get("strata"):
            values["strata"] = ", ".join(doc["strata"])
        arms = (doc.get("response") or {}).get("arms") or []
        ci_methods = sorted({a.get("ci_method") for a in arms if a.get("ci_method")})
        if ci_methods:
            values["ci_method"] = "/".join(ci_methods)
    return spec.method.format_map(values)


def _scaled(value, scale: float) -> float | None:
    return None if value is None else float(value) * scale


def _ci(value, scale: float) -> CI | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    return (_scaled(value[0], scale), _scaled(value[1], scale))


@dataclass(frozen=True)
class _Reproduced:
    value: float | None
    ci: CI | None
    not_reached: bool
    note: str | None


def reproduce(spec: Spec, doc: dict | None, file_name: str) -> _Reproduced:
    """The reproduced number, CI and not-reached flag of ``spec`` from document ``doc``."""
    if spec.value is None:
        return _Reproduced(None, None, False, spec.reason)
    if doc is None:
        return _Reproduced(None, None, False, f"no results file {file_name}")
    try:
        value = paths.resolve(doc, spec.value)
        ci = _ci(paths.resolve(doc, spec.ci), spec.scale) if spec.ci else None
        n = paths.resolve(doc, spec.n) if spec.n else None
        holder = paths.resolve(doc, paths.parent(spec.value))
    except paths.PathError as err:
        return _Reproduced(None, None, False, f"{file_name}: {err}")
    reason = holder.get("not_estimable_reason") if isinstance(holder, dict) else None
    if value is None:
        not_reached = spec.kind == QUANTILE and str(reason or "").startswith("not reached")
        return _Reproduced(None, ci, not_reached, reason or "not estimable")
    if spec.kind == COUNT and isinstance(n, int):
        interval = clopper_pearson(int(value), n, conf_level=COUNT_CONF_LEVEL)
        ci = (_scaled(interval.lower, n), _scaled(interval.upper, n))
    return _Reproduced(_scaled(value, spec.scale), ci, False, None)


def _published(record) -> tuple[float | None, bool]:
    if record.value is None:
        return None, False
    if isinstance(record.value, str) and record.value.strip().lower() == "not reached":
        return None, True
    return published_number(record.value), False


def _text(value) -> str:
    return "" if value is None else str(value)


def score_row(spec: Spec, doc: dict | None, record: PublishedRecord,
              cutoff_date: str | None = None) -> ScorecardRow:
    """One row of the scorecard from the results document of its analysis (or ``None``)."""
    file_name = f"{spec.analysis}.json"
    published, published_nr = _published(record)
    got = reproduce(spec, doc, file_name)
    status, rule = judge(spec.kind, published=published, published_ci=record.ci,
                         reproduced=got.value, reproduced_ci=got.ci,
                         published_not_reached=published_nr,
                         reproduced_not_reached=got.not_reached)
    note = got.note if status == NOT_COMPUTABLE else None
    if status == NOT_COMPUTABLE and note is None:
        note = ("the published record has no number" if published is None and record.ci is None
                else "the reproduced CI is not estimable")
    return ScorecardRow(
        record=spec.record, label=spec.label, endpoint=spec.endpoint, cutoff=spec.cutoff,
        cutoff_date=cutoff_date, kind=spec.kind, flag=record.flag,
        verification=VERIFICATION[record.flag],
        counted=record.is_target and status in (INSIDE, OUTSIDE), unit=spec.unit,
        published=published, published_text=_text(record.value), published_ci=record.ci,
        published_not_reached=published_nr, reproduced=got.value, reproduced_ci=got.ci,
        reproduced_not_reached=got.not_reached, method=method_text(spec, doc),
        results=f"{file_name}: {spec.value}" if spec.value else "", rule=rule, status=status,
        note=note, source=record.source, source_url=record.source_url or "")


def summarize(rows) -> ScorecardSummary:
    """Counts of the verified rows by status, and of unverified rows."""
    verified = [r for r in rows if r.flag in ("V", "V2")]
    return ScorecardSummary(
        rows=len(rows), verified=len(verified), unverified=len(rows) - len(verified),
        **{status.replace(" ", "_"): sum(r.status == status for r in verified)
           for status in STATUSES})


def _input(path: Path) -> InputFile:
    return InputFile(path=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def build_scorecard(study: Study, results: dict[str, Path]) -> ScorecardDocument | None:
    """The scorecard of ``study`` from the results files ``results`` (analysis -> path).

    Parameters
    ----------
    study : Study
        Its published numbers and scorecard mapping give the rows.
    results : dict
        From :func:`netter.scorecard.paths.find_results`.

    Returns
    -------
    ScorecardDocument or None
        ``None`` when the study has no published numbers.
    """
    mapping = load_mapping(study)
    if mapping is None:
        return None
    docs = {name: paths.load_json(path) for name, path in results.items()}
    dates = {c.name: c.date for c in study.cutoffs}
    rows = tuple(score_row(spec, docs.get(spec.analysis), mapping.published[spec.record],
                           dates.get(spec.cutoff)) for spec in mapping.specs)
    used = sorted({spec.analysis for spec in mapping.specs} & set(results))
    return ScorecardDocument(
        schema=SCHEMA, generator=f"netter {__version__}", study=study.id,
        study_name=study.display_name, cutoffs=dates,
        results={name: _input(Path(results[name])) for name in used}, rows=rows,
        summary=summarize(rows))
