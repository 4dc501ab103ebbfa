"""Cross-key checks of a simulator config (lengths, probabilities, dates, allocation).

Every error names the file, the table (``[randomisation]``, ``[[covariates]] #4
(LIVBURD)``) and the key.  Strata and covariates are checked table by table (their own
keys, :meth:`~netter.synthetic.covariates.Categorical.problems`), then across tables:
every variable they write is an ADSL name, written once, and none of the variables the
simulator writes itself (:data:`netter.synthetic.lock.FIXED_ADSL_VARIABLES`).
"""

from __future__ import annotations

import math
import re

from netter.errors import ConfigError
from netter.synthetic.covariates import table_label
from netter.synthetic.lock import FIXED_ADSL_VARIABLES

#: An ADSL variable name: an upper-case letter, then at most 7 upper-case letters or digits.
ADSL_NAME = re.compile(r"[A-Z][A-Z0-9]{0,7}")


def _fail(config, section: str, key: str, message: str) -> None:
    table = section if section.startswith("[") else f"[{section}]"
    raise ConfigError(f"{config.source}: {table} {key}: {message}")


def _check_probs(config, section: str, key: str, probs) -> None:
    if any(p < 0 or p > 1 for p in probs):
        _fail(config, section, key, f"{list(probs)} must lie in [0, 1]")


def _check_piecewise(config, section: str, breaks, *series) -> None:
    increasing = all(a < b for a, b in zip(breaks[:-1], breaks[1:], strict=True))
    if not breaks or breaks[0] != 0.0 or not increasing:
        _fail(config, section, "breaks", f"{list(breaks)} must start at 0 and increase")
    for key, values in series:
        if len(values) != len(breaks):
            _fail(config, section, key, f"{len(values)} values for {len(breaks)} breaks")
        if any(v < 0 for v in values):
            _fail(config, section, key, f"{list(values)} must be >= 0")


def check_config(config) -> None:
    """Raise ConfigError on the first inconsistency between keys of ``config``.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> check_config(load_config("studies/netter1/simulation.toml")) is None
    True
    """
    _check_design(config)
    _check_population(config)
    _check_hazards(config)
    _check_crossover(config)


def _check_design(config) -> None:
    arms, acc, rnd, cut = config.arms, config.accrual, config.randomisation, config.cutoffs
    if len(arms.labels) != 2 or len(arms.codes) != 2:
        _fail(config, "arms", "labels", "exactly two arms (experimental, reference) are simulated")
    if not (len(acc.period_start) == len(acc.period_end) == len(acc.period_n)):
        _fail(config, "accrual", "period_n", "period_start, period_end, period_n differ in length")
    for start, end, n in zip(acc.period_start, acc.period_end, acc.period_n, strict=True):
        if end < start or n < 0:
            _fail(config, "accrual", "period_end", f"period {start}..{end} with n={n} is invalid")
    if len(rnd.ratio) != 2 or min(rnd.ratio) < 1 or rnd.block_size % sum(rnd.ratio):
        _fail(config, "randomisation", "block_size",
              f"{rnd.block_size} must be a multiple of sum(ratio {list(rnd.ratio)})")
    for key in ("condition_counts_first_cutoff", "condition_counts_total"):
        counts = getattr(rnd, key)
        if counts and len(counts) != 2:
            _fail(config, "randomisation", key, "needs one count per arm, or []")
    if rnd.condition_counts_total and sum(rnd.condition_counts_total) != config.n_subjects:
        _fail(config, "randomisation", "condition_counts_total",
              f"sum {sum(rnd.condition_counts_total)} != {config.n_subjects} randomised")
    if len(cut.names) != len(cut.dates) or not cut.names:
        _fail(config, "cutoffs", "dates", "one date per name")
    if list(cut.dates) != sorted(cut.dates):
        _fail(config, "cutoffs", "dates", "must be in increasing order")
    if rnd.condition_counts_first_cutoff:
        first_cut = cut.dates[0]
        if any(start <= first_cut < end for start, end in zip(acc.period_start, acc.period_end,
                                                               strict=True)):
            _fail(config, "accrual", "period_start",
                  f"with condition_counts_first_cutoff, no accrual period may span the first "
                  f"cut-off {first_cut}")
        before = sum(n for end, n in zip(acc.period_end, acc.period_n, strict=True)
                     if end <= first_cut)
        if sum(rnd.condition_counts_first_cutoff) != before:
            _fail(config, "randomisation", "condition_counts_first_cutoff",
                  f"sum {sum(rnd.condition_counts_first_cutoff)} != {before} randomised on or "
                  f"before the first cut-off {first_cut}")


