"""Agreement of a reconstruction with the patient-level data it was made from (round trips).

A round trip takes patient-level data, draws its Kaplan-Meier curves and numbers at
risk, digitises them as a person would (:mod:`~netter.reconstruct.digitiser`),
reconstructs, and compares the reconstruction with the original on what a reanalysis
reports.  Both are analysed by the one endpoint composer
(:func:`netter.endpoints.endpoint.analyze_tte`); :func:`agreement_table` gives one row
per comparison with its target:

* hazard ratio of each arm against the reference (unstratified Cox, the profile's ties):
  absolute difference of the log hazard ratios, target 0.05;
* median of each arm: relative difference, target 5 % (both not reached passes);
* survival at each landmark: absolute difference, target 0.02;
* numbers at risk at each published time: absolute difference, target 1;
* events per arm: shown, no target.

Examples
--------
>>> orig = Patients([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0], ["a", "b"] * 3)
>>> card = agreement_table(orig, orig, reference="a", landmarks=[2.5], risk_times=[0, 3])
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

from netter.adam.tte import TteData
from netter.endpoints.endpoint import analyze_tte
from netter.profiles import DEFAULT_PROFILE
from netter.results import ArmResult, EndpointResult

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


def _endpoint(data: tuple, reference: str, landmarks, profile) -> EndpointResult:
    """The endpoint composer's analysis of one data set (times in its own unit)."""
    time, event, arm = data
    tte = TteData("TTE", np.array([str(i) for i in range(len(time))], dtype=object), arm,
                  time, event.astype(bool), {}, tuple(sorted(set(arm))), ())
    return analyze_tte(tte, profile=profile, reference=reference, landmarks=landmarks,
                       arms=sorted(set(arm)))


def _hazard_rows(orig: EndpointResult, recon: EndpointResult, targets) -> list:
    rows = []
    for a, b in zip(orig.cox_by_arm or (orig.cox,), recon.cox_by_arm or (recon.cox,),
                    strict=True):
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


def at_risk(arm: ArmResult, time: float) -> int:
    """Subjects of the arm at risk at ``time`` (#{T >= time}), read off its curve.

    Examples
    --------
    >>> tte = TteData("X", np.array(list("abc")), np.array(["a"] * 3),
    ...               np.array([1.0, 2.0, 4.0]), np.array([1, 0, 1], bool), {}, ("a",), ())
    >>> arm = analyze_tte(tte, reference="a", arms=["a", "b"]).arms[0]
    >>> at_risk(arm, 0.0), at_risk(arm, 2.0), at_risk(arm, 3.0), at_risk(arm, 5.0)
    (3, 2, 1, 0)
    """
    curve = arm.curve
    later = [n for t, n in zip(curve.time, curve.n_risk, strict=True) if t >= time]
    return int(later[0]) if later else 0


def _arm_rows(a: ArmResult, b: ArmResult, landmarks, risk_times, targets) -> list:
    ma, mb = a.median.estimate, b.median.estimate
    rows = [_row("median", a.arm, math.nan, ma, mb, _median_error(ma, mb),
                 targets.median_relative)]
    for x, la, lb in zip(landmarks, a.landmarks, b.landmarks, strict=True):
        sa, sb = la.survival, lb.survival
        error = 0.0 if sa is None and sb is None else (
            math.inf if sa is None or sb is None else abs(sb - sa))
        rows.append(_row("landmark", a.arm, float(x), sa, sb, error, targets.landmark))
    for x in risk_times:
        na, nb = at_risk(a, float(x)), at_risk(b, float(x))
        rows.append(_row("at risk", a.arm, float(x), na, nb, float(abs(nb - na)),
                         targets.at_risk))
    rows.append(_row("events", a.arm, math.nan, a.events, b.events,
                     float(abs(b.events - a.events)), None))
    return rows


def agreement_table(original, reconstructed, *, reference: str, landmarks=(), risk_times=(),
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
    landmarks = tuple(sorted({float(x) for x in landmarks}))
    orig, recon = (_endpoint(_as_patients(d).arrays(), reference, landmarks, profile)
                   for d in (original, reconstructed))
    rows = _hazard_rows(orig, recon, targets)
    recon_arms = {a.arm: a for a in recon.arms}
    for arm in orig.arms:
        rows += _arm_rows(arm, recon_arms[arm.arm], landmarks, risk_times, targets)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def all_passed(card: pd.DataFrame) -> bool:
    """Whether every comparison with a target met it."""
    return bool(card["passed"].dropna().astype(bool).all())
