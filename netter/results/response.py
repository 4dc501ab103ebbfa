"""Results of the tumour-response endpoint: the ``"response"`` block of ``netter analyze``.

Conventions as :mod:`netter.results`: not estimable or infinite = ``None`` (JSON
``null``) with a ``not_estimable_reason``; an interval is ``[lower, upper]``.  Odds
ratios are odds(arm) / odds(reference) and differences rate(arm) - rate(reference).
The computation: :mod:`netter.endpoints.response`.

Examples
--------
>>> RateResult(0.5, (0.2, 0.8)).rate
0.5
"""

from __future__ import annotations

from dataclasses import dataclass

from netter.adam import columns as col
from netter.results.codec import CI, from_json_dict, to_json_dict
from netter.results.codec import optional_field as _optional

#: BOR categories, best first; responders are CR and PR, disease control adds SD.
BOR_CATEGORIES = col.RESPONSE_CATEGORIES

#: Where the BOR came from (``bor_source``).
SOURCE_RECORDED = "ADRS PARAMCD=BOR"
SOURCE_DERIVED = "derived from ADRS PARAMCD=OVR (netter.adam.response)"


@dataclass(frozen=True)
class RateResult:
    """A rate with its confidence interval (the disease control rate of an arm)."""

    rate: float | None
    ci: CI
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class ResponseArmResult:
    """Objective response of one arm: CR + PR over every analysed subject of the arm.

    ``bor_counts`` has the five categories CR, PR, SD, PD, NE (zeros included).
    """

    arm: str
    n: int
    responders: int
    rate: float | None
    ci: CI
    ci_method: str
    bor_counts: dict[str, int]
    dcr: RateResult
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class DifferenceResult:
    """ORR of the arm minus ORR of the reference, with the named interval."""

    estimate: float | None
    ci: CI
    method: str
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class OddsRatioResult:
    """Odds of response in the arm over odds in the reference; ``None`` = infinite or NE."""

    estimate: float | None
    ci: CI
    method: str
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class CmhResult:
    """Cochran-Mantel-Haenszel test of the arm against the reference, by stratum.

    ``strata`` names the stratification variables, ``strata_levels`` the strata
    analysed and ``strata_dropped`` those left out because they hold fewer than 2
    subjects of the two arms (R ``mantelhaen.test`` refuses them; they carry no
    information).  ``n`` counts the subjects of the two arms with every
    stratification variable present.
    """

    statistic: float | None
    p_value: float | None
    correct: bool
    strata: tuple[str, ...]
    df: int
    n: int
    strata_levels: tuple[str, ...]
    strata_dropped: tuple[str, ...]
    common_odds_ratio: OddsRatioResult
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class ResponseComparison:
    """Every comparison of one arm with the reference (used with three arms or more)."""

    arm: str
    reference: str
    difference: DifferenceResult
    odds_ratio: OddsRatioResult
    fisher_p_value: float | None
    cmh: CmhResult | None


@dataclass(frozen=True)
class ResponseResult:
    """The tumour-response endpoint: the ``"response"`` block of ``netter analyze``.

    Attributes
    ----------
    confirmed : bool
        Whether CR/PR needed confirmation (the derivation's ``confirm``; with a
        recorded BOR, the rule the sponsor is taken to have used).
    arms : tuple of ResponseArmResult
    difference, odds_ratio, fisher_p_value, cmh
        The arm against the reference when the trial has two arms; ``None`` with
        three arms or more (see ``comparisons_by_arm``).  ``cmh`` is ``None`` when no
        stratification variable is named.
    conf_level : float
    reference : str
        Reference arm.
    arm : str or None
        The arm compared with the reference (two arms), else ``None``.
    bor_source : str
        :data:`SOURCE_RECORDED` or :data:`SOURCE_DERIVED`.
    n : int
        Subjects analysed.
    not_estimable_reason : str or None
    comparisons_by_arm : tuple of ResponseComparison or None
        Every arm against the reference, with three arms or more (else left out).
    confirm_days, sd_min_days : int or None
        The derivation's minimum days to a confirmation and to stable disease, when
        the BOR was derived from ``OVR`` records (left out for a recorded BOR).
    """

    confirmed: bool
    arms: tuple[ResponseArmResult, ...]
    difference: DifferenceResult | None
    odds_ratio: OddsRatioResult | None
    fisher_p_value: float | None
    cmh: CmhResult | None
    conf_level: float
    reference: str
    arm: str | None
    bor_source: str
    n: int
    not_estimable_reason: str | None = None
    comparisons_by_arm: tuple[ResponseComparison, ...] | None = _optional()
    confirm_days: int | None = _optional()
    sd_min_days: int | None = _optional()

    def to_json_dict(self) -> dict:
        """Plain JSON values (``None`` for infinite or undefined numbers).

        Examples
        --------
        >>> arm = ResponseArmResult("A", 0, 0, None, (None, None), "clopper-pearson",
        ...     dict.fromkeys(BOR_CATEGORIES, 0), RateResult(None, (None, None)))
        >>> ResponseResult(True, (arm,), None, None, None, None, 0.95, "A", None,
        ...                SOURCE_DERIVED, 0).to_json_dict()["arms"][0]["ci"]
        [None, None]
        """
        return to_json_dict(self)

    @classmethod
    def from_json_dict(cls, data: dict) -> ResponseResult:
        """Rebuild a result from :meth:`to_json_dict` output (lossless round trip)."""
        return from_json_dict(cls, data)
