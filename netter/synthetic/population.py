"""Who enters the synthetic trial: accrual dates, sites, strata, baseline covariates, arms.

The strata and covariates are the config's ``[[strata]]`` and ``[[covariates]]`` tables
(:mod:`netter.synthetic.covariates`); randomisation is by permuted blocks within each
combination of the strata levels.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netter.errors import ConfigError

#: Baseline redraws allowed when conditioned arm sizes are unreachable.
MAX_BASELINE_DRAWS = 100


def accrual_dates(config, rng: np.random.Generator) -> np.ndarray:
    """Sorted randomisation dates (``datetime64[D]``), exact counts per accrual period.

    The first and last dates are pinned to the start of the first and the end of the
    last period, so the randomisation window is exactly the configured one.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> dates = accrual_dates(load_config("studies/netter1/simulation.toml"),
    ...                       np.random.default_rng(1))
    >>> len(dates), str(dates[0]), str(dates[-1])
    (231, '2012-09-06', '2016-01-14')
    """
    acc = config.accrual
    parts = []
    for start, end, n in zip(acc.period_start, acc.period_end, acc.period_n, strict=True):
        span = (end - start).days
        offsets = np.sort(rng.integers(0, span + 1, size=n))
        parts.append(np.datetime64(start, "D") + offsets)
    dates = np.sort(np.concatenate(parts)).astype("datetime64[D]")
    if len(dates):
        dates[0] = np.datetime64(acc.period_start[0], "D")
        dates[-1] = np.datetime64(acc.period_end[-1], "D")
    return dates


def baseline_columns(config, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Site, strata and baseline covariates for ``n`` subjects, as arrays by column.

    Columns: ``site`` (1..``n_sites``), then the ADSL variables of the ``[[strata]]`` and
    ``[[covariates]]`` tables in config order.  Draws from ``rng`` come in a fixed order:
    the normal covariates first (in config order), then the site, then the strata and the
    other covariates in config order (so one seed gives the same subjects as ever).

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> columns = baseline_columns(load_config("studies/netter1/simulation.toml"),
    ...                            np.random.default_rng(1), 5)
    >>> list(columns)[:5], len(columns["site"])
    (['site', 'STRAT1R', 'STRAT2R', 'AGE', 'AGEU'], 5)
    """
    factors = (*config.strata, *config.covariates)
    drawn = {i: factor.draw(rng, n) for i, factor in enumerate(factors) if factor.continuous}
    columns = {"site": rng.integers(1, config.trial.n_sites + 1, size=n)}
    for i, factor in enumerate(factors):
        columns |= drawn[i] if i in drawn else factor.draw(rng, n)
    return columns


def baseline(config, rng: np.random.Generator, n: int) -> pd.DataFrame:
    """:func:`baseline_columns` as a data frame.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> frame = baseline(load_config("studies/netter1/simulation.toml"),
    ...                  np.random.default_rng(1), 5)
    >>> list(frame.columns)[:5]
    ['site', 'STRAT1R', 'STRAT2R', 'AGE', 'AGEU']
    """
    return pd.DataFrame(baseline_columns(config, rng, n))


def n_rows(columns) -> int:
    """Number of subjects of a data frame or of a mapping of equal-length columns.

    Examples
    --------
    >>> n_rows({"a": np.zeros(3), "b": np.ones(3)}), n_rows(pd.DataFrame({"a": [1, 2]}))
    (3, 2)
    """
    if isinstance(columns, pd.DataFrame):
        return len(columns)
    return len(next(iter(columns.values()))) if len(columns) else 0


def stratum_keys(config, frame: pd.DataFrame) -> np.ndarray:
    """Each subject's randomisation stratum: its strata levels joined by ``|``.

    With no ``[[strata]]`` every subject is in one stratum (key ``""``).

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> stratum_keys(config, pd.DataFrame({"STRAT1R": ["2", "4"], "STRAT2R": ["a", "b"]}))
    array(['2|a', '4|b'], dtype=object)
    """
    if not config.strata:
        return np.full(n_rows(frame), "", dtype=object)
    columns = [np.asarray(frame[factor.variable], dtype=object) for factor in config.strata]
    return np.array(["|".join(levels) for levels in zip(*columns, strict=True)], dtype=object)


