"""The explainer's JSON document, schema ``netter.explain/1``.

Keys: ``schema``, ``generator``, ``inputs`` (each dataset's path as given or relative to
the project, and SHA-256), ``param``, ``time_unit``, ``arm_var``, ``arms``,
``reference``, ``landmarks``, ``tau``, ``conf_level``, ``tolerance``, ``engines``
(id, label, what it is, library version, the options of a netter preset, warnings the
library raised), ``flips`` (every single-option flip of netter ``r`` searched),
``statistics`` (name, label, group, the value under each engine) and ``differences``
(statistic, group, engine, value, netter ``r``'s value, relative difference, the
flips that explain it, the closest flip, a pair of flips, the reason).  A value is a
number, ``null`` (not reached or not estimable) or ``"n/a"`` (the engine does not give
it).  Sorted keys, two-space indentation, no NaN, trailing newline: the same input gives
the same bytes.

Examples
--------
>>> SCHEMA
'netter.explain/1'
"""

from __future__ import annotations

import json
from importlib.metadata import version

from netter import __version__
from netter.explain.attribute import (
    COLUMNS,
    LABELS,
    PRESETS,
    TOLERANCE,
    Explanation,
    Flip,
    library_reason,
)
from netter.profiles import get_profile

SCHEMA = "netter.explain/1"

#: What each engine column is.
HOW = {
    "r": "netter, profile r (R survival, fisher.test conventions)",
    "sas": "netter, profile sas (SAS LIFETEST / PHREG / FREQ defaults)",
    "lifelines": "lifelines run live at its defaults",
    "statsmodels": "statsmodels run live at its defaults",
}


def _flip(f: Flip | None):
    if f is None:
        return None
    return {"option": f.option, "value": f.value, "profile": f.profile, "result": f.result}


def _engine(column: str, explanation: Explanation) -> dict:
    out = {"id": column, "label": LABELS[column], "how": HOW[column],
           "warnings": list(explanation.notes.get(column, ()))}
    if column in PRESETS:
        out["profile"] = get_profile(column).name
        out["options"] = get_profile(column).options()
    else:
        out["version"] = version(column)
    return out


def explanation_document(explanation: Explanation, inputs: dict | None = None) -> dict:
    """The JSON-ready document of an explanation.

    Parameters
    ----------
    explanation : Explanation
    inputs : dict, optional
        Dataset name to ``{"path": ..., "sha256": ...}``.

    Returns
    -------
    dict
    """
    inp = explanation.input
    columns = [c for c in COLUMNS if c in explanation.values]
    rows = [{"name": s.name, "label": s.label, "group": s.group,
             "values": {c: explanation.values[c][s] for c in columns}}
            for s in explanation.statistics]
    differences = [{
        "name": d.statistic.name, "label": d.statistic.label, "group": d.statistic.group,
        "engine": d.engine, "value": d.value, "r_value": d.r_value,
        "relative_difference": d.relative,
        "explained_by": [_flip(f) for f in d.explained_by],
        "explained": bool(d.explained_by),
        "closest_flip": _flip(d.closest),
        "pair": None if d.pair is None else [_flip(f) for f in d.pair],
        "library_cause": (library_reason(d.engine, d.statistic.name)
                          if not d.explained_by and d.pair is None else None),
        "reason": d.reason} for d in explanation.differences]
    return {
        "schema": SCHEMA,
        "generator": f"netter {__version__}",
        "inputs": inputs or {},
        "param": inp.param, "time_unit": inp.unit, "arm_var": inp.arm_var,
        "arms": list(inp.arms), "reference": inp.reference,
        "landmarks": list(inp.landmarks), "tau": inp.tau,
        "responders": (None if inp.responders is None else
                       {a: {"responders": x, "n": n} for a, (x, n) in inp.responders.items()}),
        "conf_level": explanation.conf_level, "tolerance": TOLERANCE,
        "engines": [_engine(c, explanation) for c in columns],
        "flips": [{"option": o, "value": v, "profile": p} for o, v, p in explanation.flips],
        "statistics": rows,
        "differences": differences,
    }


def dumps(document: dict) -> str:
    """The document as deterministic JSON text (sorted keys, no NaN, trailing newline).

    Examples
    --------
    >>> dumps({"b": 1, "a": [0.1, None]})
    '{\\n  "a": [\\n    0.1,\\n    null\\n  ],\\n  "b": 1\\n}\\n'
    """
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
