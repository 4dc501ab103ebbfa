"""What the explainer analyses: one endpoint's times by arm and, optionally, responders.

:func:`explain_input` turns validated ADaM data (:func:`netter.adam.io.load_adam`) into
an :class:`ExplainInput`: the arms (the reference last), each arm's times in the
analysis unit and events, the landmark times, the RMST restriction time and, when ADRS
gives best overall responses, each arm's responders.  Bad input raises
:class:`~netter.errors.NetterError` naming the file and the variable.

Examples
--------
>>> import numpy as np
>>> inp = ExplainInput(param="PFS", unit="months", arm_var="TRT01P",
...                    arms=("Drug A", "Placebo"), reference="Placebo",
...                    time={"Drug A": np.array([1.0, 3.0]), "Placebo": np.array([2.0, 4.0])},
...                    event={"Drug A": np.array([1, 0]), "Placebo": np.array([1, 1])},
...                    landmarks=(2.0,), tau=3.0, responders=None)
>>> inp.others, inp.comparison("Drug A")
(('Drug A',), 'Drug A vs Placebo')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netter.adam.io import AdamData
from netter.adam.tte import derive_tte
from netter.errors import NetterError

#: Landmark times used unless others are given (in the analysis unit).
DEFAULT_LANDMARKS = (12.0, 24.0)


@dataclass(frozen=True)
class ExplainInput:
    """One endpoint of a trial, ready for every engine.

    Attributes
    ----------
    param : str
        The ADTTE ``PARAMCD``.
    unit : str
        Unit of every time (``days``, ``weeks``, ``months``, ``years``).
    arm_var : str
        The ADSL arm variable.
    arms : tuple of str
        Every arm, the reference last.
    reference : str
        The reference arm.
    time, event : dict of str to ndarray
        Per arm: times in ``unit`` and events (1 = event, 0 = censored).
    landmarks : tuple of float
        Times at which S(t) is read.
    tau : float
        RMST restriction time.
    responders : dict of str to (int, int) or None
        Per arm ``(responders, subjects)`` (CR or PR as best overall response), or
        ``None`` without response data.
    """

    param: str
    unit: str
    arm_var: str
    arms: tuple[str, ...]
    reference: str
    time: dict
    event: dict
    landmarks: tuple[float, ...]
    tau: float
    responders: dict | None

    @property
    def others(self) -> tuple[str, ...]:
        """The arms compared with the reference."""
        return tuple(a for a in self.arms if a != self.reference)

    def comparison(self, arm: str) -> str:
        """The label of one comparison, ``"<arm> vs <reference>"``."""
        return f"{arm} vs {self.reference}"

    def pair(self, arm: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Time, event and arm label of ``arm`` and the reference together."""
        time = np.concatenate([self.time[arm], self.time[self.reference]])
        event = np.concatenate([self.event[arm], self.event[self.reference]])
        group = np.array([arm] * self.time[arm].size + [self.reference]
                         * self.time[self.reference].size, dtype=object)
        return time, event, group


def default_tau(time: dict) -> float:
    """The largest whole time unit observed in every arm (the smallest of the arms' last
    times, rounded down when it is at least 1).

    Examples
    --------
    >>> default_tau({"a": np.array([3.0, 25.7]), "b": np.array([1.0, 30.2])})
    25.0
    >>> default_tau({"a": np.array([0.4]), "b": np.array([0.9])})
    0.4
    """
    last = min(float(np.max(t)) for t in time.values())
    return float(math.floor(last)) if last >= 1.0 else last


def explain_input(data: AdamData, *, param: str, reference: str | None,
                  landmarks=None, tau: float | None = None, unit: str = "months"
                  ) -> ExplainInput:
    """The explainer's input from validated ADaM data.

    Parameters
    ----------
    data : AdamData
        Validated data (:func:`netter.adam.io.load_adam`).
    param : str
        ADTTE ``PARAMCD`` to explain.
    reference : str or None
        Reference arm; required (netter never guesses one).
    landmarks : sequence of float, optional
        Default :data:`DEFAULT_LANDMARKS`.
    tau : float, optional
        RMST restriction time; default :func:`default_tau`.
    unit : str
        Time unit of the analysis.

    Returns
    -------
    ExplainInput

    Raises
    ------
    NetterError
        An unknown parameter (naming the ADTTE file and ``PARAMCD``), no reference, a
        reference that is not an arm (naming the ADSL file and arm variable), fewer than
        two arms, or an arm without subjects for the parameter.
    """
    adtte_file, adsl_file = data.files.get("adtte", "ADTTE"), data.files.get("adsl", "ADSL")
    params = sorted(set(data.adtte["PARAMCD"].astype(str)))
    if param not in params:
        raise NetterError(f"{adtte_file}: PARAMCD {param!r} not found; PARAMCD values: "
                          f"{', '.join(params)}")
    tte = derive_tte(data.adsl, data.adtte, paramcd=param, arm_var=data.arm_var, unit=unit)
    arms = tuple(tte.arms)
    listing = ", ".join(repr(a) for a in arms)
    if reference is None:
        raise NetterError(f"no reference arm given; {adsl_file} {data.arm_var} has {listing}: "
                          "name one with --reference")
    reference = str(reference)
    if reference not in arms:
        raise NetterError(f"{adsl_file}: reference arm {reference!r} is not a value of "
                          f"{data.arm_var} with {param} records; arms: {listing}")
    if len(arms) < 2:
        raise NetterError(f"{adsl_file}: {data.arm_var} has one arm only ({listing}); "
                          "nothing to compare")
    arms = tuple(a for a in arms if a != reference) + (reference,)
    time = {a: np.asarray(tte.time[tte.arm == a], dtype=float) for a in arms}
    event = {a: np.asarray(tte.event[tte.arm == a], dtype=int) for a in arms}
    marks = tuple(sorted({float(x) for x in (DEFAULT_LANDMARKS if landmarks is None
                                               else landmarks)}))
    if any(not math.isfinite(x) or x <= 0 for x in marks):
        raise NetterError(f"landmarks must be finite times > 0, got {list(marks)}")
    if tau is None:
        tau = default_tau(time)
    elif not (math.isfinite(tau) and tau > 0):
        raise NetterError(f"tau must be a finite time > 0, got {tau!r}")
    return ExplainInput(param=param, unit=unit, arm_var=data.arm_var, arms=arms,
                        reference=reference, time=time, event=event, landmarks=marks,
                        tau=float(tau), responders=_responders(data, arms))


def _responders(data: AdamData, arms) -> dict | None:
    """Per arm (responders, subjects) from ADRS, or None without ADRS or responses."""
    if data.adrs is None or data.adrs.empty:
        return None
    from netter.endpoints.bor import RESPONDERS, response_subjects

    frame, _ = response_subjects(data.adsl, data.adrs, arm_var=data.arm_var)
    arm = frame[data.arm_var].astype(str)
    out = {a: (int(frame.loc[arm == a, "BOR"].isin(RESPONDERS).sum()), int((arm == a).sum()))
           for a in arms}
    return out if any(n for _, n in out.values()) else None
