"""Words shown in tables and figures for ADaM names: variables, levels, endpoints.

Labels follow the synthetic trial's data dictionary (``data/synthetic/README.md``);
a name netter does not know is shown as it is.

Examples
--------
>>> variable_label("LIVBURD"), level_label("ALPELFL", "Y"), level_label("SEX", "F")
('Liver tumour burden', 'Yes', 'Female')
>>> endpoint_axis("PFS")
'Progression-free survival (%)'
"""

from __future__ import annotations

#: ADSL variable -> label.
VARIABLES = {
    "AGE": "Age, years",
    "AGEGR1": "Age group (years)",
    "SEX": "Sex",
    "PRIMSITE": "Primary tumour site",
    "LIVBURD": "Liver tumour burden",
    "ALPELFL": "Elevated alkaline phosphatase",
    "LGLESFL": "Target lesion > 30 mm",
    "TUMGRD": "Tumour grade (WHO)",
    "STRAT1R": "Highest SRS tumour uptake score",
    "STRAT2R": "Time on constant-dose octreotide LAR",
}

#: (variable, value) -> label, and value -> label for every variable.
LEVELS = {("SEX", "F"): "Female", ("SEX", "M"): "Male"}
FLAG_LEVELS = {"Y": "Yes", "N": "No"}

#: PARAMCD -> (short name, y-axis title of the Kaplan-Meier figure).
ENDPOINTS = {
    "PFS": ("Progression-free survival", "Progression-free survival (%)"),
    "OS": ("Overall survival", "Overall survival (%)"),
    "TTDGHS": ("Time to deterioration of global health status",
               "Free of GHS deterioration (%)"),
}

#: RECIST 1.1 best overall response categories.
BOR_NAMES = {"CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
             "PD": "Progressive disease", "NE": "Not evaluable"}


def variable_label(name: str) -> str:
    """The label of an ADSL variable (the name itself when unknown).

    Examples
    --------
    >>> variable_label("STRAT2R"), variable_label("XYZ")
    ('Time on constant-dose octreotide LAR', 'XYZ')
    """
    return VARIABLES.get(name, name)


def level_label(variable: str, value: str) -> str:
    """The label of a level: ``Y``/``N`` flags (``...FL``) read Yes/No.

    Examples
    --------
    >>> level_label("LGLESFL", "N"), level_label("TUMGRD", "G1")
    ('No', 'G1')
    """
    if (variable, value) in LEVELS:
        return LEVELS[(variable, value)]
    if variable.endswith("FL"):
        return FLAG_LEVELS.get(value, value)
    return value


def endpoint_name(paramcd: str, label: str | None = None) -> str:
    """A short endpoint name: netter's own, else ``label``, else ``paramcd``.

    Examples
    --------
    >>> endpoint_name("OS"), endpoint_name("DOR", "Duration of response")
    ('Overall survival', 'Duration of response')
    """
    if paramcd in ENDPOINTS:
        return ENDPOINTS[paramcd][0]
    return label or paramcd


def endpoint_axis(paramcd: str, label: str | None = None) -> str:
    """The y-axis title of an endpoint's Kaplan-Meier figure.

    Examples
    --------
    >>> endpoint_axis("XYZ")
    'Event-free (%)'
    """
    if paramcd in ENDPOINTS:
        return ENDPOINTS[paramcd][1]
    return "Event-free (%)"
