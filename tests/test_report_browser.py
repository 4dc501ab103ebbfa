"""``python -m netter.report check``: the link checker on a tiny site; Chromium where present."""

from __future__ import annotations

import pytest

from netter.report.__main__ import main
from netter.report.browser import check_reports, crawl, find_chromium, resolve_reference

#: A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fe0def46b800"
    "00000049454e44ae426082")

HOME = """<!doctype html><html><head><title>home</title></head><body>
<h1 id="top">Reports</h1>
<a href="study/index.html">study</a>
<a href="study/index.html#figures">figures</a>
<a href="study/index.html#nowhere">missing anchor</a>
<a href="study/gone.html">broken link</a>
<a href="https://example.org/trial">external link</a>
<a href="#top">top</a>
<img src="study/figures/km.png" alt="km">
<img src="study/figures/missing.png" alt="missing image">
<img src="data:image/png;base64,{inline}" alt="inline">
</body></html>
"""

STUDY = """<!doctype html><html><body>
<h2 id="figures">Figures</h2><a href="figures/km.png">km</a> <a href="../index.html#top">up</a>
<a href="tables/summary.csv">csv</a> <a href="notebooks/">notebooks</a> <a href="../../x">out</a>
</body></html>
"""


@pytest.fixture
def site(tmp_path):
    import base64

    (tmp_path / "study" / "figures").mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        HOME.replace("{inline}", base64.b64encode(PNG).decode()), encoding="utf-8")
    (tmp_path / "study" / "index.html").write_text(STUDY, encoding="utf-8")
    (tmp_path / "study" / "figures" / "km.png").write_bytes(PNG)
    (tmp_path / "study" / "figures" / "unused.svg").write_text("<svg/>", encoding="utf-8")
    return tmp_path


LINK_PROBLEMS = [
    ("index.html", "broken link", "study/figures/missing.png"),
    ("index.html", "broken link", "study/gone.html"),
    ("index.html", "external link", "https://example.org/trial"),
    ("index.html", "missing anchor", "study/index.html#nowhere"),
    ("study/index.html", "broken link", "notebooks/"),
    ("study/index.html", "broken link", "tables/summary.csv"),
    ("study/index.html", "outside the reports", "../../x"),
]


def test_crawl_finds_broken_links_missing_anchors_and_external_links(site):
    found = crawl(site)
    assert found.pages == ["index.html", "study/index.html"]
    assert found.files == ["study/figures/km.png"]
    assert sorted((p.page, p.kind, p.target) for p in found.problems) == LINK_PROBLEMS
    assert found.unlinked == ["study/figures/unused.svg"]


def test_a_clean_site_has_no_problems(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/p.html#x">p</a><img src="a/i.png">')
    (tmp_path / "a" / "p.html").write_text('<h1 id="x">x</h1><a href="../index.html">up</a>')
    (tmp_path / "a" / "i.png").write_bytes(PNG)
    found = crawl(tmp_path)
    assert found.problems == [] and found.unlinked == []


def test_missing_home_page_is_a_problem(tmp_path):
    found = crawl(tmp_path)
    assert found.pages == [] and [p.kind for p in found.problems] == ["broken link"]


@pytest.mark.parametrize(("ref", "kind", "path"), [
    ("b/c.png", "file", "a/b/c.png"),
    ("./b/../c.png", "file", "a/c.png"),
    ("../x.html?q=1", "file", "x.html"),
    ("sub/", "file", "a/sub/index.html"),
    ("", "self", "a/p.html"),
    ("../../x", "outside", ""),
    ("/abs.png", "absolute", ""),
    ("//cdn.example/x.js", "external", ""),
    ("HTTPS://example.org", "external", ""),
    ("file:///etc/passwd", "external", ""),
    ("javascript:void(0)", "external", ""),
    ("data:image/png;base64,AAAA", "inline", ""),
])
def test_resolve_reference(ref, kind, path):
    resolved = resolve_reference("a/p.html", ref)
    assert (resolved.kind, resolved.path) == (kind, path)


def test_check_without_browser_exits_1_and_lists_each_problem(site, capsys):
    assert main(["check", "--reports", str(site), "--no-browser"]) == 1
    out, err = capsys.readouterr()
    for page, kind, target in LINK_PROBLEMS:
        assert f"{page}: {kind} {target!r}" in out
    assert "note: study/figures/unused.svg is linked from no page" in out
    assert "not opened in a browser" in out
    assert ("7 problems (4 broken link, 1 external link, 1 missing anchor, "
            "1 outside the reports)") in err


def test_check_without_browser_passes_a_clean_site(tmp_path, capsys):
    (tmp_path / "index.html").write_text('<p id="a"><a href="#a">a</a></p>')
    assert main(["check", "--reports", str(tmp_path), "--no-browser"]) == 0
    assert "no problems" in capsys.readouterr().out


needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="chromium not installed")


@needs_chromium
def test_browser_sees_images_that_do_not_load_and_console_errors(site):
    (site / "study" / "figures" / "broken.png").write_text("not a PNG")
    page = (site / "study" / "index.html").read_text()
    (site / "study" / "index.html").write_text(page.replace(
        "</body>", '<img src="figures/broken.png"><script>console.error("boom");'
                   "nosuchfunction()</script></body>"))
    shot = site / "check" / "index.png"
    found = check_reports(site, screenshot=shot, ignore=["check"])
    seen = sorted((p.page, p.kind, p.target) for p in found.browser_problems)
    assert ("index.html", "image not loaded", "study/figures/missing.png") in seen
    assert ("study/index.html", "image not loaded", "figures/broken.png") in seen
    assert ("study/index.html", "console error", "boom") in seen
    assert any(p.page == "study/index.html" and "nosuchfunction" in p.target
               for p in found.browser_problems)
    assert not any(kind == "image not loaded" and target.startswith(("data:", "study/figures/km"))
                   for _, kind, target in seen)
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert found.crawl.unlinked == ["study/figures/unused.svg"]


@needs_chromium
def test_browser_passes_a_clean_site(tmp_path, capsys):
    (tmp_path / "index.html").write_text('<h1>ok</h1><img src="i.png">')
    (tmp_path / "i.png").write_bytes(PNG)
    assert main(["check", "--reports", str(tmp_path), "--screenshot",
                 str(tmp_path / "check" / "index.png")]) == 0
    out = capsys.readouterr().out
    assert "opened in Chromium" in out and "no console errors" in out
    assert (tmp_path / "check" / "index.png").stat().st_size > 0
