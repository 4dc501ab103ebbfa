"""netter explain: attributed reasons, the JSON schema, determinism, errors.

Two inputs: the synthetic NETTER-1 primary cut-off (PFS) through the command line, and
the tiny hand-made folder of :mod:`tests.explain.tiny` whose differences are known.
"""

from __future__ import annotations

import json

import pytest

from netter.adam.io import load_adam
from netter.cli import main
from netter.explain import SCHEMA, explain, explain_input, explanation_document
from netter.explain.render import explanation_html
from tests.explain.tiny import ARM, REF, write_tiny
from tests.netter1 import ARM as N1_ARM
from tests.netter1 import PRIMARY
from tests.netter1 import REF as N1_REF

N1_CMP = f"{N1_ARM} vs {N1_REF}"


@pytest.fixture(scope="module")
def netter1(tmp_path_factory):
    """The command run twice on the synthetic trial: (json text, html text) per run."""
    runs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"explain{i}")
        assert main(["explain", "--data", str(PRIMARY), "--out", str(out), "--param", "PFS",
                     "--reference", N1_REF, "--quiet"]) == 0
        runs.append(((out / "explain.json").read_bytes(), (out / "explain.html").read_bytes()))
    return runs


@pytest.fixture(scope="module")
def n1doc(netter1):
    return json.loads(netter1[0][0])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = write_tiny(tmp_path_factory.mktemp("tiny") / "adam")
    inp = explain_input(load_adam(folder), param="PFS", reference=REF, landmarks=[1.5, 24])
    return explain(inp)


def _diff(doc, engine, name, group):
    found = [d for d in doc["differences"]
             if (d["engine"], d["name"], d["group"]) == (engine, name, group)]
    return found[0] if found else None


def _cause(d):
    return [(f["option"], f["value"]) for f in d["explained_by"]]


def test_byte_identical_reruns(netter1):
    assert netter1[0] == netter1[1]


def test_schema(n1doc):
    assert n1doc["schema"] == SCHEMA == "netter.explain/1"
    assert set(n1doc) >= {"schema", "generator", "inputs", "param", "time_unit", "arms",
                          "reference", "landmarks", "tau", "conf_level", "tolerance",
                          "engines", "flips", "statistics", "differences"}
    assert [g["id"] for g in n1doc["engines"]] == ["r", "sas", "lifelines", "statsmodels"]
    assert n1doc["arms"] == [N1_ARM, N1_REF] and n1doc["landmarks"] == [12.0, 24.0]
    assert n1doc["tau"] == 25.0 and n1doc["tolerance"] == 1e-6
    assert sorted(n1doc["inputs"]) == ["adrs", "adsl", "adtte"]
    assert all(len(f["sha256"]) == 64 for f in n1doc["inputs"].values())
    for row in n1doc["statistics"]:
        assert set(row["values"]) == {"r", "sas", "lifelines", "statsmodels"}
        for value in row["values"].values():
            assert value is None or value == "n/a" or isinstance(value, float)
    for d in n1doc["differences"]:
        assert set(d) >= {"name", "group", "engine", "value", "r_value", "explained_by",
                          "closest_flip", "pair", "reason", "relative_difference"}
        assert d["explained"] == bool(d["explained_by"])


def test_values_on_the_synthetic_trial(n1doc):
    rows = {(r["name"], r["group"]): r["values"] for r in n1doc["statistics"]}
    hr = rows[("hazard_ratio", N1_CMP)]
    assert round(hr["r"], 5) == 0.17598 and round(hr["sas"], 5) == 0.17691
    assert round(hr["statsmodels"], 5) == 0.17691 and round(hr["lifelines"], 5) == 0.17599
    assert rows[("median_upper", N1_ARM)] == {"r": None, "sas": None, "lifelines": None,
                                              "statsmodels": None}
    assert rows[("rmst", N1_REF)]["statsmodels"] == "n/a"
    assert rows[("score_p", N1_CMP)]["lifelines"] == "n/a"


def test_attributed_reasons_on_the_synthetic_trial(n1doc):
    lower = _diff(n1doc, "lifelines", "median_lower", N1_REF)
    assert ("ci_transform", "log-log") in _cause(lower)
    assert lower["reason"].startswith("lifelines uses ci_transform=log-log")
    assert _cause(_diff(n1doc, "sas", "survival_at_12_lower", N1_ARM)) == [
        ("ci_transform", "log-log")]
    assert _cause(_diff(n1doc, "statsmodels", "hazard_ratio", N1_CMP)) == [("ties", "breslow")]
    assert _cause(_diff(n1doc, "sas", "hazard_ratio", N1_CMP)) == [("ties", "breslow")]
    assert _cause(_diff(n1doc, "lifelines", "hazard_ratio", N1_CMP)) == [
        ("convergence", "lifelines")]
    sas_lr = _diff(n1doc, "sas", "lr_chisq", N1_CMP)
    assert _cause(sas_lr) == [("ties", "breslow")] and round(sas_lr["value"], 4) == 54.1170


