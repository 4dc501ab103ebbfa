"""The input of every batched estimator: B trials as padded (B, n) arrays.

Row ``b`` holds trial ``b``; trials differ in size, so each row is padded to the
largest trial and ``valid`` marks which entries are subjects.  Values outside
``valid`` are ignored by every estimator (they may be anything, NaN included).

Examples
--------
>>> batch = SurvivalBatch.from_trials([[1.0, 2.0, 3.0], [4.0]], [[1, 0, 1], [1]],
...                                   [[0, 1, 0], [1]])
>>> batch.shape, batch.valid.tolist()
((2, 3), [[True, True, True], [True, False, False]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class SurvivalBatch:
    """B two-arm trials, stratified or not, as (B, n) arrays (read-only).

    Attributes
    ----------
    time : numpy.ndarray
        (B, n) float64 follow-up times, finite and >= 0 where ``valid``.
    event : numpy.ndarray
        (B, n) bool, ``True`` = event (``False`` outside ``valid``).
    arm : numpy.ndarray
        (B, n) int8: 0 = the compared (experimental) arm, 1 = the reference arm.
    stratum : numpy.ndarray
        (B, n) int32 stratum codes >= 0 (all 0 when unstratified).
    valid : numpy.ndarray
        (B, n) bool: which entries are subjects.

    Build it with :meth:`from_arrays` (validated) or :meth:`from_trials` (one
    array per trial).  Hazard ratios, differences and "observed - expected" are
    arm 0 against arm 1.
    """

    time: np.ndarray
    event: np.ndarray
    arm: np.ndarray
    stratum: np.ndarray
    valid: np.ndarray

    def __post_init__(self) -> None:
        # the documented dtypes, without a copy when they already hold (direct construction
        # is not validated: use from_arrays for untrusted data)
        for name, dtype in (("time", np.float64), ("event", bool), ("arm", np.int8),
                            ("stratum", np.int32), ("valid", bool)):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray) or value.dtype != dtype:
                object.__setattr__(self, name, np.asarray(value, dtype=dtype))
        if not (self.time.ndim == 2 and self.time.shape == self.event.shape == self.arm.shape
                == self.stratum.shape == self.valid.shape):
            raise SurvivalDataError("time, event, arm, stratum and valid must share one "
                                    "(trials, subjects) shape")

    @property
    def shape(self) -> tuple[int, int]:
        """``(B, n)``: trials and the padded trial size."""
        return self.time.shape  # type: ignore[return-value]

    @property
    def n_trials(self) -> int:
        """B, the number of trials."""
        return int(self.time.shape[0])

    @classmethod
    def from_arrays(cls, time, event, arm, stratum=None, valid=None) -> SurvivalBatch:
        """Validate and copy (B, n) arrays into a batch.

        Parameters
        ----------
        time : array_like
            (B, n) times; finite and >= 0 where ``valid``.
        event : array_like
            (B, n) 0/1 or bool.
        arm : array_like
            (B, n) arm codes, 0 (compared arm) or 1 (reference arm) where ``valid``.
        stratum : array_like, optional
            (B, n) integer stratum codes >= 0 where ``valid``; all 0 when omitted.
        valid : array_like, optional
            (B, n) bool; every entry when omitted.

        Returns
        -------
        SurvivalBatch
            Entries outside ``valid`` are set to time 0, no event, arm 0, stratum 0.

        Raises
        ------
        netter.errors.SurvivalDataError
            A ``ValueError``: shapes differ or are not 2-D, or a valid entry has a
            negative or non-finite time, an event other than 0/1, an arm other
            than 0/1 or a negative stratum.

        Examples
        --------
        >>> b = SurvivalBatch.from_arrays([[2.0, 1.0]], [[1, 0]], [[0, 1]])
        >>> b.event.tolist(), b.stratum.dtype.name
        ([[True, False]], 'int32')
        >>> SurvivalBatch.from_arrays([[-1.0]], [[1]], [[0]])
        Traceback (most recent call last):
        ...
        netter.errors.SurvivalDataError: time must be finite and >= 0 for valid entries
        """
        t = np.array(time, dtype=np.float64)
        if t.ndim != 2:
            raise SurvivalDataError(f"time must be 2-D (trials, subjects), got shape {t.shape}")
        v = np.ones(t.shape, dtype=bool) if valid is None else np.array(valid, dtype=bool)
        e = np.asarray(event)
        a = np.asarray(arm)
        s = np.zeros(t.shape, dtype=np.int64) if stratum is None else np.asarray(stratum)
        for name, x in (("event", e), ("arm", a), ("stratum", s), ("valid", v)):
            if x.shape != t.shape:
                raise SurvivalDataError(f"{name} has shape {x.shape}, time has {t.shape}")
        with np.errstate(invalid="ignore"):
            if not np.all(np.isfinite(t[v]) & (t[v] >= 0)):
                raise SurvivalDataError("time must be finite and >= 0 for valid entries")
            ef = e.astype(np.float64)
            if not np.all((ef[v] == 0) | (ef[v] == 1)):
                raise SurvivalDataError("event must be 0/1 or boolean for valid entries")
            af = a.astype(np.float64)
            if not np.all((af[v] == 0) | (af[v] == 1)):
                raise SurvivalDataError("arm must be 0 or 1 for valid entries")
            sf = s.astype(np.float64)
            if not np.all((sf[v] >= 0) & (sf[v] == np.floor(sf[v])) & (sf[v] < 2**31)):
                raise SurvivalDataError("stratum must be a whole number >= 0 for valid entries")
        return cls(
            time=_frozen(np.where(v, t, 0.0)),
            event=_frozen(v & (ef == 1)),
            arm=_frozen(np.where(v, af, 0).astype(np.int8)),
            stratum=_frozen(np.where(v, sf, 0).astype(np.int32)),
            valid=_frozen(v),
        )

    @classmethod
    def from_trials(cls, times: Sequence, events: Sequence, arms: Sequence,
                    strata: Sequence | None = None) -> SurvivalBatch:
        """Pad one 1-D array per trial into a batch (validated by :meth:`from_arrays`).

        Parameters
        ----------
        times, events, arms : sequence of array_like
            One 1-D array per trial (same lengths trial by trial).
        strata : sequence of array_like, optional
            One 1-D array of stratum codes per trial.

        Returns
        -------
        SurvivalBatch

        Examples
        --------
        >>> b = SurvivalBatch.from_trials([[3, 1], [2]], [[1, 1], [0]], [[0, 1], [1]],
        ...                               strata=[[0, 2], [1]])
        >>> b.stratum.tolist(), b.valid.sum(axis=1).tolist()
        ([[0, 2], [1, 0]], [2, 1])
        """
        rows = [np.asarray(t, dtype=np.float64).ravel() for t in times]
        if not rows or len(events) != len(rows) or len(arms) != len(rows) or (
                strata is not None and len(strata) != len(rows)):
            raise SurvivalDataError("times, events, arms (and strata) need one array per trial")
        b, n = len(rows), max((r.size for r in rows), default=0)

        def pad(values, dtype):
            out = np.zeros((b, n), dtype=dtype)
            for i, row in enumerate(values):
                row = np.asarray(row, dtype=dtype).ravel()
                if row.size != rows[i].size:
                    raise SurvivalDataError(
                        f"trial {i}: {row.size} values but {rows[i].size} times")
                out[i, :row.size] = row
            return out

        valid = np.zeros((b, n), dtype=bool)
        for i, row in enumerate(rows):
            valid[i, :row.size] = True
        return cls.from_arrays(
            pad(rows, np.float64), pad(events, np.float64), pad(arms, np.float64),
            None if strata is None else pad(strata, np.float64), valid)

    def trial(self, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The valid entries of trial ``b``: ``(time, event, arm, stratum)``.

        Examples
        --------
        >>> b = SurvivalBatch.from_trials([[3, 1], [2]], [[1, 1], [0]], [[0, 1], [1]])
        >>> [x.tolist() for x in b.trial(1)]
        [[2.0], [False], [1], [0]]
        """
        v = self.valid[b]
        return self.time[b, v], self.event[b, v], self.arm[b, v], self.stratum[b, v]
