"""Studies: a trial as data, and the one place netter learns a trial's names.

A study (``studies/<id>/study.toml``) declares the arm variable and its arms (with
labels and the reference arm), the strata and the baseline variables with their
labels, the endpoints, the data cut-offs and the analyses; optionally the simulator's
configuration, the published numbers, the scorecard's mapping and the calibration
targets.  No other module of netter knows any trial's arms, labels, cut-offs or
results files: they read them from a :class:`~netter.study.model.Study`.

Modules
-------
model
    The frozen dataclasses of a study.
toml
    Strict reading of TOML tables (every key known, every type checked).
load
    Finding a study by id or path, and reading and checking it.
layout
    Where a study's data are: one ADaM folder per cut-off.
starter
    ``netter study init``: a commented starter ``study.toml`` inferred from ADaM data.
describe
    ``netter study show``: what a study declares, in words.

Examples
--------
>>> from netter.study import Study, load_study
>>> callable(load_study) and Study.__name__
'Study'
"""

from netter.study.load import load_study
from netter.study.model import AnalysisDef, ArmDef, CutoffDef, EndpointDef, Study, VariableDef
from netter.study.toml import StudyError

__all__ = ["AnalysisDef", "ArmDef", "CutoffDef", "EndpointDef", "Study", "StudyError",
           "VariableDef", "load_study"]
