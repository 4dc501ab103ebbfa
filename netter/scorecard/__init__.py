"""The scorecard: each published NETTER-1 number beside the value this project reproduces.

For every published record of :mod:`netter.published` that a results file can hold,
the scorecard shows the endpoint, data cut-off, published value and CI, reproduced
value and CI, and a status: inside / outside (by the rule stated in the row), not
computable from these results, or (p-values) not compared.  Unverified (``U``)
records are shown and never counted.  It runs on whatever results it is given: the
synthetic trial's, a user's ADaM data analysed by ``analyses/*.py``, or
reconstructed data.

Modules
-------
rows
    The declarative rows (:data:`~netter.scorecard.rows.SPECS`): published record ->
    results file, path, method.
paths
    Results files as JSON and paths into them.
build
    The status rules and :func:`build_scorecard`.
output
    JSON, CSV and HTML files; the one number-formatting function.
figure
    The compact figure (plotnine).

Examples
--------
>>> from netter.scorecard import build_scorecard
>>> card = build_scorecard({})          # no results at all: every row not computable
>>> card.summary.inside, card.summary.not_computable == card.summary.verified
(0, True)
"""

from netter.scorecard.build import SCHEMA, ScorecardDocument, ScorecardRow, build_scorecard
from netter.scorecard.output import read_scorecard, write_scorecard_files
from netter.scorecard.paths import find_results
from netter.scorecard.rows import NOT_SCORED, SPECS, Spec

__all__ = ["NOT_SCORED", "SCHEMA", "SPECS", "ScorecardDocument", "ScorecardRow", "Spec",
           "build_scorecard", "find_results", "read_scorecard", "write_scorecard_files"]
