"""A study's ``index.html``: the scorecard first, then a link to every output of its reports
folder; and the home page that links the studies' reports.

The page is built from what is on disk under the reports folder, so every figure,
table, notebook and results file there is linked, whoever made it.  Links are
relative, the style is inline and nothing is loaded from elsewhere, so the page works
opened from disk and from any copy of the folder.  The same files give the same bytes
(sorted listings, no dates).

Sections: the data the results were computed from (folders and the SHA-256 of each
file, read from the results files); scorecard (summary, figure, table, downloads; or
why there is none); anything the data could not give ("not computable", read from the
results files); figures (grouped by the part of ``<name>--<kind>.<ext>`` before the
kind); tables; notebooks; results files; calibration; anything else.  Figures, tables
and results follow the study's order of analyses, then the rest alphabetically.
"""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from pathlib import Path

from netter.scorecard.output import STYLE as SCORECARD_STYLE

INDEX = "index.html"

#: Section title -> folder under the reports folder (in page order after the scorecard).
SECTIONS = {"Figures": "figures", "Tables": "tables", "Notebooks": "notebooks",
            "Results files": "results", "Calibration of the simulator": "calibration"}

SCORECARD_FILES = ("results/scorecard.json", "tables/scorecard.csv", "tables/scorecard.html",
                   "figures/scorecard--summary.png", "figures/scorecard--summary.svg")

PAGE_STYLE = """\
body { font-family: sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em;
  line-height: 1.4; color: #111; }
h2 { border-bottom: 1px solid #999; margin-top: 1.6em; }
ul.files li { margin: 0.2em 0; }
span.kinds a { margin-right: 0.6em; }
figure.scorecard img { max-width: 100%; border: 1px solid #ccc; }
figure.thumb { display: inline-block; margin: 0.4em; vertical-align: top; width: 22em; }
figure.thumb img { max-width: 100%; border: 1px solid #ccc; }
figure.thumb figcaption { font-size: 0.85em; }
p.note { color: #444; font-size: 0.9em; }
"""


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _files(root: Path, folder: str) -> list[str]:
    """Relative POSIX paths of the files under ``root/folder``, sorted (no hidden files)."""
    base = root / folder
    if not base.is_dir():
        return []
    found = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found.append(relative.as_posix())
    return sorted(found)


def _grouped(paths: list[str], order=()) -> dict[str, list[str]]:
    """``folder/stem`` -> its files (``a.png``, ``a.svg`` together), in :func:`_rank`
    order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        groups[path.rsplit(".", 1)[0]].append(path)
    return dict(sorted(groups.items(), key=lambda item: _rank(item[0], order)))


def _rank(stem: str, order) -> tuple:
    """Sort key of ``folder/<analysis>[-<param>][--<kind>]``: the analysis's position in
    the study's ``order`` (unknown names after, alphabetically), then the name.

    Examples
    --------
    >>> order = ("efficacy", "safety")
    >>> sorted(["f/safety--km", "f/efficacy--km", "f/zz--km"],
    ...        key=lambda s: _rank(s, order))
    ['f/efficacy--km', 'f/safety--km', 'f/zz--km']
    """
    name = stem.split("/", 1)[-1].split("--", 1)[0]
    positions = [i for i, analysis in enumerate(order)
                 if name == analysis or name.startswith(analysis + "-")]
    return (positions[0] if positions else len(order), stem)


def _kinds(paths: list[str]) -> str:
    links = " ".join(_link(p, p.rsplit(".", 1)[-1]) for p in paths)
    return f'<span class="kinds">{links}</span>'


def _heading(path: Path) -> str | None:
    """The first ``<h1>`` of an HTML notebook, as text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, flags=re.S)
    if match is None:
        return None
    title = re.sub(r"<[^>]+>", "", match.group(1)).replace("¶", "").strip()
    return html.unescape(title) or None


