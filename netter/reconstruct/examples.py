"""The example inputs shipped in ``data/examples/reconstruction/`` and how they are made.

From a synthetic trial's cut-off (the committed example was made from
``data/synthetic/netter1/primary``), PFS by arm:

* ``pfs_curve.csv`` (``arm,time,survival``, months, fractions): both Kaplan-Meier curves
  digitised by the simulated person of :mod:`~netter.reconstruct.digitiser` (seed 2012);
* ``pfs_at_risk.csv``: numbers at risk every 3 months from 0 to 30, as printed under a
  figure; ``pfs_events.csv``: total events per arm;
* ``messy/``: the same figure digitised again (seed 2013) and exported the way
  WebPlotDigitizer does, one header-less ``time,survival`` file per arm with survival in
  percent, then made messy on purpose (:func:`make_messy`), with an at-risk table that
  stops at 24 months, rows out of order and one row repeated.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> clicks = pd.DataFrame({"time": [0.0, 1.0, 1.0, 2.0, 2.0, 3.0],
...                        "survival": [1.0, 1.0, 0.8, 0.8, 0.6, 0.6]})
>>> messy = make_messy(clicks, rng, swaps=1, duplicates=1, rises=1)
>>> bool(messy.iloc[0, 0] > 0), bool(messy.iloc[:, 1].max() > 1.5), len(messy)
(True, True, 7)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam.io import load_adam
from netter.adam.tte import derive_tte
from netter.reconstruct.digitiser import (
    at_risk_table,
    digitise_trial,
    events_table,
)
from netter.reconstruct.write import write_frame

CLEAN_SEED = 2012
MESSY_SEED = 2013
#: Length of the figure's time axis (months) and the at-risk times printed under it.
X_MAX = 33.0
AT_RISK_TIMES = tuple(float(t) for t in range(0, 31, 3))
#: The messy at-risk table stops here, so the curves run past its last time.
MESSY_LAST_AT_RISK = 24.0


def trial_pfs(adam_dir: str | os.PathLike):
    """PFS of a synthetic cut-off as :class:`~netter.adam.tte.TteData` (months)."""
    data = load_adam(adam_dir)
    return derive_tte(data.adsl, data.adtte, paramcd="PFS", arm_var=data.arm_var)


def make_messy(clicks: pd.DataFrame, rng: np.random.Generator, *, swaps: int = 4,
               duplicates: int = 3, rises: int = 4) -> pd.DataFrame:
    """One arm's clicks made messy the ways real exports are (two unnamed columns).

    The start click is replaced by one slightly off (0, 100); survival becomes percent
    with 4 decimals; ``swaps`` neighbouring clicks change places; ``duplicates`` clicks
    are repeated; ``rises`` clicks are raised by 0.3-0.8 percentage points (small upward
    jumps); the first click after the start is put just above 100.
    """
    time = clicks["time"].to_numpy(float).copy()
    surv = clicks["survival"].to_numpy(float).copy() * 100.0
    time[0], surv[0] = 0.21, 99.6
    if surv.size > 1:
        surv[1] = 100.3
    for k in rng.choice(np.arange(2, surv.size - 1), size=rises, replace=False):
        surv[k] += rng.uniform(0.3, 0.8)
    order = np.arange(time.size)
    for k in rng.choice(np.arange(2, time.size - 1), size=swaps, replace=False):
        order[[k, k + 1]] = order[[k + 1, k]]
    repeated = rng.choice(np.arange(2, time.size), size=duplicates, replace=False)
    order = np.insert(order, np.sort(repeated), order[np.sort(repeated)])
    return pd.DataFrame({0: np.round(time[order], 4), 1: np.round(surv[order], 4)})


def _messy_at_risk(at_risk: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    table = at_risk[at_risk["time"] <= MESSY_LAST_AT_RISK].reset_index(drop=True)
    table = table.iloc[rng.permutation(len(table))].reset_index(drop=True)
    return pd.concat([table, table.iloc[[0]]], ignore_index=True)


def messy_file(arm: str) -> str:
    """The default file name of an arm's messy curve: its label in lower case, letters and
    digits only, then ``_wpd.csv``.

    Examples
    --------
    >>> messy_file("Drug A 10 mg")
    'drug_a_10_mg_wpd.csv'
    """
    words = "".join(c if c.isalnum() else " " for c in arm.lower()).split()
    return "_".join(words) + "_wpd.csv"


def write_examples(adam_dir: str | os.PathLike, out: str | os.PathLike, *,
                   messy_files: dict[str, str] | None = None) -> list[Path]:
    """Write the example inputs (see the module notes) into ``out``; return the paths.

    ``messy_files`` names each arm's messy curve file (default :func:`messy_file`).  The
    same synthetic data always give the same bytes.
    """
    tte = trial_pfs(adam_dir)
    event = tte.event.astype(np.int64)
    folder, messy_dir = Path(out), Path(out) / "messy"
    messy_dir.mkdir(parents=True, exist_ok=True)
    curve = digitise_trial(tte.time, event, tte.arm, seed=CLEAN_SEED, x_max=X_MAX)
    at_risk = at_risk_table(tte.time, event, tte.arm, AT_RISK_TIMES)
    written = [write_frame(curve, folder / "pfs_curve.csv"),
               write_frame(at_risk, folder / "pfs_at_risk.csv"),
               write_frame(events_table(event, tte.arm), folder / "pfs_events.csv")]
    second = digitise_trial(tte.time, event, tte.arm, seed=MESSY_SEED, x_max=X_MAX)
    rng = np.random.default_rng(MESSY_SEED)
    names = messy_files or {arm: messy_file(arm) for arm in sorted(set(tte.arm))}
    for arm, name in names.items():
        messy = make_messy(second[second["arm"] == arm], rng)
        path = messy_dir / name
        messy.to_csv(path, index=False, header=False, lineterminator="\n")
        written.append(path)
    written.append(write_frame(_messy_at_risk(at_risk, rng), messy_dir / "at_risk.csv"))
    return written
