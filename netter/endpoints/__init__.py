"""Endpoints: compose the estimators of :mod:`netter.stats` into per-endpoint results.

Modules
-------
arms
    Per-arm summaries: counts, quartiles with CIs, landmarks, RMST, median follow-up.
comparisons
    Log-rank, Cox, RMST difference and proportional-hazards test against the reference.
endpoint
    :func:`analyze_tte`: one time-to-event parameter end to end.
trial
    :func:`analyze_trial`: every parameter of validated ADaM data, with the defaults
    of ``netter analyze``, into a :class:`~netter.results.ResultsDocument`.
text
    A short plain-text summary of a results document (what ``netter analyze`` prints).
subgroups
    :func:`~netter.endpoints.subgroups.analyze_subgroups`: Cox hazard ratios by level of
    ADSL variables with an interaction test (``netter subgroups``, ``netter.subgroups/1``).
bor
    Per-subject best overall response: recorded or derived BOR, the audit CSV, checks.
response
    :func:`~netter.endpoints.response.response_endpoint`: ORR, DCR and arm comparisons
    (the ``"response"`` block of ``netter analyze``).
baseline
    :func:`~netter.endpoints.baseline.describe_baseline`: baseline characteristics by arm
    (``netter.baseline/1``), the statistics behind the baseline table.
"""

from netter.endpoints.endpoint import analyze_tte
from netter.endpoints.trial import analyze_trial, choose_reference

__all__ = ["analyze_trial", "analyze_tte", "choose_reference"]
