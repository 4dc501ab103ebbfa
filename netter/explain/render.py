"""The explainer's HTML page: one self-contained file, every text escaped.

:func:`explanation_html` renders a ``netter.explain/1`` document (see
:mod:`netter.explain.document`): a table per arm and per comparison with the value of
each statistic under each engine, the values differing from netter ``r`` highlighted
and numbered, the reason of each difference, and a summary of the causes.  No script,
no external resource; the same document gives the same bytes.

Examples
--------
>>> cell(None), cell("n/a"), cell(0.1234567)
('NR/NE', '\\u2013', '0.123457')
"""

from __future__ import annotations

from collections import Counter
from html import escape

STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.diff { background: #ffe08a; font-weight: bold; }
td.diff a { color: inherit; }
td.na { color: #999; }
li { margin-bottom: 0.3em; }
.small { font-size: 0.9em; color: #555; }
"""


def cell(value) -> str:
    """A value as a table cell shows it: 6 significant digits, NR/NE, or a dash."""
    if value is None:
        return "NR/NE"
    if value == "n/a":
        return "\u2013"
    return f"{value:.6g}"


def _cause(d: dict) -> str:
    if d["explained_by"]:
        f = d["explained_by"][0]
        return f"{f['option']}={f['value']}"
    return "not explained by a single option"


def explanation_html(document: dict) -> str:
    """The HTML page of a ``netter.explain/1`` document.

    Parameters
    ----------
    document : dict
        From :func:`netter.explain.document.explanation_document`.

    Returns
    -------
    str
        A complete HTML document ending with a newline.
    """
    e = escape
    engines = document["engines"]
    ids = [g["id"] for g in engines]
    numbers = {}
    for i, d in enumerate(document["differences"], start=1):
        numbers[(d["name"], d["group"], d["engine"])] = i
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Why do the numbers differ? {e(document['param'])}</title>",
           f"<style>{STYLE}</style>", "</head>", "<body>",
           f"<h1>Why do the numbers differ? {e(document['param'])}</h1>"]
    arms = ", ".join(e(a) for a in document["arms"])
    tolerance = f"{document['tolerance']:g}"
    out.append(
        f"<p>Endpoint <b>{e(document['param'])}</b>, arms {arms} (reference "
        f"<b>{e(document['reference'])}</b>, arm variable {e(document['arm_var'])}), times "
        f"in {e(document['time_unit'])}, RMST restricted to {e(cell(document['tau']))}, "
        f"{e(cell(100 * document['conf_level']))}% intervals. Each statistic is computed "
        f"by four engines; a value differing from netter <code>r</code> by more than "
        f"{e(tolerance)} (relative) is highlighted and numbered, and "
        "its cause is searched by changing one option of netter <code>r</code> at a time "
        "(NR/NE: not reached or not estimable; \u2013: the engine does not give it).</p>")
    out.append("<ul>")
    for g in engines:
        extra = f" {e(g['version'])}" if "version" in g else ""
        out.append(f"<li><b>{e(g['label'])}</b>{extra}: {e(g['how'])}</li>")
    out.append("</ul>")
    inputs = document.get("inputs") or {}
    if inputs:
        files = "; ".join(f"{e(k)}: {e(v['path'])} (SHA-256 {e(v['sha256'][:12])}\u2026)"
                          for k, v in sorted(inputs.items()))
        out.append(f'<p class="small">Data: {files}</p>')
    groups = list(dict.fromkeys(s["group"] for s in document["statistics"]))
    for group in groups:
        out.append(f"<h2>{e(group)}</h2>")
        out.append("<table><thead><tr><th>Statistic</th>"
                   + "".join(f"<th>{e(g['label'])}</th>" for g in engines)
                   + "</tr></thead><tbody>")
        for s in (s for s in document["statistics"] if s["group"] == group):
            cells = []
            for engine in ids:
                value = s["values"][engine]
                n = numbers.get((s["name"], group, engine))
                if n is not None:
                    cells.append(f'<td class="diff"><a href="#d{n}">{e(cell(value))} '
                                 f"[{n}]</a></td>")
                elif value == "n/a":
                    cells.append(f'<td class="na">{e(cell(value))}</td>')
                else:
                    cells.append(f"<td>{e(cell(value))}</td>")
            out.append(f"<tr><td>{e(s['label'])}</td>{''.join(cells)}</tr>")
        out.append("</tbody></table>")
    out.append("<h2>Why each highlighted number differs</h2>")
    if not document["differences"]:
        out.append("<p>No value differs from netter <code>r</code>.</p>")
    out.append("<ol>")
    for i, d in enumerate(document["differences"], start=1):
        out.append(f'<li id="d{i}"><b>{e(d["group"])}, {e(d["label"])}</b> '
                   f"({e(d['engine'])}): {e(d['reason'])}</li>")
    out.append("</ol>")
    causes = Counter((d["engine"], _cause(d)) for d in document["differences"])
    if causes:
        out.append("<h2>Causes</h2><table><thead><tr><th>Engine</th><th>Cause</th>"
                   "<th>Numbers</th></tr></thead><tbody>")
        for (engine, cause), count in sorted(causes.items()):
            out.append(f"<tr><td>{e(engine)}</td><td>{e(cause)}</td><td>{count}</td></tr>")
        out.append("</tbody></table>")
    warned = [(g["label"], w) for g in engines for w in g.get("warnings", ())]
    if warned:
        out.append("<h2>Warnings raised by the libraries</h2><ul>")
        out += [f"<li>{e(label)}: {e(w)}</li>" for label, w in warned]
        out.append("</ul>")
    flips = ", ".join(f"{e(f['option'])}={e(f['value'])}" for f in document["flips"])
    out.append(f'<p class="small">Single-option flips of netter r searched: {flips}.</p>')
    out.append(f'<p class="small">{e(document["generator"])}, schema '
               f"{e(document['schema'])}.</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