def _check_population(config) -> None:
    written: dict[str, str] = {}
    for array in ("strata", "covariates"):
        for position, factor in enumerate(getattr(config, array), start=1):
            label = table_label(array, position, factor.variable)
            for key, message in factor.problems():
                _fail(config, label, key, message)
            for key, variable in factor.variable_keys().items():
                if not ADSL_NAME.fullmatch(variable):
                    _fail(config, label, key, f"{variable!r} is not an ADSL variable name "
                          "(an upper-case letter, then at most 7 upper-case letters or digits)")
                if variable in FIXED_ADSL_VARIABLES:
                    _fail(config, label, key, f"{variable!r} is written by the simulator itself "
                          f"(reserved: {', '.join(FIXED_ADSL_VARIABLES)})")
                if variable in written:
                    _fail(config, label, key, f"{variable!r} is also written by "
                          f"{written[variable]}")
                written[variable] = label


def _check_hazards(config) -> None:
    pr, de, qol = config.progression, config.death, config.qol
    _check_piecewise(config, "progression", pr.breaks,
                     ("control_hazard", pr.control_hazard), ("hazard_ratio", pr.hazard_ratio))
    _check_piecewise(config, "death", pr.breaks, ("preprogression_hazard",
                                                  de.preprogression_hazard))
    _check_piecewise(config, "death", de.postprogression_breaks,
                     ("postprogression_hazard", de.postprogression_hazard))
    if qol is not None:
        _check_piecewise(config, "qol", qol.breaks, ("control_hazard", qol.control_hazard),
                         ("hazard_ratio", qol.hazard_ratio))
        _check_probs(config, "qol", "missed_prob", [qol.missed_prob])
    _check_probs(config, "response", "probability", config.response.probability)
    if len(config.response.probability) != 2:
        _fail(config, "response", "probability", "one probability per arm")
    for section, key in (("crossover", "probability"), ("response", "complete_prob"),
                         ("dropout", "imaging_stop_at_first_cutoff"),
                         ("assessment", "missed_prob"), ("assessment", "not_evaluable_prob")):
        _check_probs(config, section, key, [getattr(getattr(config, section), key)])
    if config.assessment.interval_weeks < 1 or config.assessment.window_days < 0:
        _fail(config, "assessment", "interval_weeks", "must be >= 1 (window_days >= 0)")
    if 2 * config.assessment.window_days >= 7 * config.assessment.interval_weeks:
        _fail(config, "assessment", "window_days", "windows of consecutive visits overlap")


def _check_crossover(config) -> None:
    """The mechanic is known; ``acceleration_factor`` is given exactly with common_effect."""
    from netter.synthetic.config import CROSSOVER_MECHANICS

    xo = config.crossover
    if xo.mechanic not in CROSSOVER_MECHANICS:
        _fail(config, "crossover", "mechanic",
              f"{xo.mechanic!r} must be one of {', '.join(CROSSOVER_MECHANICS)}")
    factor = xo.acceleration_factor
    if xo.mechanic == "common_effect":
        if factor is None:
            _fail(config, "crossover", "acceleration_factor",
                  'needed with mechanic = "common_effect"')
        if not (math.isfinite(factor) and factor > 0):
            _fail(config, "crossover", "acceleration_factor",
                  f"{factor} must be a finite number > 0")
    elif factor is not None:
        _fail(config, "crossover", "acceleration_factor",
              f'only used with mechanic = "common_effect" (mechanic is "{xo.mechanic}"); '
              "remove the key")
