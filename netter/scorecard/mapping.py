"""A study's scorecard mapping (``scorecard.toml``): which published number is which result.

Each ``[[rows]]`` entry names a published record, the analysis whose results hold
its reproduction, and the statistic (:mod:`netter.scorecard.statistics`)::

    [[rows]]
    record = "os.final.hr"                # key in the study's published.json
    label = "OS hazard ratio (final)"     # what the number is, in words
    endpoint = "OS"                       # endpoint family shown in the table
    analysis = "overall_final"            # an analysis of study.toml
    statistic = "hazard_ratio"            # ... and what the statistic needs
    stratified = false

``statistic = "none"`` with ``reason`` keeps a published number in the table as not
computable.  ``[not_scored]`` lists the published records that are no row, with the
reason (every record is one or the other).  The data cut-off of a row is its
analysis's.

Examples
--------
>>> from netter.scorecard.statistics import QUANTILE
>>> spec = Spec("os.median.a", "Median OS, A", "OS", "final", "os",
...             "endpoints.OS.arms[arm=A].median.estimate", kind=QUANTILE)
>>> spec.kind, spec.analysis
('quantile', 'os')
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.published import load_published
from netter.scorecard.statistics import ESTIMATE, KINDS, locate
from netter.study.model import Study
from netter.study.toml import StudyError, Table, read_toml

#: Keys a row may use to say where its statistic is.
OPTION_KEYS = ("arm", "time", "tau", "description", "variable", "level", "stratified")


@dataclass(frozen=True)
class Spec:
    """One scorecard row: a published record and where its reproduction is found.

    Attributes
    ----------
    record, label, endpoint : str
        Published record key, the number in words, the endpoint family.
    cutoff, analysis : str
        Data cut-off name and the analysis (results file ``<analysis>.json``).
    value, ci, n : str or None
        Paths of the reproduced number, its CI and (counts) its denominator; ``value``
        ``None``: not computable, ``reason`` says why.
    kind : str
        One of :data:`~netter.scorecard.statistics.KINDS`.
    scale : float
        Reproduced value x scale = published unit (100 for percentages).
    method, reason, unit : str
        How the number is computed (a template), why it cannot be, its unit.
    """

    record: str
    label: str
    endpoint: str
    cutoff: str
    analysis: str
    value: str | None
    ci: str | None = None
    n: str | None = None
    kind: str = ESTIMATE
    scale: float = 1.0
    method: str = ""
    reason: str | None = None
    unit: str = ""


@dataclass(frozen=True)
class Mapping:
    """The rows of a study's scorecard, the records left out (with why), the records."""

    specs: tuple[Spec, ...]
    not_scored: dict[str, str]
    published: dict


def _options(t: Table) -> dict:
    out = {}
    for key in OPTION_KEYS:
        if not t.has(key):
            continue
        if key == "stratified":
            out[key] = t.flag(key)
        elif key in ("time", "tau"):
            out[key] = t.number(key)
        else:
            out[key] = t.text(key)
    return out


def _path_spec(t: Table, base: dict) -> Spec:
    kind = t.optional_text("kind", ESTIMATE)
    if kind not in KINDS:
        raise t.error(f"kind {kind!r} is not one of {', '.join(KINDS)}", "kind")
    return Spec(**base, value=t.text("value"), ci=t.optional_text("ci"),
                n=t.optional_text("n"), kind=kind, scale=t.number("scale", 1.0),
                method=t.optional_text("method", "") or "", unit=t.optional_text("unit", ""))


def _row(t: Table, study: Study, published: dict) -> Spec:
    record = t.text("record")
    t.where = f"{t.where} ({record})"
    if record not in published:
        raise t.error(f"no published record {record!r} in {study.published}", "record")
    try:
        analysis = study.analysis(t.text("analysis"))
    except KeyError:
        raise t.error("not an analysis of the study", "analysis") from None
    base = {"record": record, "label": t.text("label"),
            "endpoint": t.optional_text("endpoint") or (analysis.endpoints or ("",))[0],
            "cutoff": analysis.cutoff, "analysis": analysis.name}
    statistic = t.text("statistic")
    if statistic == "none":
        return Spec(**base, value=None, reason=t.text("reason"))
    if statistic == "path":
        return _path_spec(t, base)
    paramcd = t.optional_text("paramcd") or (analysis.endpoints[0] if analysis.endpoints
                                             else None)
    try:
        where = locate(statistic, _options(t), paramcd=paramcd, unit=study.time_unit)
    except KeyError as err:
        raise t.error(str(err.args[0]), "statistic") from None
    method = t.optional_text("method")
    return Spec(**base, value=where.value, ci=where.ci, n=where.n, kind=where.kind,
                scale=where.scale, method=method or where.method, unit=where.unit)


def load_mapping(study: Study) -> Mapping | None:
    """The scorecard of ``study`` (``None`` when it has no published numbers).

    Raises
    ------
    StudyError
        A row naming an unknown record, analysis or statistic, a key missing or of the
        wrong type, or a published record that is neither a row nor ``[not_scored]``.
    """
    if study.published is None:
        return None
    published = load_published(study.published)
    if study.scorecard is None:
        return Mapping((), {k: "no scorecard mapping in the study" for k in published},
                       published)
    top = Table(read_toml(study.scorecard), str(study.scorecard))
    specs = []
    for t in top.tables("rows"):
        specs.append(_row(t, study, published))
        t.done()
    not_scored = top.mapping("not_scored")
    top.done()
    rows = {s.record for s in specs}
    missing = sorted(set(published) - rows - set(not_scored))
    if missing:
        raise StudyError(f"{study.scorecard}: published record(s) {', '.join(missing)} are "
                         "neither a [[rows]] entry nor listed in [not_scored]")
    return Mapping(tuple(specs), not_scored, published)
