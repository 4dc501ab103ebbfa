"""reports/index.html, notebook execution, analysis options and the Makefile's graph."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netter.report.__main__ import main as report_main
from netter.report.index import index_html, write_index
from netter.report.pipeline import analysis_options
from netter.scorecard import build_scorecard, write_scorecard_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def reports(tmp_path) -> Path:
    """A reports folder with a scorecard (of no results) and one file of every kind."""
    write_scorecard_files(build_scorecard({}), tmp_path, figure=False)
    files = {"figures/pfs_primary--km.png": b"\x89PNG", "figures/pfs_primary--km.svg": b"<svg/>",
             "figures/scorecard--summary.svg": b"<svg/>",
             "tables/pfs_primary--summary.csv": b"a,b\n",
             "notebooks/os.html": b"<html><h1 id='x'>Overall survival<a>\xc2\xb6</a></h1></html>",
             "results/os_final.json": b"{}\n", "calibration/calibration.md": b"# c\n",
             "reconstruction/nejm_pfs.csv": b"t\n"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    return tmp_path


def _links(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', page)


def test_index_puts_the_scorecard_first_and_links_every_file(reports):
    page = index_html(reports)
    assert page.index('id="scorecard"') < page.index('id="figures"') < page.index(
        'id="tables"') < page.index('id="notebooks"') < page.index('id="results"')
    links = set(_links(page))
    every = {p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file()}
    assert every <= links
    assert "notebooks/os.html" in links and "os: Overall survival</a>" in page
    assert 'id="other"' in page and "reconstruction/nejm_pfs.csv" in links
    assert '<table class="scorecard">' in page and "figures/scorecard--summary.svg" in links


def test_index_works_from_disk(reports):
    page = index_html(reports)
    assert "http:" not in page and "https:" not in page and "<script" not in page
    for link in _links(page):
        assert not link.startswith("/") and ":" not in link and ".." not in link
        assert (reports / link).is_file(), link


def test_index_is_deterministic(reports):
    first = write_index(reports).read_bytes()
    assert write_index(reports).read_bytes() == first  # index.html itself is not listed
    assert b'href="index.html"' not in first


def test_index_without_scorecard(tmp_path):
    page = index_html(tmp_path)
    assert "No scorecard yet" in page


def test_report_command(reports, capsys):
    assert report_main(["index", "--reports", str(reports)]) == 0
    assert (reports / "index.html").is_file()
    assert capsys.readouterr().out.strip().endswith("index.html")


def test_analysis_options_precedence():
    env = {"NETTER_DATA": "env/data", "NETTER_RESULTS": "env/results"}
    assert analysis_options(argv=[], environ={}).cutoff("primary") == "data/synthetic/primary"
    assert analysis_options(argv=[], environ={}).results == "reports/results"
    assert analysis_options(argv=[], environ=env).cutoff("final") == "env/data/final"
    options = analysis_options(argv=["--results", "cli", "-f", "kernel.json"], environ=env)
    assert options.results == "cli" and options.data == "env/data"


def test_notebook_execution(tmp_path):
    """A percent script runs in a fresh kernel with the given working directory; the HTML
    has the outputs and nothing loaded from elsewhere; the .ipynb is never written."""
    script = tmp_path / "demo.py"
    script.write_text('# %% [markdown]\n# # Demo title\n\n# %%\nfrom pathlib import Path\n'
                      'print("answer", 6 * 7, Path.cwd().name)\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out" / "demo.html"
    # in a child process, as make runs it (the kernel's sockets are not this test's)
    subprocess.run([sys.executable, "-m", "netter.report", "notebook", str(script), "--out",
                    str(out), "--cwd", str(work), "--timeout", "120"], check=True,
                   capture_output=True)
    page = out.read_text(encoding="utf-8")
    assert "answer 42 work" in page and "Demo title" in page
    assert "<script" not in page and "http" not in page and 'id="cell-id=cell-1"' in page
    assert sorted(p.name for p in tmp_path.rglob("*.ipynb")) == []


def test_makefile_builds_every_report_product(tmp_path):
    """``make -n report`` into an empty folder lists each notebook, the scorecard, the index."""
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    out = tmp_path / "r"
    dry = subprocess.run(["make", "-n", "report", f"REPORTS={out}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    analyses = re.search(r"^ANALYSES := (.+)$", (ROOT / "Makefile").read_text(),
                         flags=re.M).group(1).split()
    for name in analyses:
        assert f"notebook analyses/{name}.py --out {out}/notebooks/{name}.html" in dry
    assert f"netter scorecard --quiet --results {out}/results/" in dry
    assert f"netter figures --quiet --kinds km --results {out}/results/pfs_primary.json" in dry
    assert f"netter figures --quiet --subgroups {out}/results/pfs_subgroups.json" in dry
    assert f"netter tables --quiet --kinds summary --results {out}/results/os_final.json" in dry
    assert f"netter.report index --reports {out}" in dry
    assert "calibration.py" not in dry  # the report does not redo the calibration
