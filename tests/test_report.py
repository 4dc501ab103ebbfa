"""reports/index.html, notebook execution, analysis options and the Makefile's graph."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netter.report.__main__ import main as report_main
from netter.report.index import home_html, index_html, write_index
from netter.report.pipeline import analysis_options
from netter.scorecard import build_scorecard, write_scorecard_files
from tests.netter1 import study

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def reports(tmp_path) -> Path:
    """A reports folder with a scorecard (of no results) and one file of every kind."""
    write_scorecard_files(build_scorecard(study(), {}), tmp_path, figure=False)
    files = {"figures/pfs_primary--km.png": b"\x89PNG", "figures/pfs_primary--km.svg": b"<svg/>",
             "figures/scorecard--summary.svg": b"<svg/>",
             "tables/pfs_primary--summary.csv": b"a,b\n",
             "notebooks/os.html": b"<html><h1 id='x'>Overall survival<a>\xc2\xb6</a></h1></html>",
             "results/os_final.json": b'{"not_computable": {"PFS": "no PFS records"}}\n',
             "calibration/calibration.md": b"# c\n",
             "reconstruction/nejm_pfs.csv": b"t\n"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    return tmp_path


def _links(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', page)


def test_index_puts_the_scorecard_first_and_links_every_file(reports):
    page = index_html(reports, name="NETTER-1")
    assert page.index('id="scorecard"') < page.index('id="figures"') < page.index(
        'id="tables"') < page.index('id="notebooks"') < page.index('id="results"')
    links = set(_links(page))
    every = {p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file()}
    assert every <= links
    assert "notebooks/os.html" in links and "os: Overall survival</a>" in page
    assert 'id="other"' in page and "reconstruction/nejm_pfs.csv" in links
    assert '<table class="scorecard">' in page and "figures/scorecard--summary.svg" in links
    assert "<title>NETTER-1 reanalysis: reports</title>" in page
    assert "os_final: PFS: not computable: no PFS records" in page


def test_index_of_a_study_without_published_numbers(tmp_path):
    page = index_html(tmp_path, name="TRIAL-X", has_published=False)
    assert "No scorecard: the study declares no published numbers" in page
    assert "TRIAL-X" in page and "NETTER" not in page


def test_home_page_links_each_study(tmp_path):
    page = home_html(tmp_path, [study()])
    assert 'href="netter1/index.html"' in page and "No scorecard yet." in page


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
    assert report_main(["index", "--reports", str(reports), "--study", "netter1"]) == 0
    assert (reports / "index.html").is_file()
    assert capsys.readouterr().out.strip().endswith("index.html")


def test_analysis_options_precedence(monkeypatch):
    monkeypatch.chdir(ROOT)
    env = {"NETTER_DATA": "env/data", "NETTER_RESULTS": "env/results"}
    default = analysis_options(argv=[], environ={})
    assert default.study.id == "netter1" and default.data is None
    assert default.results == "reports/netter1/results"
    assert analysis_options(argv=[], environ=env).data == "env/data"
    options = analysis_options(argv=["--results", "cli", "-f", "kernel.json"], environ=env)
    assert options.results == "cli" and options.data == "env/data"
    generic = analysis_options(argv=[], environ={"NETTER_ANALYSIS": "os_final"})
    assert generic.chosen_analysis().name == "os_final"
    assert default.chosen_analysis().name == study().analyses[0].name


def test_analysis_options_from_a_kernel_in_a_subfolder(monkeypatch):
    """A Jupyter kernel started in analyses/ or a study's notebooks/ finds the project,
    the study's data and the reports folder."""
    for folder in (ROOT / "analyses", ROOT / "studies" / "netter1" / "notebooks"):
        monkeypatch.chdir(folder)
        options = analysis_options(argv=[], environ={})
        assert Path(options.results).resolve() == ROOT / "reports" / "netter1" / "results"
        doc = options.run("crossover")
        assert doc.data == "data/synthetic/netter1/final"
        assert doc.inputs["adsl"].path == "data/synthetic/netter1/final/adsl.csv"


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
    """``make -n report`` into an empty folder lists each notebook of the study's plan, the
    figures and tables of each analysis, the scorecard and the index; not the calibration."""
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    out = tmp_path / "r"
    dry = subprocess.run(["make", "-n", "report", "STUDY=netter1", f"REPORTS={out}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for name in ("pfs_primary", "os", "response", "qol", "subgroups", "pfs_walkthrough"):
        assert (f"--job studies/netter1/notebooks/{name}.py {out}/notebooks/{name}.html"
                in dry)
    assert dry.count("netter.report notebooks") == 1  # one process runs them all
    assert f"netter scorecard --quiet --study netter1 --results {out}/results/" in dry
    # one process draws every figure, one writes every table
    figures = [line for line in dry.splitlines() if "netter figures" in line]
    tables = [line for line in dry.splitlines() if "netter tables" in line]
    assert len(figures) == 1 and len(tables) == 1
    for name in ("pfs_primary", "os_final", "response", "pfs_subgroups"):
        assert f"{out}/results/{name}.json" in figures[0]
    assert "baseline.json" not in figures[0] and f"{out}/results/baseline.json" in tables[0]
    assert f"netter.report index --reports {out} --study netter1" in dry
    assert "calibrate" not in dry  # the report does not redo the calibration


def test_index_waits_for_the_calibration_when_make_calibrates(tmp_path):
    """Under ``make -j`` the index must not be written before the calibration it links:
    with the goal ``all`` it depends on it (and the dry run orders them so)."""
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    out = tmp_path / "r"
    dry = subprocess.run(["make", "-n", "all", "STUDY=netter2", f"REPORTS={out}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    data = subprocess.run(["make", "-pn", "all", "STUDY=netter2", f"REPORTS={out}"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    assert dry.index("netter calibrate") < dry.index("netter.report index")
    rule = next(line for line in data.splitlines() if line.startswith(f"{out}/index.html:"))
    assert f"{out}/calibration/calibration.md" in rule


def test_index_names_its_data_and_follows_the_studys_order(tmp_path):
    """The index says which data the results came from (folder and SHA-256 of each file)
    and lists figures in the study's order of analyses, not alphabetically."""

    reports = tmp_path / "r"
    shutil.copytree(ROOT / "reports" / "netter1" / "results", reports / "results")
    (reports / "figures").mkdir()
    for name in ("os_final--km.png", "pfs_primary--km.png", "qol--km.png", "zz--km.png"):
        (reports / "figures" / name).write_bytes(b"png")
    page = write_index(reports, study()).read_text(encoding="utf-8")
    assert '<section id="data"><h2>Data</h2>' in page
    primary = json.loads((reports / "results" / "pfs_primary.json").read_text())
    assert primary["inputs"]["adtte"]["sha256"][:12] in page
    assert "<code>data/synthetic/netter1/primary</code>" in page
    order = [page.index(f"<figcaption>{n}--km") for n in ("pfs_primary", "os_final", "qol", "zz")]
    assert order == sorted(order)
