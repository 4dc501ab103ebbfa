"""``netter extrapolate`` and its document: errors, determinism, partitioned survival."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from netter.adam.io import load_adam
from netter.artefacts import read_any
from netter.cli import main
from netter.endpoints.extrapolation import analyze_extrapolation
from netter.errors import NetterError
from netter.results import ExtrapolationDocument
from netter.stats.extrapolation import partitioned_survival

FINAL = "data/synthetic/netter1/final"
REF = "Octreotide LAR 60 mg"


@pytest.fixture(scope="module")
def data():
    return load_adam(FINAL)


def test_cli_writes_a_readable_document_byte_identical(tmp_path):
    args = ["extrapolate", "--data", FINAL, "--reference", REF, "--dists",
            "weibull,gompertz,spline1", "--joint", "--psm-pfs", "PFS", "--psm-os", "OS",
            "--psm-dists", "weibull,lognormal", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "a.json")]) == 0
    assert main([*args, "--out", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    doc = read_any(tmp_path / "a.json")
    assert isinstance(doc, ExtrapolationDocument)
    assert doc.settings.horizon == 240 and doc.settings.bic_n == "subjects"
    assert set(doc.endpoints) == {"OS", "PFS"}
    assert set(doc.endpoints["PFS"].arms[REF].models) == {"weibull"}
    occ = doc.partitioned_survival.arms[REF]
    total = occ.mean_progression_free + occ.mean_progressed + occ.mean_dead
    assert total == pytest.approx(240, abs=1e-9)
    assert json.loads((tmp_path / "a.json").read_text())["schema"] == "netter.extrapolation/1"


@pytest.mark.parametrize(("extra", "message"), [
    (["--horizon-years", "5"], "shorter than the follow-up of OS"),
    (["--knots", "0.5"], "outside the log event times"),
    (["--bootstrap", "10"], "needs --seed"),
    (["--dists", "weibul"], "unknown distribution"),
    (["--param", "XX"], "no PARAMCD 'XX'"),
])
def test_cli_errors(tmp_path, capsys, extra, message):
    code = main(["extrapolate", "--data", FINAL, "--reference", REF, "--dists", "spline1",
                 "--out", str(tmp_path / "x.json"), "--quiet", *extra])
    assert code == 1
    assert message in capsys.readouterr().err


def test_too_few_events_names_endpoint_and_arm(data):
    rows = data.adtte.copy()
    keep = ~((rows.PARAMCD == "OS") & (rows.CNSR == 0)) | (rows.index % 40 == 0)
    sparse = dataclasses.replace(data, adtte=rows[keep].reset_index(drop=True))
    with pytest.raises(NetterError, match=r"OS, arm '.*': too few events to fit spline3"):
        analyze_extrapolation(sparse, reference=REF, distributions=("spline3",))


def test_simulated_intervals_are_seeded(data):
    a = analyze_extrapolation(data, reference=REF, distributions=("weibull",), bootstrap=30,
                              seed=4)
    b = analyze_extrapolation(data, reference=REF, distributions=("weibull",), bootstrap=30,
                              seed=4)
    ca = a.endpoints["OS"].arms[REF].models["weibull"].prediction.curve
    assert ca == b.endpoints["OS"].arms[REF].models["weibull"].prediction.curve
    assert ca.ci_method.startswith("simulation (30 draws, seed 4)")
    s, lo, hi = (np.array(v[1:], float) for v in (ca.survival, ca.lower, ca.upper))
    assert np.all(lo <= s + 0.05) and np.all(hi >= s - 0.05)


def test_partitioned_survival_clips_and_reports():
    p = partitioned_survival([0, 1, 2, 3], [1, 0.9, 0.7, 0.5], [1, 0.8, 0.75, 0.4])
    assert p.clipped_times == (1.0, 3.0)
    assert p.clipped_max == pytest.approx(0.1)
    assert all(a <= b + 1e-15 for a, b in zip(p.progression_free, [1, 0.8, 0.75, 0.4],
                                                strict=True))
    none = partitioned_survival([0, 1], [1, 0.5], [1, 0.6])
    assert none.clipped_times == () and none.clipped_max == 0.0