def _stratum_groups(stratum: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Subjects ordered by stratum label (sorted labels, randomisation order within) and
    the size of each stratum."""
    labels, code = np.unique(np.asarray(stratum), return_inverse=True)
    return np.argsort(code, kind="stable"), np.bincount(code, minlength=len(labels)).tolist()


class _BlockSchedule:
    """Permuted-block schedules of fixed strata, drawn again and again (a redraw loop).

    The strata are drawn in sorted order of their labels, each as a run of shuffled blocks
    (the draws of one ``rng.permutation(block)`` per block, all taken by one
    ``Generator.permuted`` call), cut to the stratum's size.
    """

    def __init__(self, groups, ratio, block_size: int) -> None:
        order, sizes = groups
        unit = np.repeat(np.arange(len(ratio)), ratio)
        block = np.tile(unit, block_size // len(unit))
        blocks = [-(-size // block_size) for size in sizes]
        self.rows = np.tile(block, (sum(blocks), 1))      # one row per block
        first = np.cumsum([0, *blocks[:-1]]) * block_size
        taken = (np.concatenate([start + np.arange(size) for start, size in zip(
            first.tolist(), sizes, strict=True)]) if sizes else np.empty(0, np.intp))
        self.order, self.taken = order, taken.astype(np.intp)

    def draw(self, rng) -> np.ndarray:
        """Arm index (0 = experimental, 1 = reference) of each subject."""
        sequence = rng.permuted(self.rows, axis=1).ravel()[self.taken]
        arm = np.empty(len(self.order), dtype=int)
        arm[self.order] = sequence
        return arm


def randomise(config, rng: np.random.Generator, stratum: np.ndarray,
              n_before_first_cutoff: int) -> np.ndarray | None:
    """Stratified permuted-block allocation in randomisation order, optionally conditioned.

    Returns the arm index per subject (0 = experimental, 1 = reference).  With
    ``condition_counts_first_cutoff`` / ``condition_counts_total`` set, whole allocation
    schedules are redrawn (at most ``max_redraws`` times) until the arm sizes among the
    first ``n_before_first_cutoff`` subjects (randomised by the first cut-off) and among
    all subjects equal the configured counts, i.e. the allocation is conditioned on the
    published arm sizes; each accepted schedule is still a permuted-block schedule.
    Returns None when no schedule matched (some strata sizes make the counts unreachable;
    the caller then redraws the strata).

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> strata = np.array(list("abcdef") * 38 + ["a", "b", "c"])
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> arm = randomise(config, np.random.default_rng(3), strata, 229)
    >>> int((arm[:229] == 0).sum()), int((arm == 0).sum())
    (116, 117)
    >>> randomise(config, np.random.default_rng(3), np.array(["a"] * 231), 229) is None
    True
    """
    rnd = config.randomisation
    schedule = _BlockSchedule(_stratum_groups(stratum), rnd.ratio, rnd.block_size)
    for _ in range(rnd.max_redraws):
        arm = schedule.draw(rng)
        first = np.bincount(arm[:n_before_first_cutoff], minlength=2).tolist()
        total = np.bincount(arm, minlength=2).tolist()
        if (not rnd.condition_counts_first_cutoff
                or first == list(rnd.condition_counts_first_cutoff)) and (
                not rnd.condition_counts_total or total == list(rnd.condition_counts_total)):
            return arm
    return None


def strata_and_allocation(config, streams: dict, dates: np.ndarray
                          ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Draw baseline characteristics (:func:`baseline_columns`) and a (conditioned)
    allocation that fit together.

    When the conditioned arm sizes are unreachable with the drawn strata sizes, the
    baseline characteristics are redrawn, up to ``MAX_BASELINE_DRAWS`` times.
    """
    first_cut = n_randomised_before(dates, config.cutoffs.dates[0])
    for _ in range(MAX_BASELINE_DRAWS):
        frame = baseline_columns(config, streams["baseline"], len(dates))
        arm = randomise(config, streams["randomisation"], stratum_keys(config, frame), first_cut)
        if arm is not None:
            return frame, arm
    rnd = config.randomisation
    raise ConfigError(
        f"{config.source}: [randomisation] no permuted-block schedule gives counts "
        f"{list(rnd.condition_counts_first_cutoff)} / {list(rnd.condition_counts_total)} "
        f"({MAX_BASELINE_DRAWS} strata draws x {rnd.max_redraws} schedules); set both to [] "
        "or change ratio / block_size"
    )


def n_randomised_before(dates: np.ndarray, cutoff: dt.date) -> int:
    """Number of randomisation dates on or before ``cutoff``."""
    return int((dates <= np.datetime64(cutoff, "D")).sum())
