"""Stratification factors and baseline covariates as data: what each kind draws, how it acts.

A simulation config lists a trial's stratification factors (``[[strata]]`` tables, always
categorical) and baseline covariates (``[[covariates]]`` tables, whose ``kind`` is
``categorical``, ``binary`` or ``normal``).  Each table names the ADSL variable(s) it
writes; the keys of a kind are the fields of its class below (a field with a default is
an optional key).  Each kind

- draws its values with one call on the ``baseline`` random stream (:meth:`draw`):
  ``rng.choice`` for a categorical variable, ``rng.random`` for a binary one,
  ``rng.normal`` for a normal one (the order of the calls is set by
  :func:`netter.synthetic.population.baseline`);
- gives every subject a hazard ratio on progression and one on death, before and after
  progression (:meth:`hazard_ratios`): the HR of the drawn level for a categorical
  variable, the HR of the first level for a binary one, ``hr_per_10 ** ((x - hr_centre)
  / 10)`` for a normal one;
- lists what is wrong with its own keys (:meth:`problems`); the checks across tables
  (duplicate or reserved variables) are in :mod:`netter.synthetic.consistency`.

Examples
--------
>>> import numpy as np
>>> grade = Categorical("GRADE", ("G2", "G3"), (0.65, 0.35), progression_hr=(1.0, 1.5))
>>> columns = grade.draw(np.random.default_rng(1), 4)
>>> columns["GRADE"].tolist()
['G2', 'G3', 'G2', 'G3']
>>> [hr.tolist() for hr in grade.hazard_ratios(columns)]
[[1.0, 1.5, 1.0, 1.5], [1.0, 1.0, 1.0, 1.0]]
>>> table_label("covariates", 4, "LIVBURD")
'[[covariates]] #4 (LIVBURD)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from netter.errors import ConfigError
from netter.synthetic.schema import build_table

Floats = tuple[float, ...]
Strs = tuple[str, ...]


def _probability_problems(key: str, probs, levels=None) -> list[tuple[str, str]]:
    if any(p < 0 or p > 1 for p in probs):
        return [(key, f"{list(probs)} must lie in [0, 1]")]
    if levels is not None and len(probs) != len(levels):
        return [(key, f"{len(probs)} values for {len(levels)} levels")]
    if levels is not None and not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
        return [(key, f"{list(probs)} sum to {sum(probs)}, not 1")]
    return []


def _hr_problems(key: str, hrs, levels=None) -> list[tuple[str, str]]:
    if hrs is None:
        return []
    values = hrs if isinstance(hrs, tuple) else (hrs,)
    if levels is not None and len(values) != len(levels):
        return [(key, f"{len(values)} hazard ratios for {len(levels)} levels")]
    if any(v <= 0 for v in values):
        return [(key, f"{hrs} must be > 0")]
    return []


def _level_problems(levels) -> list[tuple[str, str]]:
    if not levels or len(set(levels)) != len(levels):
        return [("levels", f"{list(levels)} must be distinct and not empty")]
    return []


class _Table:
    """What every kind shares: the ADSL variables its table writes."""

    variable: str

    def variable_keys(self) -> dict[str, str]:
        """Config key -> ADSL variable, for every variable this table writes."""
        return {"variable": self.variable}

    @property
    def variables(self) -> Strs:
        """The ADSL variables written, in column order."""
        return tuple(self.variable_keys().values())


@dataclass(frozen=True)
class Categorical(_Table):
    """One of ``levels``, drawn with probabilities ``probs``; an HR per level (default 1).

    The kind of every ``[[strata]]`` table and of ``[[covariates]]`` with
    ``kind = "categorical"``.

    Examples
    --------
    >>> site = Categorical("PRIMSITE", ("Pancreas", "Other"), (0.5, 0.5))
    >>> site.variables, site.problems()
    (('PRIMSITE',), [])
    >>> Categorical("X", ("a", "b"), (0.5, 0.6)).problems()
    [('probs', '[0.5, 0.6] sum to 1.1, not 1')]
    """

    variable: str
    levels: Strs
    probs: Floats
    progression_hr: Floats | None = None
    death_hr: Floats | None = None

    kind: ClassVar[str] = "categorical"
    continuous: ClassVar[bool] = False

    def draw(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """Values for ``n`` subjects: ``{variable: levels}``."""
        index = rng.choice(len(self.levels), size=n, p=self.probs)
        return {self.variable: np.asarray(self.levels, dtype=object)[index]}

    def hazard_ratios(self, columns) -> tuple[np.ndarray, np.ndarray]:
        """Per-subject HR on progression and on death, from the drawn ``columns``."""
        values = np.asarray(columns[self.variable])
        index = np.full(len(values), -1, dtype=np.intp)
        for i, level in enumerate(self.levels):
            index[values == level] = i
        if (index < 0).any():
            raise KeyError(values[index < 0][0])
        ones = (1.0,) * len(self.levels)
        return (np.asarray(self.progression_hr or ones)[index],
                np.asarray(self.death_hr or ones)[index])

    def problems(self) -> list[tuple[str, str]]:
        """``(key, message)`` for each inconsistent key of this table."""
        return (_level_problems(self.levels)
                + _probability_problems("probs", self.probs, self.levels)
                + _hr_problems("progression_hr", self.progression_hr, self.levels)
                + _hr_problems("death_hr", self.death_hr, self.levels))


@dataclass(frozen=True)
class Binary(_Table):
    """``levels[0]`` with probability ``prob``, else ``levels[1]``; HRs of the first level.

    A flag is ``levels = ("Y", "N")``.

    Examples
    --------
    >>> flag = Binary("ALPELFL", ("Y", "N"), 0.35, progression_hr=1.25)
    >>> columns = flag.draw(np.random.default_rng(0), 3)
    >>> columns["ALPELFL"].tolist(), flag.hazard_ratios(columns)[0].tolist()
    (['N', 'Y', 'Y'], [1.0, 1.25, 1.25])
    """

    variable: str
    levels: Strs
    prob: float
    progression_hr: float = 1.0
    death_hr: float = 1.0

    kind: ClassVar[str] = "binary"
    continuous: ClassVar[bool] = False

    def draw(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """Values for ``n`` subjects: ``{variable: levels}``."""
        return {self.variable: np.where(rng.random(n) < self.prob, *self.levels)}

    def hazard_ratios(self, columns) -> tuple[np.ndarray, np.ndarray]:
        """Per-subject HR on progression and on death, from the drawn ``columns``."""
        first = np.asarray(columns[self.variable]) == self.levels[0]
        return (np.where(first, self.progression_hr, 1.0),
                np.where(first, self.death_hr, 1.0))

    def problems(self) -> list[tuple[str, str]]:
        """``(key, message)`` for each inconsistent key of this table."""
        if len(self.levels) != 2:
            return [("levels", f"{list(self.levels)} must be two levels [first, second]")]
        return (_level_problems(self.levels) + _probability_problems("prob", [self.prob])
                + _hr_problems("progression_hr", self.progression_hr)
                + _hr_problems("death_hr", self.death_hr))


@dataclass(frozen=True)
class Normal(_Table):
    """An integer: ``round(Normal(mean, sd))`` clipped to ``[min, max]``.

    Optionally with a constant unit column (``unit_variable`` = ``unit``), a grouping
    (``group_variable``: ``group_labels[i]`` for values in ``[group_cuts[i-1],
    group_cuts[i])``) and HRs per 10 units above ``hr_centre``.

    Examples
    --------
    >>> age = Normal("AGE", 60.0, 10.0, 18, 90, group_variable="AGEGR1",
    ...              group_cuts=(65.0,), group_labels=("<65", ">=65"),
    ...              hr_centre=60.0, death_hr_per_10=2.0)
    >>> columns = age.draw(np.random.default_rng(0), 3)
    >>> columns["AGE"].tolist(), columns["AGEGR1"].tolist()
    ([61, 59, 66], ['<65', '<65', '>=65'])
    >>> age.hazard_ratios({"AGE": np.array([50, 70])})[1].tolist()
    [0.5, 2.0]
    """

    variable: str
    mean: float
    sd: float
    min: int
    max: int
    unit_variable: str | None = None
    unit: str | None = None
    group_variable: str | None = None
    group_cuts: Floats | None = None
    group_labels: Strs | None = None
    hr_centre: float | None = None
    progression_hr_per_10: float | None = None
    death_hr_per_10: float | None = None

    kind: ClassVar[str] = "normal"
    continuous: ClassVar[bool] = True

    def variable_keys(self) -> dict[str, str]:
        """Config key -> ADSL variable, for every variable this table writes."""
        keys = {"variable": self.variable, "unit_variable": self.unit_variable,
                "group_variable": self.group_variable}
        return {key: value for key, value in keys.items() if value is not None}

    def draw(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """Values for ``n`` subjects: the variable, then its unit and group if any."""
        values = np.clip(np.rint(rng.normal(self.mean, self.sd, size=n)), self.min, self.max)
        values = values.astype(int)
        columns = {self.variable: values}
        if self.unit_variable is not None:
            columns[self.unit_variable] = np.full(n, self.unit, dtype=object)
        if self.group_variable is not None:
            group = np.searchsorted(np.asarray(self.group_cuts), values, side="right")
            columns[self.group_variable] = np.asarray(self.group_labels, dtype=object)[group]
        return columns

    def hazard_ratios(self, columns) -> tuple[np.ndarray, np.ndarray]:
        """Per-subject HR on progression and on death, from the drawn ``columns``."""
        values = np.asarray(columns[self.variable])
        return tuple(
            np.ones(len(values)) if hr is None else hr ** ((values - self.hr_centre) / 10.0)
            for hr in (self.progression_hr_per_10, self.death_hr_per_10))

    def problems(self) -> list[tuple[str, str]]:
        """``(key, message)`` for each inconsistent key of this table."""
        out = []
        if self.sd <= 0:
            out.append(("sd", f"{self.sd} must be > 0"))
        if not self.min < self.max:
            out.append(("max", f"{self.max} must be above min = {self.min}"))
        if (self.unit_variable is None) != (self.unit is None):
            out.append(("unit", "unit_variable and unit go together"))
        group = (self.group_variable, self.group_cuts, self.group_labels)
        if any(v is None for v in group) and any(v is not None for v in group):
            out.append(("group_variable", "group_variable, group_cuts and group_labels go "
                        "together"))
        elif self.group_cuts is not None:
            cuts = self.group_cuts
            if not cuts or any(a >= b for a, b in zip(cuts[:-1], cuts[1:], strict=True)):
                out.append(("group_cuts", f"{list(cuts)} must increase (at least one cut)"))
            elif len(self.group_labels) != len(cuts) + 1:
                out.append(("group_labels", f"{len(self.group_labels)} labels for "
                            f"{len(cuts)} cuts (need one more label than cuts)"))
        has_hr = (self.progression_hr_per_10, self.death_hr_per_10) != (None, None)
        if has_hr != (self.hr_centre is not None):
            out.append(("hr_centre", "needed with, and only with, progression_hr_per_10 or "
                        "death_hr_per_10"))
        return (out + _hr_problems("progression_hr_per_10", self.progression_hr_per_10)
                + _hr_problems("death_hr_per_10", self.death_hr_per_10))


#: ``[[covariates]]`` kinds and their classes.
KINDS = {cls.kind: cls for cls in (Categorical, Binary, Normal)}


def table_label(array: str, position: int, variable=None) -> str:
    """How errors name a table of an array: ``[[covariates]] #4 (LIVBURD)`` (from 1)."""
    label = f"[[{array}]] #{position}"
    return f"{label} ({variable})" if isinstance(variable, str) else label


