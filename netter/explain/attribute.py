"""Compare the engines with netter ``r`` and attribute every difference to one option.

For each statistic, the values of the four engines (netter ``r``, netter ``sas``,
lifelines and statsmodels run live) are compared with netter ``r``'s.  A value that
differs by more than :data:`TOLERANCE` (relative) is a :class:`Difference`; its cause is
searched by flipping one option of netter ``r`` at a time (every value of every option
of :data:`netter.profiles.OPTIONS` but the confidence level) and recomputing: the
flips whose value equals the engine's explain the difference.  When no single flip
does, the difference is "not explained by a single option", with the values, the
closest single flip and, when one exists, two flips that together reproduce it.

Examples
--------
>>> same(1.0, 1.0 + 1e-9), same(None, None), same(None, 2.0), same(0.5, 0.6)
(True, True, False, False)
>>> relative_difference(1.02, 1.0)
0.02
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.explain.compute import NA, Statistic, netter_values, statistics
from netter.explain.engines import ENGINES, engine_values
from netter.explain.inputs import ExplainInput
from netter.profiles import OPTION_NAMES, OPTIONS, get_profile

#: Two values are the same when they differ by at most this (relative).
TOLERANCE = 1e-6

#: The netter presets shown, as engines, and what each stands for.
PRESETS = {"r": "R", "sas": "SAS"}

#: Every engine column, in display order.
COLUMNS = ("r", "sas", *ENGINES)

#: How each column is labelled.
LABELS = {"r": "R", "sas": "SAS", "lifelines": "lifelines", "statsmodels": "statsmodels"}


def same(a, b, tol: float = TOLERANCE) -> bool:
    """Whether two values agree: both ``None``, or numbers within ``tol`` (relative)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(abs(a), abs(b))


def relative_difference(a: float, b: float) -> float:
    """``|a - b| / |b|`` (``|a - b|`` when ``b`` is 0), rounded to 12 significant digits."""
    diff = abs(a - b) / (abs(b) if b != 0 else 1.0)
    return float(f"{diff:.12g}")


def text(value) -> str:
    """A value as the explanations print it (6 significant digits, "not reached").

    Examples
    --------
    >>> text(0.123456789), text(None), text("n/a"), text(2.0)
    ('0.123457', 'not reached / not estimable', 'n/a', '2')
    """
    if value is None:
        return "not reached / not estimable"
    if value == NA:
        return NA
    return f"{value:.6g}"


@dataclass(frozen=True)
class Flip:
    """netter ``r`` with one option changed, and the value it gives."""

    option: str
    value: str
    profile: str
    result: float | None


@dataclass(frozen=True)
class Difference:
    """One engine's value of one statistic that differs from netter ``r``'s."""

    statistic: Statistic
    engine: str
    value: float | None
    r_value: float | None
    relative: float | None
    explained_by: tuple[Flip, ...]
    closest: Flip | None
    pair: tuple[Flip, Flip] | None
    reason: str


@dataclass(frozen=True)
class Explanation:
    """Every statistic under every engine, and every difference with its cause."""

    input: ExplainInput
    statistics: tuple[Statistic, ...]
    values: dict
    differences: tuple[Difference, ...]
    flips: tuple[tuple[str, str, str], ...]
    notes: dict
    conf_level: float

    def difference(self, engine: str, name: str, group: str) -> Difference | None:
        """The difference of ``engine`` in statistic ``name`` of ``group``, if any."""
        for d in self.differences:
            if d.engine == engine and d.statistic == Statistic(name, "", group):
                return d
        return None


def flip_profiles():
    """Every single-option flip of netter ``r``: ``(option, value, profile)``.

    Examples
    --------
    >>> flips = flip_profiles()
    >>> ("ci_transform", "log-log") in [(o, v) for o, v, _ in flips]
    True
    >>> all(p.name.startswith("r+") for _, _, p in flips)
    True
    """
    base = get_profile("r")
    out = []
    for name in OPTION_NAMES:
        if name == "conf_level":
            continue
        for value in OPTIONS[name].values:
            if value != getattr(base, name):
                out.append((name, value, get_profile("r", options={name: value})))
    return tuple(out)


def _closest(flips: list[Flip], target, r_value) -> Flip | None:
    """The flip nearest ``target`` among those that change the statistic at all."""
    numeric = [f for f in flips if f.result is not None and not same(f.result, r_value)]
    if target is None or not numeric:
        return None
    return min(numeric, key=lambda f: abs(f.result - target))


#: What a library does that no option of netter reproduces, by (engine, statistic): the
#: reason given when no single flip (or pair) explains a difference.
LIBRARY_REASONS = {
    ("statsmodels", "orr_lower"): "statsmodels' proportion_confint defaults to the normal "
    "(Wald) interval, which netter does not offer (it gives Clopper-Pearson or Wilson, "
    "--response-ci)",
    ("statsmodels", "odds_ratio"): "statsmodels' Table2x2 reports the sample odds ratio "
    "with 0.5 added to every cell when one is zero (Haldane-Anscombe) and a Woolf CI; "
    "netter adds nothing to the cells (odds_ratio=sample is then not estimable)",
    ("statsmodels", "logrank_p"): "statsmodels' survdiff computes the p-value as 1 - "
    "chi2.cdf, which loses digits below about 1e-10 (a library bug: docs/methods.md, "
    "Library oracles)",
    ("lifelines", "rmst_se"): "lifelines reports the spread of min(T, tau) "
    "(rmst_variance=lifelines) and integrates it numerically with quad, so it differs from "
    "that option by its integration error (docs/methods.md, Library oracles)",
}


