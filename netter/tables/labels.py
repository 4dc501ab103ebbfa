"""Words shown in tables and figures: taken from the documents, never from a trial.

Labels of arms, endpoints, variables and levels are decided when an analysis runs
(from the study, else the ADaM metadata: ``PARAM``, XPORT/Parquet variable labels)
and recorded in the results documents; this module reads them and falls back to the
ADaM names themselves.  The only words it knows are ADaM and RECIST conventions:
``Y``/``N`` flags (``...FL`` variables) read Yes/No, and the best-overall-response
categories.

Examples
--------
>>> from netter.results import BaselineVariable
>>> var = BaselineVariable("SEX", "categorical", ("F", "M"), (), label="Sex",
...                        level_labels={"F": "Female"})
>>> variable_label(var), level_label(var, "F"), level_label(var, "M")
('Sex', 'Female', 'M')
>>> time_axis("months", "randomisation"), time_axis("weeks", None)
('Months since randomisation', 'Time (weeks)')
"""

from __future__ import annotations

#: Values of ADaM ``Y``/``N`` flags.
FLAG_LEVELS = {"Y": "Yes", "N": "No"}

#: RECIST 1.1 best overall response categories.
BOR_NAMES = {"CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
             "PD": "Progressive disease", "NE": "Not evaluable"}

#: How each time unit converts from days (said in footnotes).
UNIT_RULES = {"days": "", "weeks": " (days / 7)", "months": " (days / 30.4375)",
              "years": " (days / 365.25)"}


def variable_label(var) -> str:
    """The label of a described or subgroup variable (its name when none is recorded).

    Examples
    --------
    >>> from netter.results import BaselineVariable
    >>> variable_label(BaselineVariable("XYZ", "categorical", (), ()))
    'XYZ'
    """
    return getattr(var, "label", None) or var.variable


def level_label(var, value: str) -> str:
    """The label of a level: the recorded one, else Yes/No for a ``...FL`` flag, else the
    value.

    Examples
    --------
    >>> from netter.results import BaselineVariable
    >>> flag = BaselineVariable("LGLESFL", "categorical", ("N", "Y"), ())
    >>> level_label(flag, "N"), level_label(flag, "G1")
    ('No', 'G1')
    """
    recorded = getattr(var, "level_labels", None) or {}
    if value in recorded:
        return recorded[value]
    if var.variable.endswith("FL"):
        return FLAG_LEVELS.get(value, value)
    return value


def endpoint_name(endpoint) -> str:
    """The endpoint's name: its recorded label, else its ``PARAMCD``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> endpoint_name(SimpleNamespace(paramcd="DOR", label=None))
    'DOR'
    """
    return endpoint.label or endpoint.paramcd


def endpoint_axis(endpoint) -> str:
    """The y-axis title of an endpoint's Kaplan-Meier figure: the recorded axis title,
    else "<label> (%)", else "Event-free (%)".

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> endpoint_axis(SimpleNamespace(paramcd="DOR", label="Duration of response",
    ...                               axis=None))
    'Duration of response (%)'
    >>> endpoint_axis(SimpleNamespace(paramcd="X", label=None, axis=None))
    'Event-free (%)'
    """
    axis = getattr(endpoint, "axis", None)
    if axis:
        return axis
    return f"{endpoint.label} (%)" if endpoint.label else "Event-free (%)"


def time_axis(unit: str, origin: str | None) -> str:
    """The x-axis title: "<Unit> since <origin>", or "Time (<unit>)" without an origin."""
    return f"{unit.capitalize()} since {origin}" if origin else f"Time ({unit})"


def unit_note(unit: str) -> str:
    """The footnote sentence on the time unit.

    Examples
    --------
    >>> unit_note("months"), unit_note("days")
    ('Times in months (days / 30.4375).', 'Times in days.')
    """
    return f"Times in {unit}{UNIT_RULES.get(unit, '')}."


def arm_display(document) -> tuple[list[str], dict[str, str]]:
    """Arms in display order and their labels, from a document's ``arm_labels``.

    Without ``arm_labels`` (a document made without a study), the arms keep their order
    with the reference arm last, and their values as labels.

    Parameters
    ----------
    document
        Any results document (``arm_labels``, ``reference_arm`` and arms read).

    Returns
    -------
    (order, labels)
        ``order``: arm values, the study's first, then any other in the document's order.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from netter.results import ArmLabel
    >>> doc = SimpleNamespace(arm_labels=(ArmLabel("b", "Drug B"), ArmLabel("a", "A")),
    ...                       reference_arm="a")
    >>> arm_display(doc)
    (['b', 'a'], {'b': 'Drug B', 'a': 'A'})
    """
    labels = {a.value: a.label for a in (getattr(document, "arm_labels", None) or ())}
    return list(labels), labels


def order_arms(items, document, name=lambda item: item) -> list:
    """``items`` (arms or per-arm results) in display order: the study's order when the
    document records it, else the reference arm last (other arms keep their order).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> order_arms(["A", "Ref", "B"], SimpleNamespace(arm_labels=None, reference_arm="Ref"))
    ['A', 'B', 'Ref']
    """
    order, _ = arm_display(document)
    reference = getattr(document, "reference_arm", None)
    if order:
        rank = {value: i for i, value in enumerate(order)}
        return sorted(items, key=lambda item: rank.get(name(item), len(rank)))
    return ([i for i in items if name(i) != reference] + [i for i in items if name(i) == reference])


def arm_label(document, value: str) -> str:
    """The label of arm ``value`` in ``document`` (the value itself when none is recorded)."""
    return arm_display(document)[1].get(value, value)
