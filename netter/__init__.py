"""netter: reanalysis toolkit for the NETTER-1 trial.

The flow is ``netter.adam`` (read, validate, derive) -> ``netter.stats`` (pure
estimators returning frozen dataclasses) -> ``netter.endpoints`` -> results JSON
-> tables, figures and reports.
"""

__version__ = "0.1.0"
