"""Compare a reconstruction with the patient-level data it was made from (round trips).

A round trip takes patient-level data, draws its Kaplan-Meier curves and numbers at
risk, digitises them as a person would (:mod:`~netter.reconstruct.digitiser`),
reconstructs, and compares the reconstruction with the original on what a reanalysis
reports.  :func:`scorecard` gives one row per comparison with its target:

* hazard ratio of each arm against the reference (unstratified Cox, the profile's ties):
  absolute difference of the log hazard ratios, target 0.05;
* median of each arm: relative difference, target 5 % (both not reached passes);
* survival at each landmark: absolute difference, target 0.02;
* numbers at risk at each published time: absolute difference, target 1;
* events per arm: shown, no target.

Examples
--------
>>> orig = Patients([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0], ["a", "b"] * 3)
>>> card = scorecard(orig, orig, reference="a", landmarks=[2.5], risk_times=[0, 3])
>>> card[["measure", "arm", "error", "passed"]].head(3)
        measure arm  error passed
0  hazard ratio   b    0.0   True
1        median   a    0.0   True
2      landmark   a    0.0   True
>>> bool(all_passed(card))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.profiles import DEFAULT_PROFILE
from netter.stats.cox import cox_hazard_ratio
from netter.stats.km import kaplan_meier, survival_at
from netter.stats.quantiles import km_quantile

COLUMNS = ("measure", "arm", "time", "original", "reconstructed", "error", "target",
           "passed")


@dataclass(frozen=True)
class Targets:
    """Round-trip targets: log hazard ratio, relative median, landmark, numbers at risk."""

    log_hazard_ratio: float = 0.05
    median_relative: float = 0.05
    landmark: float = 0.02
    at_risk: int = 1


@dataclass(frozen=True, eq=False)
class Patients:
    """Patient-level time-to-event data: time, event (1/0 or bool), arm label."""

    time: object
    event: object
    arm: object

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(time, event as 0/1, arm as str)``."""
        return (np.asarray(self.time, float), np.asarray(self.event).astype(np.int64),
                np.array([str(a) for a in self.arm], dtype=object))


def patients_from_csv(path) -> Patients:
    """Patients from a CSV with columns ``time``, ``event`` (1 = event) and ``group``.

    The layout of ``tests/reference/data/*.csv`` (R survival datasets).
    """
    frame = pd.read_csv(path)
    return Patients(frame["time"].to_numpy(float), frame["event"].to_numpy(np.int64),
                    frame["group"].astype(str).to_numpy())


def _as_patients(data) -> Patients:
    return data if isinstance(data, Patients) else Patients(data.time, data.event, data.arm)


def _row(measure, arm, time, orig, recon, error, target):
    passed = None if target is None else bool(error <= target + 1e-12)
    return dict(zip(COLUMNS, (measure, arm, time, orig, recon, error, target, passed),
                    strict=True))


def _hazard_rows(orig, recon, reference, profile, targets):
    fits = [cox_hazard_ratio(t, e, g, reference=reference, profile=profile).effects
            for t, e, g in (orig, recon)]
    rows = []
    for a, b in zip(*fits, strict=True):
        ok = a.hazard_ratio is not None and b.hazard_ratio is not None
        error = abs(math.log(b.hazard_ratio) - math.log(a.hazard_ratio)) if ok else math.inf
        rows.append(_row("hazard ratio", a.arm, math.nan, a.hazard_ratio, b.hazard_ratio,
                         error, targets.log_hazard_ratio))
    return rows


def _median_error(a: float | None, b: float | None) -> float:
    if a is None and b is None:
        return 0.0
    if a is None or b is None or a == 0:
        return math.inf
    return abs(b / a - 1.0)


def _arm_rows(arm, orig, recon, profile, landmarks, risk_times, targets):
    curves = [kaplan_meier(t[g == arm], e[g == arm], profile=profile)
              for t, e, g in (orig, recon)]
    a, b = (km_quantile(km).estimate for km in curves)
    rows = [_row("median", arm, math.nan, a, b, _median_error(a, b), targets.median_relative)]
    for x in landmarks:
        sa, sb = (survival_at(km, x)[0].survival for km in curves)
        error = 0.0 if sa is None and sb is None else (
            math.inf if sa is None or sb is None else abs(sb - sa))
        rows.append(_row("landmark", arm, float(x), sa, sb, error, targets.landmark))
    for x in risk_times:
        na, nb = (int(np.sum(t[g == arm] >= x)) for t, _, g in (orig, recon))
        rows.append(_row("at risk", arm, float(x), na, nb, float(abs(nb - na)),
                         targets.at_risk))
    ea, eb = (int(e[g == arm].sum()) for _, e, g in (orig, recon))
    rows.append(_row("events", arm, math.nan, ea, eb, float(abs(eb - ea)), None))
    return rows


def scorecard(original, reconstructed, *, reference: str, landmarks=(), risk_times=(),
              targets: Targets | None = None, profile=DEFAULT_PROFILE) -> pd.DataFrame:
    """Compare reconstructed patient-level data with the original, measure by measure.

    Parameters
    ----------
    original, reconstructed : Patients or object with ``time``, ``event``, ``arm``
        The same time unit in both (e.g. two :class:`netter.adam.tte.TteData`).
    reference : str
        Reference arm of the hazard ratios.
    landmarks, risk_times : sequence of float
        Times at which survival and numbers at risk are compared.
    targets : Targets, optional
    profile : str or Profile
        Method profile of the Kaplan-Meier curves and the Cox model.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``error`` is the absolute log-HR difference, the relative
        median difference, the absolute landmark or at-risk difference; ``passed`` is
        ``None`` where there is no target.
    """
    targets = targets or Targets()
    orig, recon = _as_patients(original).arrays(), _as_patients(reconstructed).arrays()
    rows = _hazard_rows(orig, recon, reference, profile, targets)
    for arm in sorted(set(orig[2])):
        rows += _arm_rows(arm, orig, recon, profile, landmarks, risk_times, targets)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def all_passed(card: pd.DataFrame) -> bool:
    """Whether every comparison with a target met it."""
    return bool(card["passed"].dropna().astype(bool).all())
