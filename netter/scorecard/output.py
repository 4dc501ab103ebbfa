"""The scorecard's files: results JSON, CSV and HTML tables (numbers formatted here only).

The JSON document keeps every number unrounded (written by :mod:`netter.artefacts`:
sorted keys, no NaN, byte-identical for the same input).  The tables show published
numbers as published and reproduced numbers through :func:`fmt_number`, which rounds
with :mod:`netter.tables.fmt` (the project's one place numbers become text).

Examples
--------
>>> fmt_number(0.17560823, "ratio"), fmt_number(8.2956, "decimal"), fmt_number(0.00404, "p")
('0.18', '8.3', '0.004')
>>> fmt_number(None, "decimal"), fmt_number(3e-6, "p"), fmt_number(21, "count")
('NE', '<0.001', '21')
"""

from __future__ import annotations

import csv
import html
import io
import os
from pathlib import Path

from netter.artefacts import dumps, write_results
from netter.results import from_json_dict
from netter.scorecard.build import (
    INSIDE,
    NOT_COMPARED,
    NOT_COMPUTABLE,
    OUTSIDE,
    SCHEMA,
    ScorecardDocument,
    ScorecardRow,
)
from netter.scorecard.paths import load_json
from netter.scorecard.statistics import COUNT, EXACT, P_VALUE, QUANTILE
from netter.spreadsheet import safe_cell
from netter.tables import fmt


def fmt_number(value: float | None, style: str, missing: str = fmt.NE) -> str:
    """A reproduced number for reading, through :mod:`netter.tables.fmt`: ``ratio`` 2
    decimals, ``decimal`` 1 (months, percentages), ``count`` an integer, ``p`` as a
    p-value (``<0.001`` below)."""
    if value is None:
        return missing
    if style == "p":
        return fmt.p_value(value)
    digits = {"count": 0, "decimal": fmt.DIGITS["months"], "ratio": fmt.DIGITS["ratio"]}
    return fmt.number(value, digits[style], missing)


def _style(row: ScorecardRow) -> str:
    kind = row.kind
    if kind in (COUNT, EXACT):
        return "count"
    if kind == P_VALUE:
        return "p"
    return "decimal" if row.unit in ("months", "%") else "ratio"


def _published_number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def published_cell(row: ScorecardRow) -> str:
    """The published value as published (``27 (23%)``, ``not reached``, ``0.21``)."""
    return row.published_text if row.published_text else "(CI only)"


def published_ci_cell(row: ScorecardRow) -> str:
    if row.published_ci is None:
        return ""
    return fmt.DASH.join(_published_number(v) if v is not None else fmt.NE
                         for v in row.published_ci)


def reproduced_cell(row: ScorecardRow) -> str:
    if row.status == NOT_COMPUTABLE and row.reproduced is None:
        return ""
    if row.reproduced_not_reached:
        return "not reached"
    return fmt_number(row.reproduced, _style(row))


def reproduced_ci_cell(row: ScorecardRow) -> str:
    if row.reproduced_ci is None or row.status == NOT_COMPUTABLE:
        return ""
    style = "decimal" if _style(row) == "count" else _style(row)
    missing = fmt.NR if row.kind == QUANTILE else fmt.NE
    return fmt.DASH.join(fmt_number(v, style, missing) for v in row.reproduced_ci)


#: Columns of the CSV and HTML tables: header -> cell function.
COLUMNS = {
    "endpoint": lambda r: r.endpoint,
    "cutoff": lambda r: f"{r.cutoff} ({r.cutoff_date})" if r.cutoff_date else r.cutoff,
    "number": lambda r: r.label,
    "published": published_cell,
    "published CI": published_ci_cell,
    "reproduced": reproduced_cell,
    "reproduced CI": reproduced_ci_cell,
    "status": lambda r: r.status,
    "rule": lambda r: r.rule or "",
    "verification": lambda r: f"{r.verification} ({r.flag})",
    "method": lambda r: r.method,
    "results": lambda r: r.results,
    "note": lambda r: r.note or "",
    "record": lambda r: r.record,
    "source": lambda r: r.source,
}


def table_rows(document: ScorecardDocument) -> list[dict[str, str]]:
    """The table as formatted strings, one dict per row (keys: :data:`COLUMNS`)."""
    return [{name: cell(row) for name, cell in COLUMNS.items()} for row in document.rows]


