"""Results as figures show them: arms in the study's order, under their labels.

A figure draws arms in the order of the study (``arm_labels`` of the document: the
order of colours and line types) and writes their labels; without a study the
reference arm comes last and arms are shown by their values.  These functions make
relabelled copies of the results parts a figure draws, so the drawing code only
ever sees what it shows.

Examples
--------
>>> from netter.tables.specimen import specimen_results
>>> doc = specimen_results()
>>> [a.arm for a in display_endpoint(doc.endpoints["PFS"], doc).arms]
['Drug A', 'Control']
"""

from __future__ import annotations

from dataclasses import replace

from netter.results import EndpointResult
from netter.tables.labels import arm_label, order_arms


def display_endpoint(endpoint: EndpointResult, document=None) -> EndpointResult:
    """``endpoint`` with its arms in display order and named by their labels.

    Without ``document`` the arms keep their order and values.
    """
    if document is None:
        return endpoint
    arms = order_arms(list(endpoint.arms), document, name=lambda a: a.arm)

    def named(model):
        return None if model is None else replace(
            model, arm=None if model.arm is None else arm_label(document, model.arm),
            reference=arm_label(document, model.reference))

    def each(models):
        return None if models is None else tuple(named(m) for m in models)

    return replace(endpoint, arms=tuple(replace(a, arm=arm_label(document, a.arm))
                                        for a in arms),
                   cox=named(endpoint.cox), cox_stratified=named(endpoint.cox_stratified),
                   cox_by_arm=each(endpoint.cox_by_arm),
                   cox_stratified_by_arm=each(endpoint.cox_stratified_by_arm))


def display_response(block: dict, document=None) -> dict:
    """A response block (JSON form) with arms in display order under their labels.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_response
    >>> [a["arm"] for a in display_response(specimen_response())["arms"]]
    ['Drug A', 'Control']
    """
    reference = block.get("reference")
    if document is None:
        arms = ([a for a in block["arms"] if a["arm"] != reference]
                + [a for a in block["arms"] if a["arm"] == reference])
        return {**block, "arms": arms}
    arms = order_arms(list(block["arms"]), document, name=lambda a: a["arm"])
    out = {**block, "arms": [{**a, "arm": arm_label(document, a["arm"])} for a in arms]}
    if reference is not None:
        out["reference"] = arm_label(document, reference)
    return out