def parse_factors(raw, source: str, array: str) -> tuple:
    """Build the ``[[strata]]`` (``array="strata"``) or ``[[covariates]]`` tables.

    ``raw`` is the parsed TOML value (None when the array is absent: no tables).  Strata
    tables are :class:`Categorical` and have no ``kind`` key; covariate tables need one.

    Examples
    --------
    >>> tables = [{"kind": "binary", "variable": "SEX", "levels": ["F", "M"], "prob": 0.5}]
    >>> parse_factors(tables, "my.toml", "covariates")
    (Binary(variable='SEX', levels=('F', 'M'), prob=0.5, progression_hr=1.0, death_hr=1.0),)
    >>> parse_factors([{"variable": "SEX"}], "my.toml", "covariates")
    Traceback (most recent call last):
    ...
    netter.errors.ConfigError: my.toml: [[covariates]] #1 (SEX) missing key 'kind'
    """
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(table, dict) for table in raw):
        raise ConfigError(f"{source}: [{array}] must be an array of tables ([[{array}]])")
    factors = []
    for position, table in enumerate(raw, start=1):
        where = f"{source}: {table_label(array, position, table.get('variable'))}"
        if array == "strata":
            factors.append(build_table(Categorical, table, where))
            continue
        values = dict(table)
        kind = values.pop("kind", None)
        if kind is None:
            raise ConfigError(f"{where} missing key 'kind'")
        if kind not in KINDS:
            raise ConfigError(f"{where} kind = {kind!r} must be one of {', '.join(KINDS)}")
        factors.append(build_table(KINDS[kind], values, where))
    return tuple(factors)
