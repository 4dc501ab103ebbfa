"""Round trips: patient data -> figure inputs -> simulated digitising -> reconstruction.

:func:`round_trip` does one: it draws the Kaplan-Meier curves' corners, digitises them
as a person would (:mod:`~netter.reconstruct.digitiser`), writes the curve, the numbers
at risk and the total events as the CSV files a user would give ``netter
reconstruct``, reconstructs from those files, and scores the result against the
original (:func:`~netter.reconstruct.agreement.agreement_table`).  :func:`round_trips`
repeats it over seeds and summarises the worst error of each measure per seed.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(5)
>>> data = Patients(np.round(rng.exponential(12, 200), 2), rng.random(200) < 0.8,
...                 np.repeat(["a", "b"], 100))
>>> rec, card = round_trip(data, reference="a", risk_times=[0, 6, 12, 18],
...                        landmarks=[12], seed=1)
>>> [int(a.fit.patient_time.size) for a in rec.arms]
[100, 100]
>>> float(card.loc[card["measure"] == "at risk", "error"].max())
0.0
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from netter.reconstruct.agreement import Patients, Targets, agreement_table, all_passed
from netter.reconstruct.digitiser import Digitiser, at_risk_table, digitise_trial, events_table
from netter.reconstruct.pipeline import Reconstruction, reconstruct

MEASURES = ("hazard ratio", "median", "landmark", "at risk")


def reconstructed_patients(rec: Reconstruction) -> Patients:
    """The reconstructed patients of every arm as one :class:`Patients`."""
    return Patients(np.concatenate([a.fit.patient_time for a in rec.arms]),
                    np.concatenate([a.fit.patient_event for a in rec.arms]),
                    np.concatenate([[a.arm] * a.fit.patient_time.size for a in rec.arms]))


def _write_inputs(original: Patients, folder: Path, *, seed, risk_times, how, x_max):
    time, event, arm = original.arrays()
    axis = float(time.max()) if x_max is None else float(x_max)
    digitise_trial(time, event, arm, seed=seed, x_max=axis, how=how).to_csv(
        folder / "curve.csv", index=False)
    at_risk_table(time, event, arm, risk_times).to_csv(folder / "at_risk.csv", index=False)
    events_table(event, arm).to_csv(folder / "events.csv", index=False)


def round_trip(original, *, reference: str, risk_times, landmarks=(), seed: int = 0,
               time_unit: str = "months", how: Digitiser | None = None,
               x_max: float | None = None, with_events: bool = True, folder=None,
               targets: Targets | None = None) -> tuple[Reconstruction, pd.DataFrame]:
    """One round trip; returns the reconstruction and its scorecard.

    Parameters
    ----------
    original : Patients or object with ``time``, ``event``, ``arm``
    reference : str
        Reference arm of the hazard ratios.
    risk_times : sequence of float
        Times of the published numbers at risk (0 first).
    landmarks : sequence of float
    seed : int
        Seed of the simulated digitising.
    time_unit : str
        Unit of the times (declared to the reconstruction).
    how : Digitiser, optional
        The simulated person (default :class:`~netter.reconstruct.digitiser.Digitiser`).
    x_max : float, optional
        Length of the figure's time axis (default: the longest time).
    with_events : bool
        Give the reconstruction the total events per arm.
    folder : path-like, optional
        Where the input files are written (default: a temporary folder).
    targets : Targets, optional
    """
    original = original if isinstance(original, Patients) else Patients(
        original.time, original.event, original.arm)
    with tempfile.TemporaryDirectory() as scratch:
        where = Path(folder) if folder is not None else Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        _write_inputs(original, where, seed=seed, risk_times=risk_times, how=how,
                      x_max=x_max)
        rec = reconstruct([where / "curve.csv"], where / "at_risk.csv",
                          where / "events.csv" if with_events else None, time_unit=time_unit)
    card = agreement_table(original, reconstructed_patients(rec), reference=reference,
                     landmarks=landmarks, risk_times=risk_times, targets=targets)
    return rec, card


def round_trips(original, *, seeds, progress: bool = False, **options) -> pd.DataFrame:
    """Repeat :func:`round_trip` over ``seeds``; one row per seed.

    Columns: ``seed``; for each measure of :data:`MEASURES` its worst error
    (``<measure>``) and whether every comparison met the target (``<measure> passed``);
    ``events`` (worst absolute difference of an arm's events) and ``all passed``.
    """
    rows = []
    for seed in tqdm(list(seeds), desc="round trips", disable=not progress):
        _, card = round_trip(original, seed=seed, **options)
        row: dict = {"seed": seed}
        for measure in MEASURES:
            part = card[card["measure"] == measure]
            row[measure] = float(part["error"].max()) if len(part) else float("nan")
            row[f"{measure} passed"] = bool(part["passed"].all())
        row["events"] = float(card.loc[card["measure"] == "events", "error"].max())
        row["all passed"] = all_passed(card)
        rows.append(row)
    return pd.DataFrame(rows)


def summarise_round_trips(runs: pd.DataFrame) -> pd.DataFrame:
    """Per measure, the median and worst error over seeds and the share meeting the target.

    Parameters
    ----------
    runs : DataFrame
        :func:`round_trips` output.

    Examples
    --------
    >>> runs = pd.DataFrame({"hazard ratio": [0.01, 0.07], "hazard ratio passed": [True, False],
    ...                      "median": [0.0, 0.02], "median passed": [True, True],
    ...                      "landmark": [0.01, 0.01], "landmark passed": [True, True],
    ...                      "at risk": [0.0, 0.0], "at risk passed": [True, True]})
    >>> row = summarise_round_trips(runs).iloc[0]
    >>> row["measure"], float(row["median error"]), float(row["share meeting target"])
    ('hazard ratio', 0.04, 0.5)
    """
    return pd.DataFrame([
        {"measure": measure, "median error": float(runs[measure].median()),
         "worst error": float(runs[measure].max()),
         "share meeting target": float(runs[f"{measure} passed"].mean())}
        for measure in MEASURES])

