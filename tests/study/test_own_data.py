"""A user's own ADaM data through the whole pipeline, as a new user would run it.

``netter study init`` on an ADaM folder of R's ``colon`` deaths (three arms, times in
days, no strata, one cut-off, no ADRS), a few analyses added that the data cannot
give, then ``make report STUDY=... DATA=... REPORTS=...``.  The report must be complete
(index, a Kaplan-Meier figure and a summary table per endpoint, the baseline table, no
forest plot unless one is declared, no scorecard and a sentence saying why), say "not
computable" with the reason where the data cannot give what the study asks, and carry
nothing of NETTER-1.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netter.cli import main

ROOT = Path(__file__).resolve().parents[2]
#: Words that belong to NETTER-1 and must appear in no output of another study.
FORBIDDEN = ("177Lu", "Octreotide", "NETTER", "SRS")
ARMS = {"Obs": "Observation", "Lev": "Levamisole", "Lev+5FU": "Levamisole + fluorouracil"}


def write_colon(folder: Path) -> Path:
    """R's colon deaths as ADSL + ADTTE: three arms, days, SEX and DIFFER, no ADRS."""
    colon = pd.read_csv(ROOT / "tests" / "reference" / "data" / "colon_death.csv")
    ids = [f"CX-{i:04d}" for i in range(1, len(colon) + 1)]
    folder.mkdir(parents=True)
    pd.DataFrame({"STUDYID": "COLONX", "USUBJID": ids, "TRT01P": colon["group"].map(ARMS),
                  "SEX": colon["sex"].map({0: "F", 1: "M"}),
                  "DIFFER": colon["differ"].map({1: "well", 2: "moderate", 3: "poor"})}
                 ).to_csv(folder / "adsl.csv", index=False)
    pd.DataFrame({"USUBJID": ids, "PARAMCD": "OS", "PARAM": "Death from any cause",
                  "AVAL": colon["time"], "AVALU": "DAYS", "CNSR": 1 - colon["event"]}
                 ).to_csv(folder / "adtte.csv", index=False)
    return folder


#: Analyses the colon data cannot (fully) give, appended to the starter study.
EXTRA = """
[[analyses]]
name = "pfs_and_os"
cutoff = "final"
endpoints = ["OS", "PFS"]
response = true
strata = ["STRATA1"]

[[analyses]]
name = "by_sex"
cutoff = "final"
endpoints = ["OS"]
subgroups = ["SEX"]

[[analyses]]
name = "os_adjusted"
cutoff = "final"
endpoints = ["OS"]

[analyses.crossover]
methods = ["rpsftm", "censor"]
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    root = tmp_path_factory.mktemp("own")
    data = write_colon(root / "adam")
    study = root / "study.toml"
    assert main(["study", "init", "--data", str(data), "--out", str(study), "--id", "colonx",
                 "--reference", "Observation"]) == 0
    study.write_text(study.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    reports = root / "reports"
    done = subprocess.run(
        ["make", "--no-print-directory", "report", f"STUDY={study}", f"DATA={data}",
         f"REPORTS={reports}", f"BUILD={root / 'make'}", f"PYTHON={sys.executable}"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return reports


def _text(path: Path) -> str:
    """What a reader can read in an output (images: their SVG twin; no base64 blobs)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", text)


def test_the_report_is_complete(report):
    files = {p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file()}
    for stem in ("os--km", "pfs_and_os-os--km", "pfs_and_os-pfs--km", "pfs_and_os--response",
                 "by_sex--forest"):
        assert {f"figures/{stem}.png", f"figures/{stem}.svg"} <= files, stem
    for stem in ("os--summary", "baseline--characteristics", "pfs_and_os-os--summary",
                 "pfs_and_os-pfs--summary", "pfs_and_os--response"):
        assert {f"tables/{stem}.csv", f"tables/{stem}.html"} <= files, stem
    assert {"index.html", "notebooks/os.html", "notebooks/baseline.html",
            "results/os.json", "results/baseline.json"} <= files
    assert not any(name.startswith(("calibration/", "results/scorecard")) for name in files)
    assert "figures/os--forest.png" not in files  # no subgroups declared for it


def test_three_arms_in_days_are_analysed(report):
    doc = json.loads((report / "results" / "os.json").read_text(encoding="utf-8"))
    assert doc["time_unit"] == "days" and doc["reference_arm"] == "Observation"
    assert [a["label"] for a in doc["arm_labels"]] == sorted(ARMS.values())
    os_ = doc["endpoints"]["OS"]
    assert len(os_["cox_by_arm"]) == 2 and os_["logrank"]["df"] == 2
    assert os_["label"] == "Death from any cause"
    steps = [r["time"] for r in os_["arms"][0]["risk_table"]]
    assert steps[:3] == [0.0, 365.0, 730.0]  # a round step of days for ~9 years
    summary = (report / "tables" / "os--summary.csv").read_text(encoding="utf-8")
    assert "Median, days (95% CI)" in summary and "Comparisons: each arm vs Observation" in summary


