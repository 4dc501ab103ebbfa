"""Baseline characteristics by arm: the descriptive statistics behind the baseline table.

:func:`describe_baseline` summarises ADSL variables per arm and for all subjects:
counts and proportions of each level of a categorical variable, and n, mean,
standard deviation (``n - 1`` denominator, R ``sd``), median, minimum and maximum
of a numeric one, with the number of subjects missing the variable.  The
document (schema ``netter.baseline/1``) is written and read by
:mod:`netter.artefacts`; :mod:`netter.tables.baseline` formats it.

Examples
--------
>>> import pandas as pd
>>> adsl = pd.DataFrame({"USUBJID": ["a", "b", "c"], "TRT01P": ["X", "Y", "Y"],
...                      "AGE": [50.0, 60.0, 70.0], "SEX": ["F", "M", None]})
>>> doc = describe_baseline(adsl, variables=["AGE", "SEX"])
>>> [g.arm for g in doc.groups], doc.variables[0].groups[2].summary.mean
(['X', 'Y', 'Total'], 60.0)
>>> sex = doc.variables[1].groups[1]
>>> [(c.level, c.count) for c in sex.counts], sex.missing
([('F', 0), ('M', 1)], 1)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netter import __version__
from netter.adam import columns as col
from netter.adam.tte import labels
from netter.endpoints.arms import finite
from netter.endpoints.subgroups import level_order
from netter.endpoints.trial import variable_names
from netter.errors import NetterError
from netter.results import InputFile
from netter.results.baseline import (
    CATEGORICAL,
    CONTINUOUS,
    SCHEMA,
    TOTAL,
    BaselineDocument,
    BaselineGroup,
    BaselineVariable,
    GroupSummary,
    LevelCount,
    NumericSummary,
)


def _is_missing(values: pd.Series) -> np.ndarray:
    return (values.isna() | values.astype(str).str.strip().eq("")).to_numpy()


def numeric_summary(values) -> NumericSummary:
    """Descriptive statistics of the non-missing values (R ``mean``, ``sd``, ``median``).

    Examples
    --------
    >>> s = numeric_summary([1.0, 2.0, 4.0, float("nan")])
    >>> s.n, s.mean, round(s.sd, 6), s.median, s.minimum, s.maximum, s.whole
    (3, 2.3333333333333335, 1.527525, 2.0, 1.0, 4.0, True)
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return NumericSummary(0, None, None, None, None, None, False)
    sd = finite(np.std(x, ddof=1)) if x.size > 1 else None
    return NumericSummary(int(x.size), finite(x.mean()), sd, finite(np.median(x)),
                          finite(x.min()), finite(x.max()), bool(np.all(x == np.round(x))))


def _group(arm: str, values: pd.Series, kind: str, levels: tuple[str, ...]) -> GroupSummary:
    missing = _is_missing(values)
    present = values[~missing]
    if kind == CONTINUOUS:
        return GroupSummary(arm, len(values), int(missing.sum()),
                            summary=numeric_summary(present.to_numpy(dtype=float)))
    text = labels(present) if len(present) else np.array([], dtype=object)
    total = len(text)
    counts = tuple(LevelCount(lv, int(np.sum(text == lv)),
                              None if total == 0 else float(np.sum(text == lv) / total))
                   for lv in levels)
    return GroupSummary(arm, len(values), int(missing.sum()), counts=counts)


def describe_variable(adsl: pd.DataFrame, variable: str, arm_var: str,
                      arms: tuple[str, ...], label: str | None = None,
                      level_labels: dict[str, str] | None = None) -> BaselineVariable:
    """One variable summarised per arm and in total (numeric dtype: continuous)."""
    values = adsl[variable]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    kind = CONTINUOUS if numeric else CATEGORICAL
    present = values[~_is_missing(values)]
    levels = () if numeric or present.empty else level_order(labels(present))
    arm_values = adsl[arm_var].astype(str)
    groups = [_group(arm, values[arm_values == arm], kind, levels) for arm in arms]
    groups.append(_group(TOTAL, values, kind, levels))
    return BaselineVariable(variable=variable, kind=kind, levels=levels, groups=tuple(groups),
                            label=label,
                            level_labels=dict(level_labels) if level_labels else None)


def describe_baseline(adsl: pd.DataFrame, *, variables,
                      arm_var: str = col.DEFAULT_ARM_VAR, population_flag: str | None = None,
                      inputs: dict[str, InputFile] | None = None, variable_labels=None,
                      level_labels=None) -> BaselineDocument:
    """Subject-level variables of ADSL by arm (arms sorted, then ``"Total"``).

    Parameters
    ----------
    adsl : DataFrame
        Validated ADSL (numeric variables typed, e.g. ``AGE``).
    variables : sequence of str
        Variables to describe; those ADSL lacks are an error.
    arm_var : str
    population_flag : str, optional
        Only subjects with ``"Y"`` are described.
    inputs : dict, optional
        Input files to record.
    variable_labels, level_labels : mapping, optional
        Labels by variable and of each variable's levels (recorded in the document).

    Returns
    -------
    BaselineDocument
    """
    variables = variable_names(variables)
    needed = [v for v in (*variables, arm_var, *([population_flag] if population_flag else []))
              if v not in adsl.columns]
    if needed:
        raise NetterError(f"ADSL has no variable {', '.join(needed)} "
                          f"(it has {', '.join(map(str, adsl.columns))})")
    if population_flag:
        adsl = adsl.loc[adsl[population_flag].astype(str).str.upper().eq("Y")]
    adsl = adsl.loc[~_is_missing(adsl[arm_var])]
    arms = tuple(sorted(adsl[arm_var].astype(str).unique()))
    groups = tuple(BaselineGroup(a, int((adsl[arm_var].astype(str) == a).sum())) for a in arms)
    return BaselineDocument(
        schema=SCHEMA, generator=f"netter {__version__}", arm_var=arm_var,
        population_flag=population_flag, groups=(*groups, BaselineGroup(TOTAL, len(adsl))),
        variables=tuple(describe_variable(adsl, v, arm_var, arms,
                                          dict(variable_labels or {}).get(v),
                                          dict(level_labels or {}).get(v))
                        for v in variables),
        inputs=dict(inputs or {}))
