"""A design study end to end, reusing a run whose inputs have not changed.

:func:`design_study` runs ``netter design`` from code (notebooks, scripts): scenarios,
run, outputs.  Its ``design.json`` records the SHA-256 of everything the numbers depend
on (:func:`inputs_digest`): the study and simulator files, the run's settings and the
sources of the engine, the simulator and the estimators.  With ``reuse=True`` a folder
whose ``design.json`` has the same digest is kept as it is, so a report can show a
10,000-trial study and still rebuild in seconds when nothing it depends on changed.

Examples
--------
>>> import tempfile
>>> from netter.study import load_study
>>> out = tempfile.mkdtemp()
>>> first = design_study(load_study("studies/netter2/study.toml"), out, trials=2, seed=1,
...                      progress=False, figures=False)
>>> again = design_study(load_study("studies/netter2/study.toml"), out, trials=2, seed=1,
...                      progress=False, figures=False, reuse=True)
>>> first.reused, again.reused, again.document["inputs_sha256"] == first.digest
(False, True, True)
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import netter

#: Packages and modules whose sources the numbers of a design run depend on.
SOURCES = ("engine", "synthetic", "stats", "profiles.py", "adam/columns.py", "errors.py")


def _source_files() -> list[Path]:
    root = Path(netter.__file__).resolve().parent
    files = []
    for name in SOURCES:
        path = root / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [root / "__init__.py", *files]


def inputs_digest(study, settings: dict) -> str:
    """SHA-256 of the study and simulator files, ``settings`` and the library sources.

    Examples
    --------
    >>> from netter.study import load_study
    >>> study = load_study("studies/netter2/study.toml")
    >>> inputs_digest(study, {"trials": 1}) == inputs_digest(study, {"trials": 2})
    False
    """
    digest = hashlib.sha256()
    root = Path(netter.__file__).resolve().parent

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("settings", json.dumps(settings, sort_keys=True, default=str).encode())
    for path in (study.path, study.simulation):
        if path is not None:
            add(Path(path).name, Path(path).read_bytes())
    for path in _source_files():
        add(path.relative_to(root).as_posix(), path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class DesignOutcome:
    """What :func:`design_study` did: the document, the files, whether it reused them."""

    document: dict
    paths: tuple[Path, ...]
    reused: bool
    digest: str


def _existing(out: Path, digest: str, trials_csv: bool):
    path = out / "design.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if document.get("inputs_sha256") != digest or (
            trials_csv and not (out / "trials.csv").is_file()):
        return None
    return document


def design_study(study, out: str | os.PathLike, *, trials: int, seed: int | None = None,
                 sets=(), varies=(), alpha: float = 0.05, reuse: bool = False,
                 client=None, chunk_size: int | None = None, progress: bool = True,
                 figures: bool = True, trials_csv: bool = True) -> DesignOutcome:
    """Run (or, with ``reuse``, keep) the design study of ``study`` in ``out``.

    Parameters
    ----------
    study : Study
    out : path
        Output folder (``design.json``, ``trials.csv``, figures).
    trials, seed, sets, varies, alpha
        As ``netter design --trials --seed --set --vary --alpha`` (``seed`` default: the
        simulator config's).
    reuse : bool
        Keep ``out`` when its ``design.json`` has the same inputs digest.
    client : distributed.Client, optional
    chunk_size : int, optional
    progress, figures : bool
    trials_csv : bool
        Write ``trials.csv`` (a report keeps only the summary and the figures).

    Returns
    -------
    DesignOutcome
    """
    from netter.engine.design import build_scenarios, design_spec
    from netter.engine.output import write_design
    from netter.engine.run import CHUNK_SIZE, run_design

    spec = design_spec(study)
    scenarios = build_scenarios(sets, varies)
    seed = spec.config.trial.seed if seed is None else int(seed)
    settings = {"trials": trials, "seed": seed, "set": list(sets), "vary": list(varies),
                "alpha": alpha, "figures": figures, "trials_csv": trials_csv}
    digest = inputs_digest(study, settings)
    out = Path(out)
    if reuse:
        document = _existing(out, digest, trials_csv)
        if document is not None:
            names = {"design.json", *(["trials.csv"] if trials_csv else []),
                     *(f"{stem}.{ext}" for stem in ("power", "hazard-ratios")
                       for ext in ("png", "svg") if figures)}
            paths = sorted(out / name for name in names if (out / name).is_file())
            return DesignOutcome(document, tuple(paths), True, digest)
    run = run_design(spec, scenarios, trials=trials, seed=seed,
                     chunk_size=chunk_size or CHUNK_SIZE, client=client, progress=progress)
    paths = write_design(run, out, alpha=alpha, figures=figures, inputs_sha256=digest,
                         trials=trials_csv)
    document = json.loads((out / "design.json").read_text(encoding="utf-8"))
    return DesignOutcome(document, tuple(paths), False, digest)