def _scorecard_section(root: Path, name: str, has_published: bool) -> list[str]:
    from netter.scorecard.output import read_scorecard, scorecard_table_html, summary_sentence

    if not has_published:
        return ['<section id="scorecard">', "<h2>Scorecard</h2>",
                '<p class="note">No scorecard: the study declares no published numbers '
                "(<code>published</code> in its <code>study.toml</code>), so there is "
                "nothing to compare these results with.</p>", "</section>"]
    lines = ['<section id="scorecard">', f"<h2>Scorecard: published {html.escape(name)} "
             "numbers vs this reproduction</h2>"]
    path = root / "results" / "scorecard.json"
    if not path.is_file():
        lines += ['<p class="note">No scorecard yet: run <code>netter scorecard</code> '
                  "(or <code>make</code>).</p>", "</section>"]
        return lines
    document = read_scorecard(path)
    lines.append(f"<p>{html.escape(summary_sentence(document))}</p>")
    figure = "figures/scorecard--summary.svg"
    if (root / figure).is_file():
        lines.append(f'<figure class="scorecard"><a href="{figure}">'
                     f'<img src="{figure}" alt="scorecard figure"></a>'
                     "<figcaption>Each row divided by its published value: published CI "
                     "as a grey bar, reproduction as a black mark and line (filled circle: "
                     "inside, open triangle: outside). Rows without a published number or "
                     "not compared are only in the table.</figcaption></figure>")
    lines.append('<p class="note">Status rule per row: with a published CI, the reproduced '
                 "estimate must lie inside it; without one, the published point must lie "
                 "inside the reproduced CI (event counts: n x exact binomial CI). "
                 "Unverified published numbers (flag U) are shown in grey italics and never "
                 "counted. Downloads: "
                 + ", ".join(_link(f, f) for f in SCORECARD_FILES if (root / f).is_file())
                 + ".</p>")
    lines += [scorecard_table_html(document).rstrip("\n"), "</section>"]
    return lines


def _figures(root: Path, paths: list[str], order=()) -> list[str]:
    lines = []
    for stem, files in _grouped(paths, order).items():
        image = next((f for f in files if f.endswith(".png")),
                     next((f for f in files if f.endswith(".svg")), None))
        name = stem.split("/", 1)[-1]
        img = f'<img src="{html.escape(image)}" alt="{html.escape(name)}">' if image else ""
        lines.append(f'<figure class="thumb">{img}<figcaption>{html.escape(name)}: '
                     f"{_kinds(files)}</figcaption></figure>")
    return lines


def _notebooks(root: Path, paths: list[str]) -> list[str]:
    items = []
    for path in paths:
        title = _heading(root / path) if path.endswith(".html") else None
        text = Path(path).stem + (f": {title}" if title else "")
        items.append(f"<li>{_link(path, text)}</li>")
    return ['<ul class="files">', *items, "</ul>"]


def _listing(paths: list[str], *, keep_folder: bool = False, order=()) -> list[str]:
    items = [f"<li>{html.escape(stem if keep_folder else stem.split('/', 1)[-1])}: "
             f"{_kinds(files)}</li>" for stem, files in _grouped(paths, order).items()]
    return ['<ul class="files">', *items, "</ul>"]