def library_reason(engine: str, name: str) -> str | None:
    """The library behaviour behind a difference no netter option explains, if known.

    Examples
    --------
    >>> library_reason("statsmodels", "orr_upper").split(" defaults")[0]
    "statsmodels' proportion_confint"
    >>> library_reason("sas", "orr_upper") is None
    True
    """
    for (who, prefix), reason in LIBRARY_REASONS.items():
        if who == engine and name.startswith(prefix.rsplit("_lower", 1)[0]):
            return reason
    return None


def _reason(engine: str, stat: Statistic, value, r_value, explained, closest, pair) -> str:
    who = LABELS[engine]
    if explained:
        first = explained[0]
        meaning = OPTIONS[first.option].value_meanings[first.value]
        also = "".join(f"; {f.option}={f.value} does too" for f in explained[1:])
        return (f"{who} uses {first.option}={first.value} ({meaning}): netter r with that "
                f"one option changed gives {text(first.result)}, as {who} does{also}.")
    near = "; no single option of netter changes this statistic"
    if closest is not None:
        near = (f"; the closest single flip, {closest.option}={closest.value}, gives "
                f"{text(closest.result)}")
        if value is not None:
            near += f" (relative difference {relative_difference(closest.result, value):.2g})"
    both = ""
    if pair is not None:
        both = (f"; {pair[0].option}={pair[0].value} and {pair[1].option}={pair[1].value} "
                f"together give {text(pair[1].result)}")
    known = library_reason(engine, stat.name)
    cause = f" Cause: {known}." if known and pair is None else ""
    return (f"not explained by a single option: {who} gives {text(value)}, netter r gives "
            f"{text(r_value)}{near}{both}.{cause}")


def _pair(inp, stat, value, r_value, flips, flipped, cache) -> tuple[Flip, Flip] | None:
    """Two flips of different options that together give ``value`` (first found).

    One of the two must change the statistic on its own (e.g. ``landmark_rule=carry``
    makes a landmark estimable; ``ci_transform=log-log`` then changes its CI).
    """
    movers = [(o, v) for o, v, _ in flips
              if flipped[(o, v)][stat] != NA and not same(flipped[(o, v)][stat], r_value)]
    seen = set()
    for o1, v1 in movers:
        for o2, v2, _ in flips:
            if o1 == o2 or frozenset(((o1, v1), (o2, v2))) in seen:
                continue
            seen.add(frozenset(((o1, v1), (o2, v2))))
            key = tuple(sorted(((o1, v1), (o2, v2))))
            if key not in cache:
                cache[key] = netter_values(inp, get_profile("r", options=dict(key)))
            result = cache[key][stat]
            if result != NA and same(result, value):
                name = get_profile("r", options=dict(key)).name
                return (Flip(o1, v1, name, flipped[(o1, v1)][stat]), Flip(o2, v2, name, result))
    return None


def explain(inp: ExplainInput, *, engines=ENGINES) -> Explanation:
    """Compute every statistic under every engine and attribute every difference.

    Parameters
    ----------
    inp : ExplainInput
    engines : sequence of str
        The live engines to run (default both).

    Returns
    -------
    Explanation

    Examples
    --------
    >>> import numpy as np
    >>> from netter.explain.inputs import ExplainInput
    >>> inp = ExplainInput("PFS", "months", "TRT01P", ("Drug A", "Placebo"), "Placebo",
    ...                    {"Drug A": np.array([2.0, 4, 6, 8, 10, 12]),
    ...                     "Placebo": np.array([1.0, 2, 3, 5, 7, 9])},
    ...                    {"Drug A": np.array([1, 0, 1, 1, 0, 1]),
    ...                     "Placebo": np.array([1, 1, 1, 0, 1, 1])}, (4.0,), 9.0, None)
    >>> e = explain(inp, engines=("statsmodels",))
    >>> d = e.difference("statsmodels", "hazard_ratio", "Drug A vs Placebo")
    >>> [(f.option, f.value) for f in d.explained_by]
    [('ties', 'breslow')]
    >>> d.reason.split(":")[0]
    'statsmodels uses ties=breslow (Breslow approximation (SAS PHREG TIES=BRESLOW default))'
    """
    level = get_profile("r").conf_level
    stats = statistics(inp, level)
    values = {p: netter_values(inp, get_profile(p)) for p in PRESETS}
    notes: dict = {p: () for p in PRESETS}
    for engine in engines:
        values[engine], notes[engine] = engine_values(inp, engine)
    flips = flip_profiles()
    flipped = {(o, v): netter_values(inp, p) for o, v, p in flips}
    differences = []
    pairs: dict = {}
    for stat in stats:
        r_value = values["r"][stat]
        for engine in (c for c in COLUMNS if c in values and c != "r"):
            value = values[engine][stat]
            if value == NA or same(value, r_value):
                continue
            candidates = [Flip(o, v, p.name, flipped[(o, v)][stat]) for o, v, p in flips
                          if flipped[(o, v)][stat] != NA]
            explained = tuple(f for f in candidates
                              if same(f.result, value) and not same(f.result, r_value))
            closest = None if explained else _closest(candidates, value, r_value)
            pair = None if explained else _pair(inp, stat, value, r_value, flips, flipped, pairs)
            rel = (relative_difference(value, r_value)
                   if value is not None and r_value is not None else None)
            differences.append(Difference(
                stat, engine, value, r_value, rel, explained, closest, pair,
                _reason(engine, stat, value, r_value, explained, closest, pair)))
    return Explanation(inp, stats, values, tuple(differences),
                       tuple((o, v, p.name) for o, v, p in flips), notes, level)
