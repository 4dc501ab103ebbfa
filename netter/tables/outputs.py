"""What ``netter tables`` writes: every table of a results document (and of ADSL).

Files are named by analysis and kind::

    <out>/<name>--summary.csv, <name>--summary.html    time-to-event summary (results)
    <out>/<name>--response.csv, <name>--response.html  response table (results with a
                                                       "response" block)
    <out>/baseline.json, baseline.csv, baseline.html   baseline characteristics (with
                                                       the ADaM data)

The baseline statistics are computed by :mod:`netter.endpoints.baseline` and
saved (``baseline.json``, schema ``netter.baseline/1``) before the table is made
from them.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from netter.artefacts import write_results
from netter.endpoints.baseline import DEFAULT_VARIABLES, BaselineDocument, describe_baseline
from netter.endpoints.trial import input_file
from netter.errors import NetterError
from netter.results import ResultsDocument, to_json_dict
from netter.tables.baseline import baseline_table
from netter.tables.response import response_table
from netter.tables.table import write_table
from netter.tables.tte import tte_summary_table


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
    available = sorted(document.endpoints)
    if param is not None:
        if param not in document.endpoints:
            raise NetterError(f"the results have no endpoint {param}; they have "
                              f"{', '.join(available)}")
        return param
    if len(available) != 1:
        raise NetterError(f"the results have endpoints {', '.join(available)}; name one "
                          "(--param)")
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


def baseline_document(data, *, arm_var: str, population_flag: str | None,
                      variables=None) -> BaselineDocument:
    """Describe ADSL of loaded ADaM data (default variables: those of
    :data:`~netter.endpoints.baseline.DEFAULT_VARIABLES` that ADSL has)."""
    if variables is None:
        variables = [v for v in DEFAULT_VARIABLES if v in data.adsl.columns]
    inputs = {"adsl": input_file(data.files["adsl"])} if "adsl" in data.files else {}
    return describe_baseline(data.adsl, variables=variables, arm_var=arm_var,
                             population_flag=population_flag, inputs=inputs)


#: Table kinds from a results document, as they end the file names (``NAME--<kind>``).
TABLE_KINDS = ("summary", "response")


def chosen_kinds(kinds, allowed: tuple[str, ...]) -> frozenset[str]:
    """The requested output kinds (all of ``allowed`` when ``kinds`` is None).

    Examples
    --------
    >>> sorted(chosen_kinds(["summary"], TABLE_KINDS)), len(chosen_kinds(None, TABLE_KINDS))
    (['summary'], 2)
    >>> chosen_kinds(["pie"], TABLE_KINDS)
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: unknown kind(s) pie; choose from summary, response
    """
    if kinds is None:
        return frozenset(allowed)
    unknown = [k for k in kinds if k not in allowed]
    if unknown:
        raise NetterError(f"unknown kind(s) {', '.join(unknown)}; choose from "
                          f"{', '.join(allowed)}")
    return frozenset(kinds)


def write_tables(out: str | os.PathLike, name: str, *, results: ResultsDocument,
                 param: str | None = None,
                 baseline: BaselineDocument | None = None, kinds=None) -> list[Path]:
    """Write the tables of ``results`` (and ``baseline``) as CSV and HTML.

    Parameters
    ----------
    out : path-like
        Folder (created if needed).
    name : str
        Analysis name, the files' prefix (e.g. ``"pfs_primary"``).
    results : ResultsDocument
    param : str, optional
        Endpoint of the summary table (default: the document's only one).
    baseline : BaselineDocument, optional
        Saved as ``baseline.json`` and tabulated as ``baseline.csv|html``.
    kinds : collection of str, optional
        Only these of ``"summary"``, ``"response"`` (default: every kind the results
        allow); the baseline table follows ``baseline``.

    Returns
    -------
    list of Path
        The files written, in the order of the module docstring.

    Examples
    --------
    >>> import tempfile
    >>> from netter.tables.specimen import specimen_results
    >>> paths = write_tables(tempfile.mkdtemp(), "pfs_primary", results=specimen_results(),
    ...                      param="PFS")
    >>> [p.name for p in paths]
    ['pfs_primary--summary.csv', 'pfs_primary--summary.html']
    """
    wanted = chosen_kinds(kinds, TABLE_KINDS)
    out, written = Path(out), []
    if "summary" in wanted:
        endpoint = choose_endpoint(results, param)
        written += write_table(tte_summary_table(results, endpoint), out, f"{name}--summary")
    block = response_block(results)
    if block is not None and "response" in wanted:
        table = response_table(block, reference=results.reference_arm, methods=results.methods)
        written += write_table(table, out, f"{name}--response")
    if baseline is not None:
        out.mkdir(parents=True, exist_ok=True)
        written.append(write_results(baseline, out / "baseline.json"))
        written += write_table(baseline_table(baseline), out, "baseline")
    return written
