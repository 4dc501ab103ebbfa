"""Monte Carlo engine: many simulated trials at once, as arrays.

Modules
-------
simulate
    Draw a batch of trials (per-trial ``SeedSequence`` streams) as stacked arrays.
derive
    Lock a batch at a cut-off with the ADaM rules (ADTTE as arrays).
response
    Best overall response (RECIST 1.1) and the Mantel-Haenszel odds ratio, batched.
estimators
    Batched survival estimators over B trials (log-rank, Cox, Kaplan-Meier medians and
    landmarks, RMST, exact binomial CIs) that agree with :mod:`netter.stats` trial by trial.
design, run, summary, output, figure, study
    ``netter design``: scenarios, chunked runs (in process or on Dask), operating
    characteristics, ``design.json`` / ``trials.csv``, figures, reuse by inputs digest.
calibration
    A study's calibration targets computed on the engine.

Examples
--------
>>> from netter.study import load_study
>>> from netter.engine.design import build_scenarios, design_spec
>>> from netter.engine.run import run_design
>>> run = run_design(design_spec(load_study("studies/netter2/study.toml")), build_scenarios(),
...                  trials=3, seed=1, progress=False)
>>> run.rows["hazard_ratio"].shape   # 3 trials x 1 cut-off x 2 endpoints
(6,)
"""
