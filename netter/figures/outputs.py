"""What ``netter figures`` writes: every figure of a results document.

Files are named by analysis and kind (:func:`netter.artefacts.output_stem`), never by
figure number::

    <out>/<name>--km.png, .svg        Kaplan-Meier figure of each endpoint
                                      (<name>-<paramcd>--km with several endpoints,
                                      unless one is chosen)
    <out>/<name>--forest.png, .svg    forest plot (subgroups document)
    <out>/<name>--response.png, .svg  response figure (a "response" block)
    <out>/<name>--crossover.png, .svg     hazard ratio of each crossover method
                                          (netter.crossover/1 document)
    <out>/<name>--crossover-km.png, .svg  Kaplan-Meier curves with the reference
                                          arm's RPSFTM counterfactual (same document)
    <out>/<name>--extrapolation.png, .svg  a panel per distribution: Kaplan-Meier and
                                          fitted curves to the horizon, per endpoint
                                          (<name>-<paramcd>--extrapolation with several)
                                          (netter.extrapolation/1 document)
    <out>/<name>--hazard.png, .svg        smoothed empirical hazard against the models'
                                          hazards, a panel per arm, per endpoint
    <out>/<name>--psm.png, .svg           partitioned-survival state occupancy per arm
                                          (a document with partitioned survival)

Examples
--------
>>> import tempfile
>>> from netter.tables.specimen import specimen_subgroups
>>> [p.name for p in write_figures(tempfile.mkdtemp(), "pfs", specimen_subgroups())]
['pfs--forest.png', 'pfs--forest.svg']
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt

from netter.artefacts import output_stem
from netter.errors import NetterError
from netter.figures.crossover import (
    crossover_forest_figure,
    crossover_km_figure,
    has_observed_curves,
)
from netter.figures.display import display_response
from netter.figures.extrapolation import extrapolation_figure, hazard_figure, psm_figure
from netter.figures.forest import forest_figure
from netter.figures.km import km_figure
from netter.figures.placeholder import not_computable_figure
from netter.figures.response import response_figure
from netter.figures.schoenfeld import schoenfeld_figure
from netter.figures.theme import SINGLE, save_figure
from netter.results import (
    BaselineDocument,
    CrossoverDocument,
    ExtrapolationDocument,
    SubgroupsDocument,
)
from netter.tables.extrapolation import extrapolation_params
from netter.tables.outputs import (
    choose_endpoint,
    chosen_kinds,
    requested_endpoints,
    response_block,
)

#: Figure kinds, as they end the file names (``NAME--<kind>.png``).
FIGURE_KINDS = ("km", "schoenfeld", "forest", "response", "crossover", "crossover-km",
                "extrapolation", "hazard", "psm")


def document_figures(document, name: str, *, param: str | None = None,
                     width: float = SINGLE, kinds=None):
    """Every figure of a document, drawn one at a time: ``(file stem, figure)`` pairs.

    Parameters
    ----------
    document : ResultsDocument, SubgroupsDocument, BaselineDocument or CrossoverDocument
        A baseline document has no figure; ``param`` does not apply to a subgroups or
        a crossover document (each is of one endpoint).
    name : str
        Analysis name, the files' prefix.
    param : str, optional
        Only this endpoint's Kaplan-Meier figure.
    width : float
        Figure width in inches (3.5: single column).
    kinds : collection of str, optional
        Only these of :data:`FIGURE_KINDS`.

    Yields
    ------
    (str, matplotlib.figure.Figure)
        The caller closes each figure.
    """
    wanted = chosen_kinds(kinds, FIGURE_KINDS)
    missing = getattr(document, "not_computable", None) or {}
    if isinstance(document, SubgroupsDocument):
        if "forest" in wanted:
            figure = (not_computable_figure(document.paramcd, missing["analysis"], width)
                      if "analysis" in missing else forest_figure(document, width=width))
            yield output_stem(name, "forest"), figure
        return
    if isinstance(document, ExtrapolationDocument):
        yield from _extrapolation_figures(document, name, param=param, width=width,
                                          wanted=wanted)
        return
    if isinstance(document, CrossoverDocument):
        for kind, draw in (("crossover", crossover_forest_figure),
                           ("crossover-km", crossover_km_figure)):
            if kind in wanted:
                reason = missing.get("analysis")
                if reason is None and kind == "crossover-km" and not has_observed_curves(
                        document):
                    reason = "the crossover results hold no Kaplan-Meier curve"
                figure = (not_computable_figure("Crossover adjustment", reason, width)
                          if reason is not None else draw(document, width=width))
                yield output_stem(name, kind), figure
        return
    if isinstance(document, BaselineDocument) or not hasattr(document, "endpoints"):
        return
    if "km" in wanted:
        params = [choose_endpoint(document, param)] if param else requested_endpoints(document)
        several = len(params) > 1
        for paramcd in params:
            figure = (km_figure(document.endpoints[paramcd], title=None, document=document,
                                width=width) if paramcd in document.endpoints
                      else not_computable_figure(paramcd, missing[paramcd], width))
            yield output_stem(name, "km", paramcd, several=several), figure
    if "schoenfeld" in wanted:
        params = [choose_endpoint(document, param)] if param else requested_endpoints(document)
        several = len(params) > 1
        for paramcd in params:
            endpoint = document.endpoints.get(paramcd)
            ph = None if endpoint is None else endpoint.ph_test
            if endpoint is not None and ph is not None and ph.residuals is not None:
                figure = schoenfeld_figure(endpoint, unit=document.time_unit, width=width)
            else:
                reason = (missing.get(paramcd) if endpoint is None else
                          "no Schoenfeld residuals: the Cox model is not estimable")
                figure = not_computable_figure(f"{paramcd}: Schoenfeld residuals", reason,
                                               width)
            yield output_stem(name, "schoenfeld", paramcd, several=several), figure
    block = response_block(document)
    if "response" in wanted and (block is not None or "response" in missing):
        figure = (response_figure(display_response(block, document), width=width)
                  if block is not None else
                  not_computable_figure("Tumour response", missing["response"], width))
        yield output_stem(name, "response"), figure


def _extrapolation_figures(document, name: str, *, param: str | None, width: float,
                           wanted):
    """The figures of an extrapolation document: per endpoint ``extrapolation`` and
    ``hazard``, then ``psm``; not-computable panels where the document says so."""
    missing = getattr(document, "not_computable", None) or {}
    analysis = missing.get("analysis")
    if analysis is not None:
        for kind, what in (("extrapolation", "Parametric survival models"),
                           ("hazard", "Hazard functions"), ("psm", "Partitioned survival")):
            if kind in wanted:
                yield output_stem(name, kind), not_computable_figure(what, analysis, width)
        return
    params = extrapolation_params(document)
    if param is not None:
        if param not in params:
            raise NetterError(f"the extrapolation results have no endpoint {param}; they "
                              f"have {', '.join(params) or 'none'}")
        params = [param]
    several = len(params) > 1
    for kind, draw in (("extrapolation", extrapolation_figure), ("hazard", hazard_figure)):
        if kind not in wanted:
            continue
        for paramcd in params:
            figure = (draw(document, paramcd, width=width) if paramcd in document.endpoints
                      else not_computable_figure(paramcd, missing[paramcd], width))
            yield output_stem(name, kind, paramcd, several=several), figure
    if "psm" in wanted:
        if "psm" in missing:
            yield output_stem(name, "psm"), not_computable_figure(
                "Partitioned survival", missing["psm"], width)
        elif document.partitioned_survival is not None:
            yield output_stem(name, "psm"), psm_figure(document, width=width)


def write_figures(out: str | os.PathLike, name: str, document, *, param: str | None = None,
                  width: float = SINGLE, kinds=None) -> list[Path]:
    """Draw and save every figure of ``document`` (see :func:`document_figures`).

    Returns
    -------
    list of Path
        The files written, PNG before SVG, figures in :func:`document_figures` order.
    """
    written: list[Path] = []
    for stem, figure in document_figures(document, name, param=param, width=width,
                                         kinds=kinds):
        try:
            written += save_figure(figure, out, stem)
        finally:
            plt.close(figure)
    return written
