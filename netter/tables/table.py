"""A report table (id, title, columns, rows, footnotes) and its CSV and HTML forms.

Cells are text formatted by :mod:`netter.tables.fmt`; a :class:`Table` only lays
them out.  Both renderings are deterministic (no timestamps, ``"\\n"`` line ends,
UTF-8), so the same results give the same bytes.  The HTML page is self-contained:
inline CSS, no scripts, no external resources; it opens from disk.

Examples
--------
>>> t = Table("DEMO01", "Demo", ("", "A (N=2)"),
...           (Row("Events, n (%)", ("1 (50.0%)",)), Row("Death", ("1",), indent=1)),
...           ("NE: not estimable.",))
>>> print(t.to_csv(), end="")
,A (N=2)
"Events, n (%)",1 (50.0%)
  Death,1
<BLANKLINE>
Table DEMO01: Demo
NE: not estimable.
"""

from __future__ import annotations

import csv
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path

from netter.spreadsheet import safe_cell

#: Inline style of the HTML tables (journal look: rules above and below, no grid).
CSS = """
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #111;
       margin: 2em; }
table { border-collapse: collapse; margin-bottom: 0.5em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.5em; }
thead th { border-top: 2px solid #111; border-bottom: 1px solid #111; padding: 4px 10px;
           text-align: center; vertical-align: bottom; }
thead th:first-child { text-align: left; }
tbody td { padding: 2px 10px; text-align: center; white-space: nowrap; }
tbody td:first-child { text-align: left; }
tbody tr:last-child td { border-bottom: 2px solid #111; }
tr.section td { font-weight: bold; padding-top: 6px; }
td.indent1 { padding-left: 2em; }
td.indent2 { padding-left: 3.5em; }
p.note { font-size: 8.5pt; margin: 0.2em 0; max-width: 60em; }
""".strip()


@dataclass(frozen=True)
class Row:
    """One table row: a label, one cell per data column, an indent level.

    ``section`` rows are headings (their cells are usually empty).
    """

    label: str
    cells: tuple[str, ...]
    indent: int = 0
    section: bool = False


@dataclass(frozen=True)
class Table:
    """A report table.

    Attributes
    ----------
    id : str
        Stable identifier (``TTET01``, ``BASET01``, ``RESPT01``).
    title : str
    columns : tuple of str
        Headers, the first one over the row labels.
    rows : tuple of Row
        Each with ``len(columns) - 1`` cells.
    footnotes : tuple of str
        Methods and abbreviations; never empty for netter's tables.
    """

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...]

    def __post_init__(self):
        width = len(self.columns) - 1
        bad = [row.label for row in self.rows if len(row.cells) != width]
        if bad:
            raise ValueError(f"table {self.id}: row {bad[0]!r} does not have {width} cells")

    def to_csv(self) -> str:
        """Header, rows (labels indented by two spaces per level), a blank line, then
        the table id and title and the footnotes, one per line.  Text cells a spreadsheet
        would run as formulas get a quote in front (:mod:`netter.spreadsheet`)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([safe_cell(c) for c in self.columns])
        for row in self.rows:
            label = "  " * row.indent + row.label if row.indent else safe_cell(row.label)
            writer.writerow([label, *(safe_cell(c) for c in row.cells)])
        writer.writerow([])
        writer.writerow([f"Table {self.id}: {self.title}"])
        for note in self.footnotes:
            writer.writerow([safe_cell(note)])
        return buffer.getvalue()

    def to_html(self) -> str:
        """A complete, self-contained HTML page holding the table."""
        esc = html.escape
        head = "".join(f"<th>{esc(c)}</th>" for c in self.columns)
        body = []
        for row in self.rows:
            kind = ' class="section"' if row.section else ""
            indent = f' class="indent{min(row.indent, 2)}"' if row.indent else ""
            cells = "".join(f"<td>{esc(c)}</td>" for c in row.cells)
            body.append(f"<tr{kind}><td{indent}>{esc(row.label)}</td>{cells}</tr>")
        notes = "\n".join(f'<p class="note">{esc(n)}</p>' for n in self.footnotes)
        rows = "\n".join(body)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(self.id)}: {esc(self.title)}</title>\n<style>\n{CSS}\n</style>\n"
            f"</head>\n<body>\n<table id=\"{esc(self.id)}\">\n"
            f"<caption>Table {esc(self.id)}: {esc(self.title)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
            f"{notes}\n</body>\n</html>\n")


def _write_text(path: Path, text: str) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def write_table(table: Table, folder: str | os.PathLike, stem: str) -> list[Path]:
    """Write ``<stem>.csv`` and ``<stem>.html`` into ``folder`` (created if needed).

    Returns
    -------
    list of Path
        The two files, CSV first.

    Examples
    --------
    >>> import tempfile
    >>> t = Table("X01", "X", ("", "A"), (Row("n", ("1",)),), ("note",))
    >>> [p.name for p in write_table(t, tempfile.mkdtemp(), "x--summary")]
    ['x--summary.csv', 'x--summary.html']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [_write_text(folder / f"{stem}.csv", table.to_csv()),
            _write_text(folder / f"{stem}.html", table.to_html())]
