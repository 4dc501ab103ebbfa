"""The scorecard: each published number of a study beside the value this project reproduces.

For every published record of the study (:mod:`netter.published`) that a results file
can hold (the study's ``scorecard.toml``),
the scorecard shows the endpoint, data cut-off, published value and CI, reproduced
value and CI, and a status: inside / outside (by the rule stated in the row), not
computable from these results, or (p-values) not compared.  Unverified (``U``)
records are shown and never counted.  It runs on whatever results it is given: the
synthetic trial's, a user's ADaM data analysed by ``analyses/*.py``, or
reconstructed data.

The same rows compare the published numbers with their distribution over many
simulated trials: the calibration of a study's simulator.

Modules
-------
statistics
    The statistics a row can name, and where each is in a results document.
mapping
    A study's ``scorecard.toml``: published record -> analysis, statistic, method.
paths
    Results files as JSON and paths into them.
build
    The status rules and :func:`build_scorecard`.
output
    JSON, CSV and HTML files; the one number-formatting function.
figure
    The compact figure (plotnine).
calibration
    The published numbers against the study's simulator over many seeds.

Examples
--------
>>> from netter.scorecard import build_scorecard
>>> from netter.study import load_study
>>> card = build_scorecard(load_study("netter1"), {})   # no results: all not computable
>>> card.summary.inside, card.summary.not_computable == card.summary.verified
(0, True)
"""

from netter.scorecard.build import SCHEMA, ScorecardDocument, ScorecardRow, build_scorecard
from netter.scorecard.mapping import Mapping, Spec, load_mapping
from netter.scorecard.output import read_scorecard, write_scorecard_files
from netter.scorecard.paths import find_results

__all__ = ["SCHEMA", "Mapping", "ScorecardDocument", "ScorecardRow", "Spec", "load_mapping",
           "build_scorecard", "find_results", "read_scorecard", "write_scorecard_files"]