def test_what_the_data_cannot_give_is_not_computable(report):
    doc = json.loads((report / "results" / "pfs_and_os.json").read_text(encoding="utf-8"))
    missing = doc["not_computable"]
    assert missing["PFS"].startswith("the ADTTE of cut-off final has no PARAMCD PFS")
    assert missing["response"] == "no ADRS in the data of cut-off final"
    assert missing["strata"].startswith("ADSL has no variable STRATA1")
    assert list(doc["endpoints"]) == ["OS"] and doc["strata"] == []
    adjusted = json.loads((report / "results" / "os_adjusted.json").read_text(
        encoding="utf-8"))
    assert adjusted["schema"] == "netter.crossover/1"
    assert adjusted["not_computable"]["analysis"].startswith("ADSL has no variable XOVERFL")
    for stem in ("figures/os_adjusted--crossover.svg", "figures/os_adjusted--crossover-km.svg",
                 "tables/os_adjusted--crossover.html"):
        assert "ot computable" in _text(report / stem), stem
    forest = json.loads((report / "results" / "by_sex.json").read_text(encoding="utf-8"))
    assert forest["not_computable"] == {
        "analysis": "subgroup analyses compare two arms; the data have 3"}
    table = (report / "tables" / "pfs_and_os-pfs--summary.csv").read_text(encoding="utf-8")
    assert "Not computable" in table and "no PARAMCD PFS" in table
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "pfs_and_os: PFS: not computable: the ADTTE of cut-off final" in page
    assert "No scorecard: the study declares no published numbers" in page


def test_no_output_names_netter1(report):
    for path in sorted(p for p in report.rglob("*") if p.is_file()):
        if path.suffix == ".png":
            continue  # pixels; the SVG twin carries the same text
        text = _text(path)
        found = [w for w in FORBIDDEN if w in text]
        assert not found, f"{path.relative_to(report)} contains {found}"


def test_an_analysis_keeps_its_kind_when_the_data_give_none_of_it(tmp_path):
    """A description or subgroup analysis whose every variable is missing is still a
    description or subgroup document, entirely not computable."""
    from netter.endpoints.study import run_analysis
    from netter.results import BaselineDocument, SubgroupsDocument
    from netter.study.load import parse_study

    data = write_colon(tmp_path / "adam")
    study = parse_study({
        "id": "c", "title": "C", "reference": "Observation",
        "arms": [{"value": v} for v in ARMS.values()], "cutoffs": [{"name": "final"}],
        "analyses": [{"name": "d", "cutoff": "final", "describe": ["NOPE"]},
                     {"name": "s", "cutoff": "final", "endpoints": ["OS"],
                      "subgroups": ["NOPE"]},
                     {"name": "p", "cutoff": "final", "endpoints": ["PFS"]}]},
        tmp_path / "study.toml")
    described = run_analysis(study, "d", data)
    assert isinstance(described, BaselineDocument)
    assert described.not_computable == {"analysis": "ADSL has no variable NOPE"}
    forest = run_analysis(study, "s", data)
    assert isinstance(forest, SubgroupsDocument) and "analysis" in forest.not_computable
    pfs = run_analysis(study, "p", data)
    assert pfs.endpoints == {} and list(pfs.not_computable) == ["PFS"]
    missing_cutoff = parse_study({**{"id": "c", "title": "C", "reference": "Observation"},
                                  "arms": [{"value": v} for v in ARMS.values()],
                                  "cutoffs": [{"name": "final"}, {"name": "later"}],
                                  "analyses": [{"name": "x", "cutoff": "later",
                                                "endpoints": ["OS"]}]},
                                 tmp_path / "study.toml")
    (tmp_path / "cuts" / "final").mkdir(parents=True)
    doc = run_analysis(missing_cutoff, "x", tmp_path / "cuts")
    assert doc.not_computable["OS"].startswith(f"{tmp_path / 'cuts'}: no folder later/")


def test_a_study_sets_profile_options(tmp_path):
    from netter.errors import NetterError
    from netter.study.load import parse_study

    base = {"id": "c", "title": "C", "reference": "Observation",
            "arms": [{"value": v} for v in ARMS.values()], "cutoffs": [{"name": "final"}]}
    study = parse_study({**base, "profile": "sas", "options": {"quantile_rule": "midpoint"}},
                        tmp_path / "study.toml")
    assert study.profile == "sas+quantile_rule=midpoint"
    with pytest.raises(NetterError, match="options: option ties: unknown value 'exact'"):
        parse_study({**base, "options": {"ties": "exact"}}, tmp_path / "study.toml")
    with pytest.raises(NetterError, match="conf_level is not a study option"):
        parse_study({**base, "options": {"conf_level": "0.9"}}, tmp_path / "study.toml")