def summary_sentence(document: ScorecardDocument) -> str:
    """One sentence: how many verified numbers are inside, outside, not computable."""
    s = document.summary
    compared = s.inside + s.outside
    return (f"{s.verified} verified published numbers: {s.inside} of {compared} compared "
            f"inside, {s.outside} outside; {s.not_computable} not computable from these "
            f"results; {s.not_compared} p-values shown, not compared. {s.unverified} "
            "unverified numbers are shown and not counted.")


def scorecard_csv(document: ScorecardDocument) -> str:
    """The table as CSV text (``\\n`` line ends, UTF-8 when written; text cells a
    spreadsheet would run as formulas are quoted, :mod:`netter.spreadsheet`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in table_rows(document))
    return buffer.getvalue()


_STATUS_CLASS = {INSIDE: "inside", OUTSIDE: "outside", NOT_COMPUTABLE: "nc",
                 NOT_COMPARED: "ncmp"}

#: Columns shown in the HTML table (the CSV has every column).
HTML_COLUMNS = ("endpoint", "cutoff", "number", "published", "published CI", "reproduced",
                "reproduced CI", "status", "rule", "verification", "method", "note")

STYLE = """\
table.scorecard { border-collapse: collapse; font-size: 0.85em; }
table.scorecard th, table.scorecard td { border: 1px solid #999; padding: 2px 6px;
  text-align: left; vertical-align: top; }
table.scorecard th { background: #e6e6e6; }
table.scorecard tr.outside td.status { font-weight: bold; }
table.scorecard tr.outside td.status::before { content: "\\2717  "; }
table.scorecard tr.inside td.status::before { content: "\\2713  "; }
table.scorecard tr.unverified td { color: #666; font-style: italic; }
"""


def scorecard_table_html(document: ScorecardDocument) -> str:
    """The scorecard as an HTML ``<table>`` (no external resources; style: :data:`STYLE`)."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in HTML_COLUMNS)
    lines = ['<table class="scorecard">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row, cells in zip(document.rows, table_rows(document), strict=True):
        classes = [_STATUS_CLASS[row.status]] + ([] if row.flag in ("V", "V2")
                                                 else ["unverified"])
        tds = "".join(f'<td class="{name.replace(" ", "-")}">{html.escape(cells[name])}</td>'
                      if name != "status" else
                      f'<td class="status">{html.escape(cells[name])}</td>'
                      for name in HTML_COLUMNS)
        lines.append(f'<tr class="{" ".join(classes)}" id="{html.escape(row.record)}">'
                     f"{tds}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def scorecard_html(document: ScorecardDocument) -> str:
    """A standalone HTML page of the scorecard table."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(document.study_name)} scorecard</title>",
        f"<style>\n{STYLE}</style>", "</head>", "<body>",
        f"<h1>{html.escape(document.study_name)} scorecard: published vs reproduced</h1>",
        f"<p>{html.escape(summary_sentence(document))}</p>",
        scorecard_table_html(document), "</body>", "</html>", ""])


def read_scorecard(path: str | os.PathLike) -> ScorecardDocument:
    """Read a scorecard JSON written by :func:`write_scorecard_files`."""
    data = load_json(path)
    if data.get("schema") != SCHEMA:
        from netter.errors import NetterError

        raise NetterError(f"{path}: not a {SCHEMA} document")
    return from_json_dict(ScorecardDocument, data)


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def write_scorecard_files(document: ScorecardDocument, out: str | os.PathLike, *,
                          figure: bool = True) -> list[Path]:
    """Write the scorecard under ``out`` (a reports folder).

    Files: ``results/scorecard.json``, ``tables/scorecard.csv``,
    ``tables/scorecard.html`` and, with ``figure``, ``figures/scorecard--summary.png``
    and ``.svg``.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    (out / "results").mkdir(parents=True, exist_ok=True)
    written = [write_results(document, out / "results" / "scorecard.json"),
               _write_text(out / "tables" / "scorecard.csv", scorecard_csv(document)),
               _write_text(out / "tables" / "scorecard.html", scorecard_html(document))]
    if figure:
        from netter.scorecard.figure import save_scorecard_figure

        written += save_scorecard_figure(document, out / "figures" / "scorecard--summary")
    return written


__all__ = ["dumps", "fmt_number", "read_scorecard", "scorecard_csv", "scorecard_html",
           "scorecard_table_html", "summary_sentence", "table_rows", "write_scorecard_files"]
