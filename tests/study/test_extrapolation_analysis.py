"""An extrapolation analysis declared by a study (``[analyses.extrapolation]``)."""

from __future__ import annotations

import pytest

from netter.endpoints.study import run_analysis
from netter.results.extrapolation import ExtrapolationDocument
from netter.study.load import parse_study
from netter.study.model import EXTRAPOLATION
from netter.study.toml import StudyError
from tests.netter1 import DATA, REF, study
from tests.study.test_own_data import ARMS, write_colon

BASE = {"id": "x", "title": "X", "reference": REF,
        "arms": [{"value": "177Lu-DOTATATE"}, {"value": REF}],
        "cutoffs": [{"name": "final", "date": "2021-01-14"}]}


def _study(tmp_path, extrapolation: dict, **analysis):
    entry = {"name": "ex", "cutoff": "final", "endpoints": ["OS"],
             "extrapolation": extrapolation, **analysis}
    return parse_study({**BASE, "analyses": [entry]}, tmp_path / "study.toml")


def test_the_extrapolation_table_is_read(tmp_path):
    s = _study(tmp_path, {"distributions": ["weibull", "lognormal"], "horizon_years": 10,
                          "joint": True, "psm": ["PFS", "OS", "weibull", "lognormal"]},
               endpoints=["OS", "PFS"])
    a = s.analysis("ex")
    assert a.kind == EXTRAPOLATION
    ex = a.extrapolation
    assert ex.distributions == ("weibull", "lognormal") and ex.horizon_years == 10
    assert ex.joint and ex.psm == ("PFS", "OS", "weibull", "lognormal")


@pytest.mark.parametrize(("extrapolation", "message"), [
    ({"distributions": ["cauchy"]}, "'cauchy' is not a distribution"),
    ({"psm": ["PFS", "OS"]}, "must be \\[PFS endpoint, OS endpoint"),
    ({"horizon_years": 0}, "must be a finite number > 0"),
    ({"colour": "red"}, "unknown key 'colour'"),
])
def test_a_bad_extrapolation_table_names_the_key(tmp_path, extrapolation, message):
    with pytest.raises(StudyError, match=message):
        _study(tmp_path, extrapolation)


def test_the_study_analysis_runs_as_declared(tmp_path):
    s = _study(tmp_path, {"distributions": ["exponential", "weibull"], "horizon_years": 20})
    doc = run_analysis(s, "ex", DATA)
    assert isinstance(doc, ExtrapolationDocument)
    assert doc.settings.horizon == pytest.approx(240.0)
    assert doc.settings.distributions == ("exponential", "weibull")
    assert doc.study.analysis == "ex" and doc.data.endswith("final")


def test_netter1_declares_its_extrapolation():
    a = study().analysis("os_pfs_extrapolation")
    assert a.kind == EXTRAPOLATION and a.endpoints == ("OS", "PFS")
    assert a.extrapolation.psm == ("PFS", "OS", "weibull", "weibull")


def test_data_without_the_endpoint_give_a_not_computable_document(tmp_path):
    data = write_colon(tmp_path / "adam")
    s = parse_study({"id": "c", "title": "C", "reference": "Observation",
                     "arms": [{"value": v} for v in ARMS.values()],
                     "cutoffs": [{"name": "final"}],
                     "analyses": [{"name": "ex", "cutoff": "final", "endpoints": ["PFS"],
                                   "extrapolation": {}}]}, tmp_path / "study.toml")
    doc = run_analysis(s, "ex", data)
    assert isinstance(doc, ExtrapolationDocument) and doc.endpoints == {}
    assert doc.not_computable["analysis"].startswith(
        "the ADTTE of cut-off final has no PARAMCD PFS")
