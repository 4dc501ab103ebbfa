"""``netter tables``: the files it writes, byte-identical reruns from scratch, errors."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from netter.artefacts import read_document, write_results
from netter.cli import main
from netter.endpoints.baseline import BaselineDocument
from netter.tables.outputs import response_block, write_tables
from netter.tables.specimen import specimen_response, specimen_results

PRIMARY = Path(__file__).parents[2] / "data" / "synthetic" / "netter1" / "primary"


def run(*argv: str) -> int:
    return main([*argv, "--quiet"])


def analyze_and_tabulate(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    results = folder / "pfs_primary.json"
    assert run("analyze", "--data", str(PRIMARY), "--out", str(results), "--study", "netter1",
               "--params", "PFS",
               "--strata", "STRAT1R,STRAT2R", "--landmarks", "12,20") == 0
    assert run("tables", "--results", str(results), "--data", str(PRIMARY), "--study", "netter1",
               "--out",
               str(folder / "tables"), "--name", "pfs_primary") == 0
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in sorted(folder.rglob("*")) if p.is_file()}
    return files


def test_rerun_from_scratch_is_byte_identical(tmp_path):
    first = analyze_and_tabulate(tmp_path / "one")
    second = analyze_and_tabulate(tmp_path / "two")
    assert sorted(first) == ["pfs_primary.json", "tables/baseline.csv", "tables/baseline.html",
                             "tables/baseline.json", "tables/pfs_primary--response.csv",
                             "tables/pfs_primary--response.html",
                             "tables/pfs_primary--summary.csv",
                             "tables/pfs_primary--summary.html"]
    assert first == second
    summary = first["tables/pfs_primary--summary.csv"].decode("utf-8")
    assert "Disease progression" in summary and "Hazard ratio (95% CI), stratified" in summary
    assert b"\r\n" not in first["tables/pfs_primary--summary.csv"]


def test_baseline_document_is_saved_and_reread(tmp_path):
    analyze_and_tabulate(tmp_path / "run")
    doc = read_document(tmp_path / "run" / "tables" / "baseline.json", BaselineDocument)
    assert [g.n for g in doc.groups] == [116, 113, 229]
    # an absolute path inside the project is recorded relative to the project
    assert doc.inputs["adsl"].path == "data/synthetic/netter1/primary/adsl.csv"
    assert [v.variable for v in doc.variables][:3] == ["AGE", "AGEGR1", "SEX"]


def test_response_tables_written_only_with_a_response_block(tmp_path):
    results = specimen_results()
    plain = write_tables(tmp_path / "a", "x", results, param="PFS")
    assert [p.name for p in plain] == ["x--summary.csv", "x--summary.html"]
    with_block = types.SimpleNamespace(**{**vars(results), "response": specimen_response()})
    assert response_block(with_block) == specimen_response()
    names = [p.name for p in write_tables(tmp_path / "b", "x", with_block, param="PFS")]
    assert names == ["x--summary.csv", "x--summary.html", "x--response.csv",
                     "x--response.html"]


def test_errors_exit_1_with_a_message(tmp_path, capsys):
    path = write_results(specimen_results(), tmp_path / "r.json")
    assert main(["tables", "--quiet", "--results", str(path), "--out", str(tmp_path / "t"),
                 "--name", "x"]) == 0  # every endpoint: x-os--summary, x-pfs--summary
    assert len(list((tmp_path / "t").iterdir())) == 4
    assert main(["tables", "--results", str(path), "--out", str(tmp_path), "--name", "x",
                 "--param", "QOL"]) == 1
    assert "no endpoint QOL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["tables", "--out", str(tmp_path), "--name", "x"])


def test_several_documents_in_one_process_are_named_by_file_stem(tmp_path):
    """``make`` writes all of a study's tables in one process; each document's tables are
    named by its file stem and equal those written alone."""
    a = write_results(specimen_results(), tmp_path / "os_final.json")
    b = write_results(specimen_results(), tmp_path / "pfs_update.json")
    assert main(["tables", "--quiet", "--param", "PFS", "--results", str(a), str(b),
                 "--out", str(tmp_path / "together")]) == 0
    assert sorted(p.name for p in (tmp_path / "together").iterdir()) == [
        "os_final--summary.csv", "os_final--summary.html", "pfs_update--summary.csv",
        "pfs_update--summary.html"]
    assert main(["tables", "--quiet", "--param", "PFS", "--results", str(b), "--name",
                 "pfs_update", "--out", str(tmp_path / "alone")]) == 0
    for path in (tmp_path / "alone").iterdir():
        assert path.read_bytes() == (tmp_path / "together" / path.name).read_bytes()