def _data_section(root: Path) -> list[str]:
    """The data folders the results files were computed from, each file with its SHA-256
    (as recorded when it was read), so a reader knows what was analysed."""
    import json

    folders: dict[str, dict[str, str]] = {}
    for path in sorted((root / "results").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or not data.get("data"):
            continue
        files = folders.setdefault(str(data["data"]), {})
        for item in (data.get("inputs") or {}).values():
            if isinstance(item, dict) and item.get("path") and item.get("sha256"):
                files[str(item["path"])] = str(item["sha256"])
    if not folders:
        return []
    items = []
    for folder, files in sorted(folders.items()):
        listed = "; ".join(f"{html.escape(Path(p).name)} <code>{html.escape(h[:12])}</code>"
                           for p, h in sorted(files.items()))
        items.append(f"<li><code>{html.escape(folder)}</code>"
                     + (f": {listed}" if listed else "") + "</li>")
    return ['<section id="data"><h2>Data</h2>',
            '<p class="note">The results were computed from these folders (SHA-256 of '
            "each file as read, first 12 digits; the results files hold it whole).</p>",
            '<ul class="files">', *items, "</ul>", "</section>"]


def _not_computable(root: Path) -> list[str]:
    """Items of the results files that the data could not give, with the reasons."""
    import json

    items = []
    for path in sorted((root / "results").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for item, reason in sorted((data.get("not_computable") or {}).items()):
            items.append(f"<li>{html.escape(path.stem)}: {html.escape(item)}: not computable: "
                         f"{html.escape(str(reason))}</li>")
    if not items:
        return []
    return ['<section id="not-computable"><h2>Not computable from these data</h2>',
            '<ul class="files">', *items, "</ul>", "</section>"]


def index_html(reports: str | os.PathLike, *, name: str = "Study", title: str | None = None,
               has_published: bool = True, data_note: str | None = None,
               order=()) -> str:
    """The text of ``index.html`` for the reports folder ``reports`` of one study.

    Parameters
    ----------
    reports : path-like
    name : str
        The study's short name (headings).
    title : str, optional
        The page title (default ``"<name> reanalysis: reports"``).
    has_published : bool
        Whether the study has published numbers (else the scorecard section says why
        there is none).
    data_note : str, optional
        What the data are (e.g. simulated patients), shown under the title.
    order : sequence of str
        The study's analyses, in its order (figures, tables and results follow it).
    """
    root = Path(reports)
    title = title or f"{name} reanalysis: reports"
    note = ("Generated by <code>make</code> from the data the pipeline was pointed at. "
            + (html.escape(data_note) + " " if data_note else "")
            + "Every link is relative to this folder.")
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="note">{note}</p>']
    body += _data_section(root)
    body += _scorecard_section(root, name, has_published)
    body += _not_computable(root)
    listed = {INDEX}
    for section, folder in SECTIONS.items():
        paths = _files(root, folder)
        listed.update(paths)
        if not paths:
            continue
        body.append(f'<section id="{folder}"><h2>{html.escape(section)}</h2>')
        if folder == "figures":
            body += _figures(root, paths, order)
        elif folder == "notebooks":
            body += _notebooks(root, paths)
        else:
            body += _listing(paths, order=order)
        body.append("</section>")
    others = [p for p in _files(root, ".") if p not in listed]
    if others:
        body += ['<section id="other"><h2>Other outputs</h2>',
                 *_listing(others, keep_folder=True), "</section>"]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{PAGE_STYLE}{SCORECARD_STYLE}</style>", "</head>", "<body>", *body,
        "</body>", "</html>", ""])


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def write_index(reports: str | os.PathLike, study=None) -> Path:
    """Write ``<reports>/index.html`` for ``study`` (a :class:`~netter.study.Study`, or
    ``None``: a page without study headings); return its path."""
    if study is None:
        return _write(Path(reports) / INDEX, index_html(reports))
    simulated = study.simulation is not None and study.data is not None
    note = (f"By default the data are the study's synthetic trial ({study.data}): simulated "
            "patients, not the trial's." if simulated else None)
    text = index_html(reports, name=study.display_name, has_published=study.published
                      is not None, data_note=note, order=[a.name for a in study.analyses])
    return _write(Path(reports) / INDEX, text)


def home_html(reports: str | os.PathLike, studies) -> str:
    """The home page: one entry per study (its title and the summary of its scorecard)."""
    from netter.scorecard.output import read_scorecard, summary_sentence

    root = Path(reports)
    items = []
    for study in studies:
        folder = study.id
        page = f"{folder}/{INDEX}"
        card = root / folder / "results" / "scorecard.json"
        summary = (summary_sentence(read_scorecard(card)) if card.is_file()
                   else "No published numbers to compare with." if study.published is None
                   else "No scorecard yet.")
        items.append(f"<li>{_link(page, study.display_name)}: {html.escape(study.title)}"
                     f'<br><span class="note">{html.escape(summary)}</span></li>')
    title = "netter reports"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{title}</title>", f"<style>\n{PAGE_STYLE}</style>", "</head>", "<body>",
        f"<h1>{title}</h1>", '<p class="note">One report per study; every link is relative '
        "to this folder.</p>", '<ul class="files">', *items, "</ul>", "</body>", "</html>", ""])


def write_home(reports: str | os.PathLike, studies) -> Path:
    """Write ``<reports>/index.html`` linking each study's ``<reports>/<id>/index.html``."""
    return _write(Path(reports) / INDEX, home_html(reports, studies))
