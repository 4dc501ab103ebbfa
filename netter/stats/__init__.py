"""Survival statistics: pure estimators returning frozen dataclasses.

Every function takes plain arrays and a method profile (``netter.profiles``), returns
one frozen dataclass shape (arrays read-only), records the profile's name, and
reports "not estimable" as ``None``.  Each estimator agrees with R ``survival`` 3.5.3
to 1e-9 relative; the R scripts and their outputs live in ``tests/reference``.

Modules
-------
km
    Kaplan-Meier curve, Greenwood SE, pointwise CIs (``survfit``); landmarks
    (``summary(fit, times=, extend=TRUE)``).
quantiles
    Quantiles and medians with Brookmeyer-Crowley CIs (``quantile.survfit``);
    median follow-up by reverse Kaplan-Meier.
rmst
    Restricted mean survival time (``print(fit, rmean=tau)``) and two-arm differences.
logrank, cox, ph
    Two- and multi-arm comparisons: log-rank tests, Cox models, proportional hazards.
"""
