"""What ``netter tables`` writes: every table of a results document.

Files are named by analysis and kind (:func:`netter.artefacts.output_stem`)::

    <out>/<name>--summary.csv, .html          time-to-event summary of each endpoint
                                              (<name>-<paramcd>--summary with several,
                                              unless one is chosen)
    <out>/<name>--response.csv, .html         response table (a "response" block)
    <out>/<name>--characteristics.csv, .html  a description of subject-level variables
                                              (netter.baseline/1 document)
    <out>/<name>--crossover.csv, .html        hazard ratio adjusted for switching, one
                                              row per method (netter.crossover/1
                                              document)
    <out>/<name>--extrapolation.csv, .html    parametric models per endpoint and arm
                                              (and joint), ranked by AIC, with their
                                              means (netter.extrapolation/1 document)
    <out>/<name>--psm.csv, .html              partitioned survival: mean time in each
                                              state per arm (same document, when it
                                              has partitioned survival)

Tables read the documents only; the statistics were computed when the analysis ran.

Examples
--------
>>> from netter.tables.specimen import specimen_results
>>> [stem for stem, _ in document_tables(specimen_results(), "demo")]
['demo-os--summary', 'demo-pfs--summary']
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from netter.artefacts import output_stem
from netter.errors import NetterError
from netter.results import (
    BaselineDocument,
    CrossoverDocument,
    ExtrapolationDocument,
    ResultsDocument,
    SubgroupsDocument,
    to_json_dict,
)
from netter.tables.baseline import baseline_table
from netter.tables.crossover import crossover_table
from netter.tables.extrapolation import extrapolation_table, psm_table
from netter.tables.labels import arm_display
from netter.tables.response import response_table
from netter.tables.table import Row, Table, write_table
from netter.tables.tte import tte_summary_table

#: Table kinds, as they end the file names (``NAME--<kind>``).
TABLE_KINDS = ("summary", "response", "characteristics", "crossover", "extrapolation",
               "psm")


#: Keys of ``not_computable`` that are not endpoints.
NOT_ENDPOINTS = frozenset({"response", "strata", "analysis"})


def requested_endpoints(document) -> list[str]:
    """The endpoints the analysis asked for, sorted: those analysed and those the data
    could not give (``not_computable``).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from netter.tables.specimen import specimen_results
    >>> requested_endpoints(replace(specimen_results(), not_computable={"DOR": "no DOR"}))
    ['DOR', 'OS', 'PFS']
    """
    missing = getattr(document, "not_computable", None) or {}
    return sorted(set(document.endpoints) | (set(missing) - NOT_ENDPOINTS))


def not_computable_table(what: str, reason: str) -> Table:
    """The table shown where the data could not give what the study asked for.

    Examples
    --------
    >>> not_computable_table("PFS", "no PFS records").rows[0].cells
    ('no PFS records',)
    """
    return Table(id="NC01", title=f"{what}: not computable", columns=("", "Reason"),
                 rows=(Row("Not computable", (reason,)),),
                 footnotes=("The study asks for this; the data analysed cannot give it.",))


def choose_endpoint(document: ResultsDocument, param: str | None) -> str:
    """The endpoint to show: ``param``, or the document's only one.

    Raises
    ------
    NetterError
        ``param`` is not in the document, or none is given and it has several.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> choose_endpoint(specimen_results(), "OS")
    'OS'
    """
    available = requested_endpoints(document)
    if param is not None:
        if param not in available:
            raise NetterError(f"the results have no endpoint {param}; they have "
                              f"{', '.join(available) or 'none'}")
        return param
    if len(available) != 1:
        raise NetterError(f"the results have endpoints {', '.join(available) or '(none)'}; "
                          "name one (--param)")
    return available[0]


def response_block(document: ResultsDocument) -> dict | None:
    """The ``"response"`` block of a results document in its JSON form, or ``None``.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> response_block(specimen_results()) is None
    True
    """
    value = getattr(document, "response", None)
    if value is None or isinstance(value, dict):
        return value
    return to_json_dict(value) if dataclasses.is_dataclass(value) else dict(value)


def chosen_kinds(kinds, allowed: tuple[str, ...]) -> frozenset[str]:
    """The requested output kinds (all of ``allowed`` when ``kinds`` is None).

    Examples
    --------
    >>> sorted(chosen_kinds(["summary"], TABLE_KINDS)), len(chosen_kinds(None, TABLE_KINDS))
    (['summary'], 6)
    >>> chosen_kinds(["pie"], TABLE_KINDS)
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: unknown kind(s) pie; choose from summary, response, ...
    """
    if kinds is None:
        return frozenset(allowed)
    unknown = [k for k in kinds if k not in allowed]
    if unknown:
        raise NetterError(f"unknown kind(s) {', '.join(unknown)}; choose from "
                          f"{', '.join(allowed)}")
    return frozenset(kinds)


def document_tables(document, name: str, *, param: str | None = None, kinds=None
                    ) -> list[tuple[str, Table]]:
    """Every table of a document as ``(file stem, table)``, in a fixed order.

    Parameters
    ----------
    document : any document netter writes (results, subgroups, baseline, crossover, ...)
        A subgroups document has no table (its forest plot is a figure); an
        extrapolation document has the ``psm`` table only with partitioned survival (or
        a not-computable one when the study asked for it and the data could not give it).
    name : str
        Analysis name, the files' prefix.
    param : str, optional
        Only this endpoint's summary table.
    kinds : collection of str, optional
        Only these of :data:`TABLE_KINDS`.
    """
    wanted = chosen_kinds(kinds, TABLE_KINDS)
    missing = getattr(document, "not_computable", None) or {}
    out: list[tuple[str, Table]] = []
    if isinstance(document, BaselineDocument):
        if "characteristics" in wanted:
            table = (not_computable_table("Description", missing["analysis"])
                     if "analysis" in missing else baseline_table(document))
            out.append((output_stem(name, "characteristics"), table))
        return out
    if isinstance(document, ExtrapolationDocument):
        analysis = missing.get("analysis")
        if "extrapolation" in wanted:
            table = (not_computable_table("Parametric survival models", analysis)
                     if analysis is not None else extrapolation_table(document))
            out.append((output_stem(name, "extrapolation"), table))
        if "psm" in wanted:
            reason = analysis or missing.get("psm")
            if reason is not None:
                out.append((output_stem(name, "psm"),
                            not_computable_table("Partitioned survival", reason)))
            elif document.partitioned_survival is not None:
                out.append((output_stem(name, "psm"), psm_table(document)))
        return out
    if isinstance(document, CrossoverDocument):
        if "crossover" in wanted:
            table = (not_computable_table("Crossover adjustment", missing["analysis"])
                     if "analysis" in missing else crossover_table(document))
            out.append((output_stem(name, "crossover"), table))
        return out
    if isinstance(document, SubgroupsDocument) or not hasattr(document, "endpoints"):
        return out
    if "summary" in wanted:
        params = [choose_endpoint(document, param)] if param else requested_endpoints(document)
        several = len(params) > 1
        for paramcd in params:
            table = (tte_summary_table(document, paramcd) if paramcd in document.endpoints
                     else not_computable_table(paramcd, missing[paramcd]))
            out.append((output_stem(name, "summary", paramcd, several=several), table))
    block = response_block(document)
    if "response" in wanted and block is not None:
        order, labels = arm_display(document)
        out.append((output_stem(name, "response"), response_table(
            block, reference=document.reference_arm, methods=document.methods, order=order,
            labels=labels)))
    elif "response" in wanted and "response" in missing:
        out.append((output_stem(name, "response"),
                    not_computable_table("Tumour response", missing["response"])))
    return out


def write_tables(out: str | os.PathLike, name: str, document, *, param: str | None = None,
                 kinds=None) -> list[Path]:
    """Write every table of ``document`` (see :func:`document_tables`) as CSV and HTML.

    Returns
    -------
    list of Path
        The files written, CSV before HTML, tables in :func:`document_tables` order.

    Examples
    --------
    >>> import tempfile
    >>> from netter.tables.specimen import specimen_results
    >>> paths = write_tables(tempfile.mkdtemp(), "main", specimen_results(),
    ...                      param="PFS")
    >>> [p.name for p in paths]
    ['main--summary.csv', 'main--summary.html']
    """
    written: list[Path] = []
    for stem, table in document_tables(document, name, param=param, kinds=kinds):
        written += write_table(table, out, stem)
    return written