def test_unexplained_differences_on_the_synthetic_trial(n1doc):
    # lifelines' RMST variance: the right option, but lifelines integrates it to ~4e-4
    se = _diff(n1doc, "lifelines", "rmst_se", N1_ARM)
    assert not se["explained"] and se["closest_flip"]["option"] == "rmst_variance"
    assert se["reason"].startswith("not explained by a single option")
    assert 1e-4 < abs(se["closest_flip"]["result"] - se["value"]) / se["value"] < 1e-3
    # statsmodels' Wald ORR interval and its 1 - cdf log-rank p: no netter option
    for name, group in (("orr_lower", N1_ARM), ("logrank_p", N1_CMP)):
        d = _diff(n1doc, "statsmodels", name, group)
        assert d["closest_flip"] is None
        assert "no single option of netter changes this statistic" in d["reason"]
    # nothing else differs from r for the log-rank chi-square or the point estimates of S
    assert _diff(n1doc, "statsmodels", "logrank_chisq", N1_CMP) is None
    assert all(_diff(n1doc, e, "survival_at_12", N1_ARM) is None
               for e in ("sas", "lifelines", "statsmodels"))


def test_html_on_the_synthetic_trial(netter1, n1doc):
    page = netter1[0][1].decode()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "<script" not in page and "http" not in page
    assert page.count('class="diff"') == len(n1doc["differences"])
    assert "statsmodels uses ties=breslow" in page


def test_tiny_median_rules(tiny):
    lifelines = tiny.difference("lifelines", "median", ARM)
    assert (lifelines.value, lifelines.r_value) == (2.0, 2.5)
    assert [(f.option, f.value) for f in lifelines.explained_by] == [("quantile_rule", "first")]
    statsmodels = tiny.difference("statsmodels", "median", ARM)
    assert statsmodels.value == 3.0 and not statsmodels.explained_by  # first S(t) < 1/2
    assert statsmodels.reason.startswith("not explained by a single option: statsmodels "
                                         "gives 3, netter r gives 2.5")


def test_tiny_landmark_after_a_censored_end(tiny):
    """R (extend=TRUE) and lifelines carry S past the censored end; SAS prints NE."""
    assert tiny.difference("lifelines", "survival_at_24", REF) is None
    s = tiny.difference("sas", "survival_at_24", REF)
    assert s.value is None and round(s.r_value, 6) == 0.222222
    assert ("landmark_rule", "ne") in [(f.option, f.value) for f in s.explained_by]
    lower = tiny.difference("lifelines", "survival_at_24_lower", REF)
    assert [(f.option, f.value) for f in lower.explained_by] == [("ci_transform", "log-log")]


def test_tiny_ties_convergence_and_rmst(tiny):
    cmp = f"{ARM} vs {REF}"
    assert [(f.option, f.value) for f in
            tiny.difference("statsmodels", "hazard_ratio", cmp).explained_by] == [
        ("ties", "breslow")]
    sas = tiny.difference("sas", "hazard_ratio", cmp)
    assert not sas.explained_by and sas.closest.option == "ties"
    assert {(f.option, f.value) for f in sas.pair} == {("ties", "breslow"),
                                                      ("convergence", "gconv")}
    se = tiny.difference("lifelines", "rmst_se", ARM)
    assert (se.value, se.r_value) == pytest.approx((1.118033988749895, 0.5590169943749475))
    assert [(f.option, f.value) for f in se.explained_by] == [("rmst_variance", "lifelines")]


def test_tiny_html_is_escaped(tiny):
    page = explanation_html(explanation_document(tiny))
    assert "Drug &lt;A&gt; &amp; co" in page and "Drug <A>" not in page


def test_no_response_data(tmp_path):
    folder = write_tiny(tmp_path / "adam", adrs=False)
    e = explain(explain_input(load_adam(folder), param="PFS", reference=REF))
    names = {s.name for s in e.statistics}
    assert "orr" not in names and "odds_ratio" not in names and "hazard_ratio" in names


def test_bad_input_exits_1_naming_file_and_variable(tmp_path, capsys):
    folder = write_tiny(tmp_path / "adam")
    out = str(tmp_path / "out")
    assert main(["explain", "--data", str(folder), "--out", out, "--reference", REF,
                 "--param", "OS"]) == 1
    assert "adtte.csv: PARAMCD 'OS' not found" in capsys.readouterr().err
    assert main(["explain", "--data", str(folder), "--out", out, "--reference", "X"]) == 1
    assert "adsl.csv: reference arm 'X' is not a value of TRT01P" in capsys.readouterr().err
    assert main(["explain", "--data", str(folder), "--out", out]) == 1
    assert "no reference arm given" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["explain", "--data", str(folder)])
    assert exit_.value.code == 2


def test_every_difference_on_the_synthetic_trial_has_a_cause(n1doc):
    """An option, a pair of options, or a named library behaviour (no bare unexplained)."""
    for d in n1doc["differences"]:
        assert d["explained_by"] or d["pair"] or d["library_cause"], (d["engine"], d["name"])
    causes = {(d["engine"], d["name"]) for d in n1doc["differences"]
              if d["library_cause"]}
    assert ("statsmodels", "logrank_p") in causes and ("lifelines", "rmst_se") in causes
    logrank = next(d for d in n1doc["differences"]
                   if (d["engine"], d["name"]) == ("statsmodels", "logrank_p"))
    assert "1 - chi2.cdf" in logrank["reason"]
