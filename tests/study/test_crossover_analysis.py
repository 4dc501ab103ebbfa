"""A crossover analysis declared by a study (``[analyses.crossover]``): parsing, errors,
the composer's options, and data that cannot give it."""

from __future__ import annotations

import pytest

from netter.endpoints.study import run_analysis
from netter.results.crossover import CrossoverDocument
from netter.study.load import parse_study
from netter.study.model import CROSSOVER
from netter.study.toml import StudyError
from tests.netter1 import DATA, REF, study
from tests.study.test_own_data import ARMS, write_colon

BASE = {"id": "x", "title": "X", "reference": REF,
        "arms": [{"value": "177Lu-DOTATATE"}, {"value": REF}],
        "strata": ["STRAT1R", "STRAT2R"],
        "cutoffs": [{"name": "final", "date": "2021-01-14"}]}


def _study(tmp_path, crossover: dict, **analysis):
    entry = {"name": "xo", "cutoff": "final", "endpoints": ["OS"], "crossover": crossover,
             **analysis}
    return parse_study({**BASE, "analyses": [entry]}, tmp_path / "study.toml")


def test_the_crossover_table_is_read(tmp_path):
    s = _study(tmp_path, {"methods": ["rpsftm", "censor"], "covariates": ["strat2r"],
                          "rpsftm_test": "cox", "recensor": False,
                          "psi_interval": [-2, 1], "ipcw_truncation": [1, 99],
                          "bootstrap": 10, "seed": 3})
    a = s.analysis("xo")
    assert a.kind == CROSSOVER
    xo = a.crossover
    assert xo.methods == ("rpsftm", "censor") and xo.covariates == ("STRAT2R",)
    assert xo.rpsftm_test == "cox" and xo.recensor is False
    assert xo.psi_interval == (-2.0, 1.0) and xo.ipcw_truncation == (1.0, 99.0)
    assert (xo.bootstrap, xo.seed) == (10, 3)


@pytest.mark.parametrize(("crossover", "analysis", "message"), [
    ({"methods": ["g-formula"]}, {}, "'g-formula' is not a crossover method"),
    ({"bootstrap": 10}, {}, "a bootstrap needs a seed"),
    ({"rpsftm_test": "wald"}, {}, "must be one of logrank, cox"),
    ({"psi_interval": [1, -1]}, {}, "low < high"),
    ({"colour": "red"}, {}, "unknown key 'colour'"),
    ({}, {"endpoints": ["OS", "PFS"]}, "adjusts exactly one endpoint"),
])
def test_a_bad_crossover_table_names_the_key(tmp_path, crossover, analysis, message):
    with pytest.raises(StudyError, match=message):
        _study(tmp_path, crossover, **analysis)


def test_the_study_analysis_runs_as_declared(tmp_path):
    s = _study(tmp_path, {"methods": ["rpsftm", "exclude"]})
    doc = run_analysis(s, "xo", DATA)
    assert isinstance(doc, CrossoverDocument)
    assert set(doc.settings.covariates) == {"STRAT1R=3", "STRAT1R=4", "STRAT2R=>6 months"}
    assert doc.methods.rpsftm.hazard_ratio is not None and doc.methods.ipcw is None
    assert doc.study.analysis == "xo" and doc.study.cutoff.date == "2021-01-14"
    assert [a.value for a in doc.arm_labels] == ["177Lu-DOTATATE", REF]


def test_netter1_declares_its_crossover_analysis():
    a = study().analysis("os_crossover")
    assert a.kind == CROSSOVER and a.endpoints == ("OS",)
    assert a.crossover.bootstrap >= 200 and a.crossover.seed is not None


def test_data_without_switching_give_a_not_computable_document(tmp_path):
    data = write_colon(tmp_path / "adam")
    s = parse_study({"id": "c", "title": "C", "reference": "Observation",
                     "arms": [{"value": v} for v in ARMS.values()],
                     "cutoffs": [{"name": "final"}],
                     "analyses": [{"name": "xo", "cutoff": "final", "endpoints": ["OS"],
                                   "crossover": {}}]}, tmp_path / "study.toml")
    doc = run_analysis(s, "xo", data)
    assert isinstance(doc, CrossoverDocument)
    assert doc.not_computable == {
        "analysis": "ADSL has no variable XOVERFL, XOVERDT: crossover adjustment needs "
                    "XOVERFL and XOVERDT"}
    assert doc.itt.hazard_ratio.estimate is None
