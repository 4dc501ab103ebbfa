"""The one place results documents are written to and read from disk.

A results file is UTF-8 JSON with sorted keys, two-space indentation, no NaN or
infinity (``allow_nan=False``: not estimable is ``null``), floats in Python's
shortest round-trip form (``repr``: reading gives back the same binary value), no
timestamps and a trailing newline.  The same document therefore always gives the
same bytes, and a file read back and written again is byte-identical.

Examples
--------
>>> from netter.results import ExcludedSubject
>>> dumps(ExcludedSubject("S1", "no PFS record in ADTTE"))
'{\\n  "reason": "no PFS record in ADTTE",\\n  "usubjid": "S1"\\n}\\n'
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from netter.results import (
    DOCUMENT_TYPES,
    ResultsDocument,
    ResultsFormatError,
    from_json_dict,
    to_json_dict,
)


def dumps(obj) -> str:
    """Serialise a results dataclass to the canonical JSON text (trailing newline).

    Parameters
    ----------
    obj : dataclass
        A :class:`~netter.results.ResultsDocument` or any of its parts.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        A non-finite float in ``obj``.

    Examples
    --------
    >>> from netter.results import ArmCount
    >>> print(dumps(ArmCount("Drug A", 116, 23, 47.0)), end="")
    {
      "arm": "Drug A",
      "expected": 47.0,
      "n": 116,
      "observed": 23
    }
    """
    text = json.dumps(to_json_dict(obj), sort_keys=True, indent=2, allow_nan=False,
                      ensure_ascii=False)
    return text + "\n"


def write_results(document: ResultsDocument, path: str | os.PathLike) -> Path:
    """Write ``document`` to ``path`` atomically (a temporary file, then a rename).

    Parameters
    ----------
    document : ResultsDocument
    path : str or path-like
        Destination; its folder must exist.

    Returns
    -------
    Path
        ``path``, with the permissions the umask gives a new file (0644 with the usual
        umask 022), as every other output.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from netter.results import ExcludedSubject
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> write_results(ExcludedSubject("S1", "why"), out).read_text().startswith("{")
    True
    """
    path = Path(path)
    text = dumps(document)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; files get the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_results(path: str | os.PathLike) -> ResultsDocument:
    """Read a ``netter analyze`` results file written by :func:`write_results`.

    Raises
    ------
    ResultsFormatError
        Not JSON, NaN/Infinity present, or not a ``netter.results/1`` document.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "r.json"
    >>> _ = bad.write_text('{"schema": "other/2"}')
    >>> try:
    ...     read_results(bad)
    ... except ResultsFormatError as err:
    ...     print(err)
    r.json: schema is 'other/2'; netter reads 'netter.results/1' documents
    """
    return read_document(path, ResultsDocument)


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read_json(path: Path):
    """The JSON of ``path``; a missing, unreadable or malformed file is one clear error.

    Examples
    --------
    >>> _read_json(Path("/no/such/results.json"))
    Traceback (most recent call last):
    ...
    netter.results.codec.ResultsFormatError: /no/such/results.json: file not found
    """
    if not path.exists():
        folder = path.parent
        near = sorted(p.name for p in folder.glob("*.json"))[:10] if folder.is_dir() else []
        where = f" ({folder} has {', '.join(near)})" if near else ""
        raise ResultsFormatError(f"{path}: file not found{where}")
    if path.is_dir():
        raise ResultsFormatError(f"{path}: a folder, not a results file")
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except OSError as err:
        raise ResultsFormatError(f"{path}: cannot be read ({err.strerror or err})") from err
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as err:
        raise ResultsFormatError(f"{path.name}: cannot be read as JSON: {err}") from err


def read_document(path: str | os.PathLike, cls: type):
    """Read a document of class ``cls`` (e.g. the subgroups document) written by
    :func:`write_results`; the ``schema`` must be ``cls.schema_id`` when it has one.

    Raises
    ------
    ResultsFormatError
        Not JSON, NaN/Infinity present, or not a ``cls`` document.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from netter.results import ExcludedSubject
    >>> path = write_results(ExcludedSubject("S1", "why"),
    ...                      pathlib.Path(tempfile.mkdtemp()) / "e.json")
    >>> read_document(path, ExcludedSubject)
    ExcludedSubject(usubjid='S1', reason='why')
    """
    path = Path(path)
    data = _read_json(path)
    try:
        return from_json_dict(cls, data)
    except ResultsFormatError as err:
        raise ResultsFormatError(f"{path.name}: {err}") from err


def read_any(path: str | os.PathLike):
    """Read any document netter writes (results, subgroups, baseline, crossover), by its
    ``schema``.

    Raises
    ------
    ResultsFormatError
        Not JSON, or a schema netter does not write.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "d.json"
    >>> _ = bad.write_text('{"schema": "other/2"}')
    >>> read_any(bad)
    Traceback (most recent call last):
    ...
    netter.results.codec.ResultsFormatError: d.json: schema 'other/2' is not one of ...
    """
    path = Path(path)
    data = _read_json(path)
    schema = data.get("schema") if isinstance(data, dict) else None
    for cls in DOCUMENT_TYPES:
        if schema == cls.schema_id:
            return read_document(path, cls)
    known = ", ".join(cls.schema_id for cls in DOCUMENT_TYPES)
    raise ResultsFormatError(f"{path.name}: schema {schema!r} is not one of {known}")


def output_stem(name: str, kind: str, paramcd: str | None = None, *,
                several: bool = False) -> str:
    """The file stem of a table or figure: ``<name>--<kind>``, or
    ``<name>-<paramcd>--<kind>`` for one endpoint of a document with ``several``.

    Examples
    --------
    >>> output_stem("efficacy", "km", "PFS"), output_stem("main", "km", "OS", several=True)
    ('efficacy--km', 'main-os--km')
    """
    if several and paramcd is not None:
        return f"{name}-{paramcd.lower()}--{kind}"
    return f"{name}--{kind}"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed (not estimable values are null)")
