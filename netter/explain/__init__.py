"""Why do my numbers differ?  One endpoint under R, SAS, lifelines and statsmodels.

``netter explain`` computes every usual statistic of a time-to-event endpoint (median
and its CI per arm, landmark survival and CI, RMST and SE, log-rank, hazard ratio with
its CI and the Wald, likelihood-ratio and score tests, RMST difference, and the
objective response rate and odds ratio when ADRS gives responses) under four engines:
netter's ``r`` and ``sas`` profiles, and lifelines and statsmodels run live at their
defaults.  Every value differing from netter ``r`` is attributed to the option that
causes it, by flipping one option of netter ``r`` at a time
(:mod:`netter.explain.attribute`).

Modules
-------
inputs
    The endpoint's times by arm, landmarks, RMST restriction time, responders.
compute
    The statistics and their values under a netter profile.
engines
    lifelines and statsmodels, live.
attribute
    Comparison with netter ``r`` and the single-option flip search.
document, render
    The ``netter.explain/1`` JSON document and the HTML page.

Examples
--------
>>> import numpy as np
>>> inp = ExplainInput("PFS", "months", "TRT01P", ("Drug A", "Placebo"), "Placebo",
...                    {"Drug A": np.array([2.0, 4, 6, 8, 10, 12]),
...                     "Placebo": np.array([1.0, 2, 3, 5, 7, 9])},
...                    {"Drug A": np.array([1, 0, 1, 1, 0, 1]),
...                     "Placebo": np.array([1, 1, 1, 0, 1, 1])}, (4.0,), 9.0, None)
>>> document = explanation_document(explain(inp))
>>> document["schema"], [g["id"] for g in document["engines"]]
('netter.explain/1', ['r', 'sas', 'lifelines', 'statsmodels'])
"""

from __future__ import annotations

from pathlib import Path

from netter.explain.attribute import Explanation, explain
from netter.explain.document import SCHEMA, dumps, explanation_document
from netter.explain.inputs import ExplainInput, explain_input
from netter.explain.render import explanation_html

__all__ = ["SCHEMA", "ExplainInput", "Explanation", "explain", "explain_input",
           "explanation_document", "explanation_html", "write_explanation"]


def write_explanation(document: dict, out) -> tuple[Path, Path]:
    """Write ``explain.json`` and ``explain.html`` into the folder ``out`` (created).

    Returns
    -------
    (Path, Path)
        The JSON and HTML files.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "explain.json", folder / "explain.html"
    json_path.write_text(dumps(document), encoding="utf-8")
    html_path.write_text(explanation_html(document), encoding="utf-8")
    return json_path, html_path
