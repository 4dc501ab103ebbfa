"""Write a simulated trial to disk: one folder per cut-off with adsl/adtte/adrs CSV files.

Files are byte-identical for the same config and seed: fixed column and row order,
ISO dates, ``\\n`` line ends, and a ``MANIFEST.json`` with sorted keys, the seed, the
config's file name and SHA-256 (of the text of the file at ``config.source``), the keys
changed after reading it (``overrides``, only when there are any:
:func:`netter.synthetic.config.override_config`) and every file's SHA-256 (no timestamps,
no absolute paths).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from tqdm import tqdm

from netter import __version__
from netter.adam import columns as col
from netter.synthetic.lock import lock_database
from netter.synthetic.trial import simulate_trial


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _seed_record(seed) -> dict:
    if isinstance(seed, np.random.SeedSequence):
        return {"seed": int(seed.entropy), "trial": int(seed.spawn_key[-1])}
    return {"seed": seed}


def write_trial(config, *, seed, out: Path, progress: bool = True) -> list[Path]:
    """Simulate ``config`` with ``seed`` and write every cut-off under ``out``.

    Parameters
    ----------
    config : TrialConfig
    seed : int, numpy.random.SeedSequence or None
        None uses the config's seed; a SeedSequence is one trial of a Monte Carlo run
        (:func:`netter.synthetic.outcomes.trial_seed`), recorded in the manifest as the
        run's seed and the trial number.
    out : Path
        Output folder; ``out/<cutoff name>/{adsl,adtte,adrs}.csv`` and ``out/MANIFEST.json``.
    progress : bool
        Show a progress bar over cut-offs on stderr.

    Returns
    -------
    list of Path
        The files written, manifest last.

    Examples
    --------
    >>> import tempfile
    >>> from netter.synthetic.config import load_config
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     config = load_config("studies/netter1/simulation.toml")
    ...     paths = write_trial(config, seed=7, out=Path(tmp), progress=False)
    ...     [p.name for p in paths][:3]
    ['adsl.csv', 'adtte.csv', 'adrs.csv']
    """
    trial = simulate_trial(config, seed=seed)
    out = Path(out)
    written: list[Path] = []
    cutoffs = list(zip(config.cutoffs.names, config.cutoffs.dates, strict=True))
    for name, date in tqdm(cutoffs, desc="cut-offs", disable=not progress, unit="lock"):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for dataset, frame in lock_database(config, trial, date).items():
            path = folder / f"{dataset}.csv"
            frame.to_csv(path, index=False, lineterminator="\n")
            written.append(path)
    manifest = out / "MANIFEST.json"
    config_text = Path(config.source).read_text("utf-8")
    content = {
        "generator": f"netter {__version__} (netter.synthetic)",
        **_seed_record(trial.seed),
        "config": Path(config.source).name,
        "config_sha256": hashlib.sha256(config_text.encode("utf-8")).hexdigest(),
        "cutoffs": {name: str(date) for name, date in cutoffs},
        "subjects": {name: int((trial.subjects["randdt"] <= str(date)).sum())
                     for name, date in cutoffs},
        "datasets": list(col.DATASETS),
        "files": {p.relative_to(out).as_posix(): _sha256(p) for p in written},
    }
    if config.overrides:  # keys changed after reading the file (override_config)
        content["overrides"] = {name: value for name, value in config.overrides}
    manifest.write_text(json.dumps(content, indent=2, sort_keys=True, default=str) + "\n",
                        encoding="utf-8")
    return [*written, manifest]
