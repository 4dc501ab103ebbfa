"""``netter design``: operating characteristics of a study's design over many simulated trials.

The command parses arguments, builds the scenarios (:mod:`netter.engine.design`), runs
them in this process or on Dask (:mod:`netter.engine.run`) and writes ``design.json``,
``trials.csv`` and the figures (:mod:`netter.engine.output`); with ``--save-trial K`` it
also writes trial ``K`` as ADaM (``DIR/trial-K/<cut-off>/``, or
``DIR/scenarios/<i>/trial-K/<cut-off>/`` per scenario when several are run).

Examples
--------
>>> from netter.cli import build_parser
>>> args = build_parser().parse_args(["design", "--trials", "100", "--out", "d",
...                                   "--vary", "assessment.interval_weeks=8,12"])
>>> args.trials, args.vary, args.alpha, args.workers
(100, ['assessment.interval_weeks=8,12'], 0.05, None)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from netter.cli.common import add_study_option, the_study


def _whole(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}, not {value}")
        return value
    return parse


_positive, _non_negative = _whole(1), _whole(0)


def _alpha(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"alpha must lie in (0, 1), not {value:g}")
    return value


def _client(args):
    """A Dask client for ``--workers`` / ``--scheduler`` (None: run in this process)."""
    if args.workers is None and args.scheduler is None:
        return None, None
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if args.scheduler is not None:
        return Client(args.scheduler), None
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def save_trials(spec, scenarios, *, seed: int, trials, out: Path) -> list[Path]:
    """Write trial ``k`` of each scenario as ADaM, as ``netter simulate`` writes a trial."""
    from netter.engine.design import check_scenarios
    from netter.synthetic.outcomes import trial_seed
    from netter.synthetic.write import write_trial

    written = []
    configs = check_scenarios(spec, scenarios)
    for i, config in enumerate(configs):
        base = out if len(configs) == 1 else out / "scenarios" / str(i)
        for k in trials:
            written += write_trial(config, seed=trial_seed(seed, k), out=base / f"trial-{k}",
                                   progress=False)
    return written


def _cmd_design(args: argparse.Namespace) -> int:
    import sys

    from netter.engine.design import build_scenarios, design_spec
    from netter.engine.study import design_study
    from netter.errors import NetterError

    study = the_study(args)
    spec = design_spec(study)
    sets, varies = args.set or (), args.vary or ()
    scenarios = build_scenarios(sets, varies)
    seed = spec.config.trial.seed if args.seed is None else args.seed
    for k in args.save_trial or ():
        if k >= args.trials:
            raise NetterError(f"--save-trial {k}: the run has trials 0 to {args.trials - 1}")
    out = Path(args.out)
    client, cluster = _client(args)
    started = time.perf_counter()
    try:
        outcome = design_study(study, out, trials=args.trials, seed=seed, sets=sets,
                               varies=varies, alpha=args.alpha, reuse=args.reuse,
                               client=client, chunk_size=args.chunk_size,
                               progress=not args.quiet, figures=not args.no_figures)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    elapsed = time.perf_counter() - started
    written = list(outcome.paths)
    if args.save_trial:
        written += save_trials(spec, scenarios, seed=seed, trials=args.save_trial, out=out)
    for path in written:
        print(path)
    if not args.quiet:
        n = args.trials * len(scenarios)
        what = ("kept: its inputs are unchanged" if outcome.reused else
                f"simulated and analysed in {elapsed:.1f} s")
        print(f"{n} trials ({len(scenarios)} scenario(s)) {what}", file=sys.stderr)
    return 0


def add_design(sub) -> None:
    """Register ``netter design``."""
    parser = sub.add_parser(
        "design", help="operating characteristics of the study's design over many simulated "
                       "trials (power, HR distribution, medians and their bias)")
    add_study_option(parser)
    parser.add_argument("--trials", type=_positive, required=True,
                        help="trials per scenario (numbered from 0)")
    parser.add_argument("--seed", type=_non_negative, default=None,
                        help="seed of the run (default: the simulator config's); trial K "
                             "uses SeedSequence(seed).spawn(trials)[K]")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE",
                        help="change a simulator key in every scenario (repeatable)")
    parser.add_argument("--vary", action="append", metavar="SECTION.KEY=V1,V2,...",
                        help="one scenario per value (repeatable: all combinations)")
    parser.add_argument("--alpha", type=_alpha, default=0.05,
                        help="two-sided significance level of the log-rank test (0.05)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive, default=None,
                       help="run on a Dask LocalCluster of this many worker processes")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on an existing Dask cluster, e.g. tcp://host:8786")
    parser.add_argument("--save-trial", type=_non_negative, action="append", metavar="K",
                        help="also write trial K as ADaM under OUT/trial-K/ (repeatable)")
    parser.add_argument("--chunk-size", type=_positive, default=500,
                        help="trials per chunk of work (does not change the results)")
    parser.add_argument("--no-figures", action="store_true", help="write no figures")
    parser.add_argument("--reuse", action="store_true",
                        help="keep OUT when its design.json was made from the same inputs "
                             "(study, simulator, settings, library sources)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=_cmd_design)
