"""Monte Carlo engine: many simulated trials at once, as arrays.

Subpackages and modules
-----------------------
estimators
    Batched survival estimators over B trials (log-rank, Cox, Kaplan-Meier medians and
    landmarks, RMST, exact binomial CIs) that agree with :mod:`netter.stats` trial by trial.
"""
