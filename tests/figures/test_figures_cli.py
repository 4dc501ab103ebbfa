"""``netter figures``: exactly the files its docstring lists, and its errors."""

from __future__ import annotations

import types

import pytest

from netter.artefacts import write_results
from netter.cli import main
from netter.figures.outputs import write_figures
from netter.tables.specimen import specimen_response, specimen_results, specimen_subgroups


@pytest.fixture
def results():
    return specimen_results()


@pytest.fixture
def subgroups():
    return specimen_subgroups()


@pytest.fixture
def response():
    return specimen_response()


def test_writes_km_and_forest_files(results, subgroups, tmp_path):
    r = write_results(results, tmp_path / "r.json")
    s = write_results(subgroups, tmp_path / "s.json")
    out = tmp_path / "figures"
    assert main(["figures", "--quiet", "--results", str(r), "--param", "OS", "--subgroups",
                 str(s), "--out", str(out), "--name", "os_interim"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "os_interim--forest.png", "os_interim--forest.svg", "os_interim--km.png",
        "os_interim--km.svg", "os_interim--schoenfeld.png", "os_interim--schoenfeld.svg"]
    assert main(["figures", "--quiet", "--subgroups", str(s), "--out", str(tmp_path / "f2"),
                 "--name", "pfs_subgroups"]) == 0
    assert sorted(p.name for p in (tmp_path / "f2").iterdir()) == [
        "pfs_subgroups--forest.png", "pfs_subgroups--forest.svg"]


def test_response_figure_only_with_a_response_block(results, response, tmp_path):
    with_block = types.SimpleNamespace(**{**vars(results), "response": response})
    names = [p.name for p in write_figures(tmp_path, "resp", with_block, param="PFS")]
    assert names == ["resp--km.png", "resp--km.svg", "resp--schoenfeld.png",
                     "resp--schoenfeld.svg", "resp--response.png", "resp--response.svg"]


def test_every_endpoint_without_param_and_errors_exit_1(results, tmp_path, capsys):
    r = write_results(results, tmp_path / "r.json")
    out = tmp_path / "all"
    assert main(["figures", "--quiet", "--results", str(r), "--out", str(out),
                 "--name", "x"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "x-os--km.png", "x-os--km.svg", "x-os--schoenfeld.png", "x-os--schoenfeld.svg",
        "x-pfs--km.png", "x-pfs--km.svg", "x-pfs--schoenfeld.png", "x-pfs--schoenfeld.svg"]
    assert main(["figures", "--results", str(r), "--param", "DOR", "--out", str(tmp_path),
                 "--name", "x"]) == 1
    assert "the results have no endpoint DOR" in capsys.readouterr().err
    assert main(["figures", "--out", str(tmp_path), "--name", "x"]) == 1
    assert "nothing to draw" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == [out, r]


def test_kinds_select_the_figures(results, subgroups, tmp_path):
    r = write_results(results, tmp_path / "r.json")
    s = write_results(subgroups, tmp_path / "s.json")
    out = tmp_path / "only-forest"
    assert main(["figures", "--quiet", "--results", str(r), "--param", "OS", "--subgroups",
                 str(s), "--out", str(out), "--name", "x", "--kinds", "forest"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["x--forest.png", "x--forest.svg"]
    assert main(["figures", "--results", str(r), "--param", "OS", "--out", str(out),
                 "--name", "x", "--kinds", "pie"]) == 1


def test_several_documents_in_one_process_are_named_by_file_stem(results, subgroups,
                                                                  tmp_path, capsys):
    """``make`` draws all of a study's figures in one process: each document's files
    are named by its file stem, byte-identical to drawing it alone."""
    a = write_results(results, tmp_path / "pfs_primary.json")
    b = write_results(subgroups, tmp_path / "pfs_subgroups.json")
    together, alone = tmp_path / "together", tmp_path / "alone"
    assert main(["figures", "--quiet", "--param", "OS", "--results", str(a), str(b),
                 "--out", str(together)]) == 0
    assert sorted(p.name for p in together.iterdir()) == [
        "pfs_primary--km.png", "pfs_primary--km.svg", "pfs_primary--schoenfeld.png",
        "pfs_primary--schoenfeld.svg", "pfs_subgroups--forest.png",
        "pfs_subgroups--forest.svg"]
    assert main(["figures", "--quiet", "--param", "OS", "--results", str(a),
                 "--out", str(alone), "--name", "pfs_primary"]) == 0
    for path in alone.iterdir():
        assert path.read_bytes() == (together / path.name).read_bytes()
    # --name names one document; two files of one stem would overwrite each other
    assert main(["figures", "--results", str(a), str(b), "--out", str(tmp_path / "x"),
                 "--name", "pfs"]) == 1
    assert "--name 'pfs' names one document; 2 results files given" in capsys.readouterr().err
    (tmp_path / "other").mkdir()
    twin = write_results(results, tmp_path / "other" / "pfs_primary.json")
    assert main(["figures", "--results", str(a), str(twin), "--out", str(tmp_path / "x")]) == 1
    assert "two documents would write files named 'pfs_primary'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
