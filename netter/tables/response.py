"""Tumour response table (``RESPT01``) from the ``"response"`` block of a results JSON.

The block is used in its JSON form (a ``dict``: ``arms`` with ``n``, ``responders``,
``rate``, ``ci``, ``ci_method``, ``bor_counts`` and ``dcr``; ``difference``,
``odds_ratio``, ``fisher_p_value``, ``cmh``, ``confirmed``), so the table works
from the saved document alone.  Keys beyond these are optional.

Examples
--------
>>> from netter.tables.specimen import specimen_response
>>> table = response_table(specimen_response())
>>> [r.cells for r in table.rows if r.label.startswith("Objective response rate")]
[('40.0% (12.2–73.8)', '0.0% (0.0–30.9)')]
"""

from __future__ import annotations

from netter.results import Methods
from netter.tables import fmt, notes
from netter.tables.labels import BOR_NAMES
from netter.tables.table import Row, Table

#: Stable id of the response table.
TABLE_ID = "RESPT01"

#: Interval and test names as written in footnotes.
METHOD_NAMES = {
    "clopper-pearson": "Clopper-Pearson (exact)",
    "wilson": "Wilson score",
    "newcombe": "Newcombe hybrid score",
    "miettinen-nurminen": "Miettinen-Nurminen score",
}


def _method(name: str | None) -> str:
    return METHOD_NAMES.get(name or "", name or "not stated")


def _arm_rows(arms: list[dict]) -> list[Row]:
    rows = [Row("Best overall response, n (%)", ("",) * len(arms), section=True)]
    for code, name in BOR_NAMES.items():
        rows.append(Row(f"{name} ({code})", tuple(
            fmt.count_percent(a["bor_counts"].get(code, 0), a["n"]) for a in arms), indent=1))
    rows += [
        Row("Responders (CR + PR), n", tuple(str(a["responders"]) for a in arms)),
        Row("Objective response rate, % (95% CI)",
            tuple(fmt.percent_ci(a["rate"], a["ci"]) for a in arms)),
        Row("Disease control rate (CR + PR + SD), % (95% CI)",
            tuple(fmt.percent_ci(a["dcr"]["rate"], a["dcr"]["ci"]) for a in arms)),
    ]
    return rows


def _comparison_rows(response: dict, names: list[str], reference: str,
                     reference_label: str) -> list[Row]:
    compared = response.get("arm") or next((n for n in names if n != reference), None)

    def cell(text: str) -> tuple[str, ...]:
        return tuple(text if n == compared else "" for n in names)

    rows = [Row(f"Comparison with {reference_label}", ("",) * len(names), section=True)]
    diff, odds = response.get("difference"), response.get("odds_ratio")
    if diff:
        rows.append(Row("Difference in ORR, percentage points (95% CI)",
                        cell(fmt.points_ci(diff["estimate"], diff["ci"]))))
    if odds:
        rows.append(Row("Odds ratio (95% CI)", cell(fmt.ratio_ci(
            odds["estimate"], odds["ci"], odds.get("not_estimable_reason")))))
    if "fisher_p_value" in response:
        rows.append(Row("Fisher exact test p-value", cell(fmt.p_value(
            response["fisher_p_value"]))))
    cmh = response.get("cmh")
    if cmh:
        rows.append(Row(f"Cochran-Mantel-Haenszel p-value ({', '.join(cmh['strata'])})",
                        cell(fmt.p_value(cmh["p_value"]))))
    return rows if len(rows) > 1 else []


def _footnotes(response: dict, methods: Methods | None) -> tuple[str, ...]:
    level = fmt.level(response.get("conf_level", 0.95))
    confirmation = ("CR and PR required confirmation by a later assessment"
                    if response["confirmed"] else "unconfirmed CR and PR counted")
    out = [] if methods is None else [notes.profile_note(methods)]
    out.append(f"Best overall response by RECIST 1.1; {confirmation}"
               + (f"; source: {response['bor_source']}." if response.get("bor_source")
                  else "."))
    arm_methods = sorted({a.get("ci_method") or "" for a in response["arms"]})
    out.append(f"{level} CIs of rates: {', '.join(_method(m) for m in arm_methods)}. "
               "Rates over all subjects of the arm (NE counted as non-responders).")
    if response.get("difference"):
        out.append(f"Difference in ORR: {_method(response['difference'].get('method'))} "
                   f"{level} CI.")
    if response.get("odds_ratio"):
        out.append(f"Odds ratio: {response['odds_ratio'].get('method') or 'not stated'}.")
    cmh = response.get("cmh")
    if cmh:
        correction = "with" if cmh.get("correct") else "without"
        out.append(f"Cochran-Mantel-Haenszel test stratified by {', '.join(cmh['strata'])}, "
                   f"{correction} continuity correction.")
    out.append("CR: complete response; PR: partial response; SD: stable disease; PD: "
               "progressive disease; NE: not evaluable or not estimable; ORR: objective "
               "response rate; CI: confidence interval; ∞: odds ratio not bounded above.")
    return tuple(out)


def response_table(response: dict, *, reference: str | None = None,
                   methods: Methods | None = None, order=None, labels=None) -> Table:
    """The response table of a ``"response"`` block (JSON form).

    Parameters
    ----------
    response : dict
        The block; see the module docstring.
    reference : str, optional
        Reference arm (default: the block's ``reference``, else the last arm).
    methods : Methods, optional
        The results document's methods (adds the profile to the footnotes).
    order : sequence of str, optional
        Arms in display order (default: the reference arm last).
    labels : mapping of str to str, optional
        Arm labels (default: the arm values).

    Returns
    -------
    Table
    """
    reference = reference or response.get("reference") or response["arms"][-1]["arm"]
    labels = dict(labels or {})
    rank = {value: i for i, value in enumerate(order or ())}
    arms = list(response["arms"])
    if rank:
        arms = sorted(arms, key=lambda a: rank.get(a["arm"], len(rank)))
    else:
        arms = ([a for a in arms if a["arm"] != reference]
                + [a for a in arms if a["arm"] == reference])
    names = [a["arm"] for a in arms]
    rows = _arm_rows(arms) + _comparison_rows(response, names, reference,
                                              labels.get(reference, reference))
    return Table(id=TABLE_ID, title="Tumour response by arm (RECIST 1.1)",
                 columns=("", *(f"{labels.get(a['arm'], a['arm'])} (N={a['n']})"
                                for a in arms)), rows=tuple(rows),
                 footnotes=_footnotes(response, methods))
