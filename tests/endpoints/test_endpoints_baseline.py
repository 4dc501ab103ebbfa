"""Baseline characteristics: the descriptive statistics equal pandas' on the synthetic ADSL."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.artefacts import dumps, read_document, write_results
from netter.endpoints.baseline import describe_baseline
from netter.errors import NetterError
from netter.results import BaselineDocument
from netter.results.baseline import TOTAL
from tests.netter1 import study

#: The baseline variables of the NETTER-1 study, in table order.
DEFAULT_VARIABLES = study().baseline


@pytest.fixture(scope="module")
def adsl(synthetic_trial) -> pd.DataFrame:
    return load_adam(synthetic_trial / "primary").adsl


def test_numeric_summary_equals_pandas(adsl):
    doc = describe_baseline(adsl, variables=DEFAULT_VARIABLES)
    age = doc.variables[0]
    assert age.variable == "AGE" and age.kind == "continuous" and age.levels == ()
    for group in age.groups:
        values = adsl["AGE"] if group.arm == TOTAL else adsl.loc[adsl["TRT01P"] == group.arm,
                                                                  "AGE"]
        s = group.summary
        assert (s.n, group.n, group.missing) == (len(values), len(values), 0)
        assert s.mean == pytest.approx(values.mean(), rel=1e-12)
        assert s.sd == pytest.approx(values.std(ddof=1), rel=1e-12)
        assert (s.median, s.minimum, s.maximum) == (values.median(), values.min(), values.max())
        assert s.whole


def test_categorical_counts_and_proportions(adsl):
    doc = describe_baseline(adsl, variables=DEFAULT_VARIABLES)
    assert [g.arm for g in doc.groups] == ["177Lu-DOTATATE", "Octreotide LAR 60 mg", TOTAL]
    assert [g.n for g in doc.groups] == [116, 113, 229]
    for var in doc.variables[1:]:
        assert var.kind == "categorical"
        for group in var.groups:
            rows = adsl if group.arm == TOTAL else adsl[adsl["TRT01P"] == group.arm]
            counts = rows[var.variable].astype(str).value_counts()
            assert [c.count for c in group.counts] == [int(counts.get(lv, 0))
                                                      for lv in var.levels]
            assert sum(c.proportion for c in group.counts) == pytest.approx(1.0)
    liver = next(v for v in doc.variables if v.variable == "LIVBURD")
    assert liver.levels == ("<25%", "25-50%", ">50%")


def test_missing_values_population_flag_and_round_trip(tmp_path):
    adsl = pd.DataFrame({"USUBJID": list("abcdef"), "TRT01P": list("XXXYYY"),
                         "AGE": [50.0, np.nan, 70.5, 61.0, 62.0, 63.0],
                         "SEX": ["F", None, "M", "M", " ", "F"],
                         "ITTFL": list("YYYYYN")})
    doc = describe_baseline(adsl, variables=["age", "SEX"], population_flag="ITTFL")
    age, sex = doc.variables
    assert [g.n for g in doc.groups] == [3, 2, 5]
    assert age.groups[0].missing == 1 and age.groups[0].summary.n == 2
    assert not age.groups[0].summary.whole
    assert age.groups[1].summary.sd == pytest.approx(np.std([61.0, 62.0], ddof=1))
    assert sex.levels == ("F", "M") and [g.missing for g in sex.groups] == [1, 1, 2]
    assert [c.proportion for c in sex.groups[1].counts] == [0.0, 1.0]
    one = describe_baseline(adsl.iloc[:1], variables=["AGE"])
    assert one.variables[0].groups[0].summary.sd is None
    path = write_results(doc, tmp_path / "baseline.json")
    assert read_document(path, BaselineDocument) == doc
    assert '"schema": "netter.baseline/1"' in dumps(doc)


def test_unknown_variables_are_refused():
    adsl = pd.DataFrame({"USUBJID": ["a"], "TRT01P": ["X"]})
    with pytest.raises(NetterError, match="ADSL has no variable AGE"):
        describe_baseline(adsl, variables=["AGE"])
