"""Results files as plain JSON, and paths into them.

The scorecard reads results documents as JSON values rather than dataclasses, so a
file written by another netter version, or one missing an optional block, still gives
every row it can.  A path is dotted keys, each optionally followed by one selector in
brackets (dots inside brackets belong to the selector):

* ``[key=value]``: in a list, the one element whose ``key`` equals ``value``
  (numbers compared as numbers); on an object, a check that its ``key`` equals
  ``value``;
* ``[reference]``: in a list of objects with an ``arm`` key, the document's
  ``reference_arm``;
* ``[3]``: a list index.

Examples
--------
>>> doc = {"reference_arm": "B", "arms": [{"arm": "A 2.5 mg", "n": 3}, {"arm": "B", "n": 4}],
...        "rmst": {"tau": 24.0, "estimate": 20.1}}
>>> resolve(doc, "arms[arm=A 2.5 mg].n"), resolve(doc, "arms[reference].n")
(3, 4)
>>> resolve(doc, "rmst[tau=24].estimate")
20.1
>>> resolve(doc, "rmst[tau=12].estimate")
Traceback (most recent call last):
...
netter.scorecard.paths.PathError: rmst has tau 24.0, not 12
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from netter.errors import NetterError
from netter.results import DOCUMENT_TYPES

#: Documents the scorecard reads: results, subgroups and baseline documents.
READABLE = tuple(cls.schema_id for cls in DOCUMENT_TYPES)

_SEGMENT = re.compile(r"^(?P<key>[^.\[\]]+)(?:\[(?P<sel>[^\[\]]+)\])?$")
_PART = re.compile(r"[^.\[\]]+(?:\[[^\[\]]*\])?")


class PathError(NetterError):
    """A path that does not lead to a value in a results document."""


def _equal(found, wanted: str) -> bool:
    if isinstance(found, int | float) and not isinstance(found, bool):
        try:
            return float(found) == float(wanted)
        except ValueError:
            return False
    return str(found) == wanted


def segments(path: str) -> list[str]:
    """The segments of ``path``: split at dots outside brackets.

    Examples
    --------
    >>> segments("endpoints.OS.arms[arm=Drug 2.5 mg].median.estimate")
    ['endpoints', 'OS', 'arms[arm=Drug 2.5 mg]', 'median', 'estimate']
    """
    parts = _PART.findall(path)
    if ".".join(parts) != path:
        raise PathError(f"bad path {path!r}")
    return parts


def _select(doc: dict, value, selector: str, where: str):
    if isinstance(value, list):
        if selector.isdigit():
            index = int(selector)
            if index >= len(value):
                raise PathError(f"{where} has {len(value)} elements, no [{index}]")
            return value[index]
        if selector == "reference":
            key, wanted = "arm", str(doc.get("reference_arm"))
        elif "=" in selector:
            key, wanted = selector.split("=", 1)
        else:
            raise PathError(f"{where}: unknown selector [{selector}]")
        matches = [v for v in value if isinstance(v, dict) and _equal(v.get(key), wanted)]
        if len(matches) != 1:
            raise PathError(f"{where} has {len(matches)} elements with {key} {wanted}")
        return matches[0]
    if isinstance(value, dict) and "=" in selector:
        key, wanted = selector.split("=", 1)
        if not _equal(value.get(key), wanted):
            raise PathError(f"{where} has {key} {value.get(key)!r}, not {wanted}")
        return value
    raise PathError(f"{where}: cannot apply [{selector}]")


def resolve(doc: dict, path: str):
    """The value at ``path`` in the JSON document ``doc``.

    Raises
    ------
    PathError
        A key is missing or a selector matches nothing.
    """
    value = doc
    walked = []
    for segment in segments(path):
        match = _SEGMENT.match(segment)
        if match is None:
            raise PathError(f"bad path segment {segment!r} in {path!r}")
        key = match["key"]
        walked.append(key)
        where = ".".join(walked)
        if not isinstance(value, dict) or key not in value:
            raise PathError(f"no {where}")
        value = value[key]
        if match["sel"] is not None:
            value = _select(doc, value, match["sel"], where)
            walked[-1] = segment
    return value


def parent(path: str) -> str:
    """The path of the object holding ``path``'s value (``a.b.c`` -> ``a.b``).

    Examples
    --------
    >>> parent("arms[arm=A 2.5 mg].median.estimate")
    'arms[arm=A 2.5 mg].median'
    """
    return ".".join(segments(path)[:-1])


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed in a results file")


def load_json(path: str | os.PathLike) -> dict:
    """A JSON file as plain values (NaN and infinities refused)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise NetterError(f"{path}: cannot be read as JSON: {err}") from err
    if not isinstance(data, dict):
        raise NetterError(f"{path}: not a JSON object")
    return data


def find_results(sources) -> dict[str, Path]:
    """Results files by analysis name (the file stem) from files and folders.

    A folder contributes every ``*.json`` in it (not recursive) whose ``schema`` is
    one of :data:`READABLE`; other JSON files there (the scorecard itself) are
    skipped.  A file named explicitly must be such a document.

    Raises
    ------
    NetterError
        A source that does not exist, a named file that is not a results document,
        or two files with the same stem.
    """
    found: dict[str, Path] = {}
    for source in sources:
        source = Path(source)
        if source.is_dir():
            candidates = [p for p in sorted(source.glob("*.json"))
                          if load_json(p).get("schema") in READABLE]
        elif source.is_file():
            if load_json(source).get("schema") not in READABLE:
                raise NetterError(f"{source}: not a results document "
                                  f"(schema {', '.join(READABLE)})")
            candidates = [source]
        else:
            raise NetterError(f"{source}: no such file or folder")
        for path in candidates:
            if path.stem in found and found[path.stem] != path:
                raise NetterError(f"two results files named {path.stem}: "
                                  f"{found[path.stem]} and {path}")
            found[path.stem] = path
    return dict(sorted(found.items()))
