"""The inputs of a calibration, as one digest: a saved calibration is reused only when
every input is unchanged.

A calibration simulates and analyses hundreds of trials; its result is a function of
the study's files (the study, its simulator configuration, its published numbers, their
mapping to results and the calibration plan), the seeds, the library code that
simulates and analyses, and the numerical libraries underneath.  All of them go into
:func:`inputs_digest`; ``netter calibrate`` stores the digest in ``calibration.json``
(``inputs_sha256``) and reruns only when the digest differs (or with ``--force``).  The
number of worker processes is not an input: results do not depend on it.

The library code covered is :data:`LIBRARY_SOURCES`, relative to the ``netter``
package; a test runs a calibration and checks that every ``netter`` module it loaded is
covered, so the list cannot fall behind the code.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from netter.study.model import Study

#: Files and packages of ``netter`` a calibration runs (packages: every ``.py`` below).
LIBRARY_SOURCES = ("__init__.py", "errors.py", "profiles.py", "artefacts.py", "spreadsheet.py",
                   "adam", "endpoints", "engine", "published", "results", "scorecard", "stats",
                   "study", "synthetic", "tables/__init__.py", "tables/fmt.py")

#: Distributions whose numerics a calibration depends on (their versions are inputs).
NUMERIC_DISTRIBUTIONS = ("numpy", "pandas", "scipy")

#: Changes when the meaning of the digest changes (so older digests never match).
DIGEST_FORMAT = 2


def library_files(root: str | os.PathLike | None = None) -> list[Path]:
    """The ``netter`` sources named by :data:`LIBRARY_SOURCES`, sorted.

    Examples
    --------
    >>> files = library_files()
    >>> any(f.name == "km.py" for f in files), all(f.suffix == ".py" for f in files)
    (True, True)
    """
    base = Path(root) if root is not None else Path(__file__).resolve().parents[1]
    files: set[Path] = set()
    for entry in LIBRARY_SOURCES:
        path = base / entry
        files.update(path.rglob("*.py") if path.is_dir() else [path] if path.is_file() else [])
    return sorted(files, key=lambda p: p.relative_to(base).as_posix())


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def inputs_digest(study: Study, seeds, config_path: str | os.PathLike | None = None, *,
                  library_root: str | os.PathLike | None = None,
                  per_trial: bool = False) -> str:
    """SHA-256 of everything a calibration of ``study`` over ``seeds`` depends on.

    Parameters
    ----------
    study : Study
    seeds : iterable of int
        The seeds, in the order they are run.
    config_path : path-like, optional
        The simulator configuration used instead of the study's.
    library_root : path-like, optional
        The ``netter`` package folder (default: this one).
    per_trial : bool
        The per-trial path was asked for (``netter calibrate --per-trial``).

    Examples
    --------
    >>> from netter.study.load import load_study
    >>> study = load_study("netter1")
    >>> a = inputs_digest(study, range(1, 11))
    >>> len(a), a == inputs_digest(study, range(1, 11)), a == inputs_digest(study, range(1, 12))
    (64, True, False)
    """
    files = {"study": study.path, "simulation": config_path or study.simulation,
             "published": study.published, "scorecard": study.scorecard,
             "calibration": study.calibration}
    base = Path(library_root) if library_root is not None else Path(__file__).resolve().parents[1]
    parts = {
        "format": DIGEST_FORMAT,
        "seeds": [int(s) for s in seeds],
        "per_trial": bool(per_trial),
        "python": sys.version,
        "machine": platform.machine(),
        "versions": {name: _version(name) for name in NUMERIC_DISTRIBUTIONS},
        "study_files": {key: _sha256(Path(p)) if p is not None else None
                        for key, p in files.items()},
        "library": {f.relative_to(base).as_posix(): _sha256(f) for f in library_files(base)},
    }
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_digest(folder: str | os.PathLike, names) -> str | None:
    """The ``inputs_sha256`` of ``folder/calibration.json`` if every file of ``names`` is
    there and the JSON reads; otherwise None (the calibration must run).

    Examples
    --------
    >>> import tempfile
    >>> saved_digest(tempfile.mkdtemp(), ["calibration.json"]) is None
    True
    """
    folder = Path(folder)
    if not all((folder / name).is_file() for name in names):
        return None
    try:
        document = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = document.get("inputs_sha256") if isinstance(document, dict) else None
    return value if isinstance(value, str) else None
