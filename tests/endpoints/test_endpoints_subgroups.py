"""``netter subgroups``: per-level Cox hazard ratios equal the Cox model fitted on the subset.

The interaction test is checked against R (survival 3.5.3) on the synthetic trial's
primary cut-off::

    d <- merge(adsl, adtte[adtte$PARAMCD == "PFS", ], by = "USUBJID")
    d$t <- d$AVAL / 30.4375; d$e <- 1 - pmin(d$CNSR, 1)
    d$arm <- relevel(factor(d$TRT01P), ref = "Octreotide LAR 60 mg"); d$g <- factor(d[[v]])
    anova(coxph(Surv(t, e) ~ arm + strata(g), data = d),
          coxph(Surv(t, e) ~ arm:g + strata(g), data = d))
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from netter.adam import columns as col
from netter.adam.io import load_adam
from netter.artefacts import dumps, read_document, read_results
from netter.cli import main
from netter.endpoints.subgroups import ALL_PATIENTS, SubgroupsDocument, analyze_subgroups
from netter.errors import NetterError
from netter.results import ResultsFormatError
from netter.stats.cox import cox_hazard_ratio
from tests.netter1 import ARM, REF

VARS = ("STRAT1R", "STRAT2R", "AGEGR1", "SEX", "PRIMSITE", "LIVBURD", "ALPELFL", "LGLESFL",
        "TUMGRD")
#: R anova() of the two models above: variable -> (chisq, df, p).
R_INTERACTION = {"AGEGR1": (2.88303462047, 1, 0.089517175923),
                 "LIVBURD": (1.20069843668, 2, 0.548620014465),
                 "STRAT1R": (0.378665478616, 2, 0.827511115405)}


@pytest.fixture(scope="module")
def subgroups(synthetic_trial, tmp_path_factory) -> tuple[SubgroupsDocument, pd.DataFrame]:
    out = tmp_path_factory.mktemp("subgroups") / "pfs.json"
    code = main(["subgroups", "--quiet", "--data", str(synthetic_trial / "primary"),
                 "--param", "PFS", "--vars", ",".join(VARS), "--out", str(out),
                 "--study", "netter1"])
    assert code == 0
    folder = synthetic_trial / "primary"
    adsl = pd.read_csv(folder / "adsl.csv", dtype=str)
    adtte = pd.read_csv(folder / "adtte.csv")
    frame = adsl.merge(adtte[adtte["PARAMCD"] == "PFS"], on="USUBJID")
    frame["months"] = col.days_to_months(frame["AVAL"].to_numpy(float))
    frame["event"] = frame["CNSR"] == 0
    return read_document(out, SubgroupsDocument), frame


def _cox(frame: pd.DataFrame, profile: str = "r"):
    return cox_hazard_ratio(frame["months"].to_numpy(), frame["event"].to_numpy(),
                            frame["TRT01P"].to_numpy(), reference=REF,
                            profile=profile)


def test_every_level_equals_the_cox_model_on_the_subset(subgroups):
    doc, frame = subgroups
    assert [v.variable for v in doc.variables] == list(VARS)
    overall = _cox(frame).effects[0]
    assert doc.overall.level == ALL_PATIENTS and doc.overall.variable is None
    assert doc.overall.hazard_ratio == pytest.approx(overall.hazard_ratio, rel=1e-12)
    checked = 0
    for variable in doc.variables:
        assert sum(lv.n for lv in variable.levels) + variable.missing == len(frame)
        for lv in variable.levels:
            subset = frame[frame[variable.variable] == lv.level]
            assert lv.n == len(subset) and lv.events == int(subset["event"].sum())
            assert [(a.arm, a.n, a.events) for a in lv.arms] == [
                (arm, int((subset["TRT01P"] == arm).sum()),
                 int(subset.loc[subset["TRT01P"] == arm, "event"].sum()))
                for arm in (ARM, REF)]
            if lv.hazard_ratio is None:
                assert lv.not_estimable_reason and lv.ci == (None, None)
                continue
            effect = _cox(subset).effects[0]
            assert lv.hazard_ratio == pytest.approx(effect.hazard_ratio, rel=1e-12)
            assert lv.ci == pytest.approx((effect.ci_lower, effect.ci_upper), rel=1e-12)
            assert lv.p_value == pytest.approx(effect.p_value, rel=1e-12)
            checked += 1
    assert checked >= 20


def test_levels_in_reading_order_and_degenerate_levels_explained(subgroups):
    doc, _ = subgroups
    levels = {v.variable: [lv.level for lv in v.levels] for v in doc.variables}
    assert levels["LIVBURD"] == ["<25%", "25-50%", ">50%"]
    assert levels["STRAT2R"] == ["<=6 months", ">6 months"]
    assert levels["AGEGR1"] == ["<65", ">=65"] and levels["STRAT1R"] == ["2", "3", "4"]
    primsite = next(v for v in doc.variables if v.variable == "PRIMSITE")
    reasons = {lv.level: lv.not_estimable_reason for lv in primsite.levels}
    assert reasons["Appendix"] == f"no subjects in arm {ARM!r}"
    assert "monotone likelihood" in reasons["Jejunum"]
    assert primsite.interaction.chisq is None
    assert "not estimable in level 'Appendix'" in primsite.interaction.not_estimable_reason


@pytest.mark.parametrize("variable", sorted(R_INTERACTION))
def test_interaction_test_matches_r(subgroups, variable):
    doc, _ = subgroups
    test = next(v for v in doc.variables if v.variable == variable).interaction
    chisq, df, p = R_INTERACTION[variable]
    assert test.chisq == pytest.approx(chisq, rel=1e-9)
    assert test.df == df and test.p_value == pytest.approx(p, rel=1e-9)


def test_sas_profile_uses_breslow_ties(synthetic_trial, subgroups):
    _, frame = subgroups
    doc = analyze_subgroups(load_adam(synthetic_trial / "primary"), paramcd="PFS",
                            variables=["sex"], profile="sas", conf_level=0.9, reference=REF)
    assert doc.methods.ties == "breslow" and doc.methods.conf_level == 0.9
    female = doc.variables[0].levels[0]
    assert female.level == "F"
    effect = cox_hazard_ratio(frame.loc[frame["SEX"] == "F", "months"].to_numpy(),
                              frame.loc[frame["SEX"] == "F", "event"].to_numpy(),
                              frame.loc[frame["SEX"] == "F", "TRT01P"].to_numpy(),
                              reference=REF, profile="sas").effects[0]
    assert female.hazard_ratio == pytest.approx(effect.hazard_ratio, rel=1e-12)
    assert female.ci[0] > effect.ci_lower  # 90% interval inside the 95% one


def test_document_is_canonical_and_typed(subgroups, tmp_path):
    doc, _ = subgroups
    text = dumps(doc)
    data = json.loads(text)
    assert data["schema"] == "netter.subgroups/1" and data["paramcd"] == "PFS"
    assert data["arm"] == ARM and data["reference_arm"] == REF
    path = tmp_path / "s.json"
    path.write_text(text)
    with pytest.raises(ResultsFormatError, match="netter reads 'netter.results/1'"):
        read_results(path)
    path.write_text(text.replace("netter.subgroups/1", "netter.results/1"))
    with pytest.raises(ResultsFormatError, match="netter reads 'netter.subgroups/1'"):
        read_document(path, SubgroupsDocument)


def test_missing_values_are_counted_not_dropped_from_other_subgroups(tmp_path):
    rng = np.random.default_rng(1)
    n = 40
    folder = tmp_path / "adam"
    folder.mkdir()
    ids = [f"S{i:03d}" for i in range(n)]
    sex = ["M", "F"] * (n // 2)
    sex[0] = ""
    pd.DataFrame({"USUBJID": ids, "TRT01P": [ARM, REF] * (n // 2),
                  "SEX": sex, "TUMGRD": ["G1"] * n}).to_csv(folder / "adsl.csv", index=False)
    pd.DataFrame({"USUBJID": ids, "PARAMCD": "PFS", "AVAL": rng.integers(10, 500, n),
                  "CNSR": rng.integers(0, 2, n)}).to_csv(folder / "adtte.csv", index=False)
    doc = analyze_subgroups(load_adam(folder), paramcd="PFS", variables=["SEX", "TUMGRD"],
                            reference=REF)
    sex_result, grade = doc.variables
    assert sex_result.missing == 1 and sum(lv.n for lv in sex_result.levels) == n - 1
    assert doc.overall.n == n and grade.levels[0].n == n
    assert grade.interaction.chisq is None
    assert grade.interaction.not_estimable_reason == "fewer than two levels"


@pytest.mark.parametrize(("options", "message"), [
    ({"variables": ["NOPE"]}, "ADSL has no variable NOPE"),
    ({"variables": ["SEX"], "paramcd": "XYZ"}, "no PARAMCD XYZ"),
    ({"variables": ["SEX"], "reference": "other"}, "is not an arm"),
])
def test_errors(synthetic_trial, options, message):
    options = {"paramcd": "PFS", "reference": REF, **options}
    with pytest.raises(NetterError, match=message):
        analyze_subgroups(load_adam(synthetic_trial / "primary"), **options)
