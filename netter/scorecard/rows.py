"""The scorecard's rows: which published NETTER-1 number is compared with which result.

Each :class:`Spec` names a published record (:mod:`netter.published`), the analysis
whose results file holds the reproduced number (``reports/results/<analysis>.json``),
the path of that number inside the file, and the method in words.  A path is dotted
keys with selectors in brackets (see :mod:`netter.scorecard.paths`):

* ``[lu]`` / ``[control]``: the list element of the experimental / reference arm
  (the reference arm is the document's ``reference_arm``; "lu" is the other arm);
* ``[time=20]``: the list element whose ``time`` is 20 (or, on an object, a check
  that its ``time`` is 20).

Every published record is either a row here or listed in :data:`NOT_SCORED` with
the reason; unverified (``U``) records are rows too, shown and never counted.

Examples
--------
>>> spec = spec_for("pfs.primary.hr_nejm")
>>> spec.analysis, spec.value
('pfs_primary', 'endpoints.PFS.cox_stratified.hazard_ratio')
>>> spec_for("os.final.crossover_control_to_rlt").value is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of comparison (the status rule follows from the kind and the published CI).
ESTIMATE = "estimate"    # a number with a CI (HR, rate, RMST)
QUANTILE = "quantile"    # a Kaplan-Meier quantile: null = not reached (+inf), CI ends too
COUNT = "count"          # events: the reproduced CI is n x exact CI of events / n
EXACT = "exact"          # a design count that must be equal
P_VALUE = "p_value"      # shown, not compared (a p-value has no interval)
KINDS = (ESTIMATE, QUANTILE, COUNT, EXACT, P_VALUE)

#: Data cut-offs of the analyses (ISO dates; primary and update: ``cutoff.*`` records,
#: final: Lancet Oncol 2021, as in the synthetic trial's config).
CUTOFFS = {"primary": "2015-07-24", "update": "2016-06-30", "final": "2021-01-14"}

#: Method phrases; ``{...}`` is filled from the results document (methods, strata).
COX = "unstratified Cox, {ties} ties, Wald {conf} CI"
COX_STRAT = "stratified Cox (strata {strata}), {ties} ties, Wald {conf} CI"
KM_MEDIAN = "Kaplan-Meier median, Brookmeyer-Crowley {conf} CI ({conf_type})"
KM_RATE = "Kaplan-Meier S({time} months), pointwise {conf} CI ({conf_type})"
RMST = "RMST to {tau} months, normal {conf} CI"
RMST_DIFF = "RMST difference (177Lu - control) to {tau} months, normal {conf} CI"
FOLLOWUP = "reverse Kaplan-Meier median follow-up, {conf} CI ({conf_type})"
EVENTS = "events in the analysis set"
N_SET = "subjects in the analysis set"
ORR = "confirmed ORR (CR + PR) / N, {ci_method} CI"


@dataclass(frozen=True)
class Spec:
    """One scorecard row: a published record and where its reproduction is found.

    Attributes
    ----------
    record : str
        Key of the published record.
    label : str
        What the number is, in words.
    endpoint : str
        Endpoint family shown in the table ("PFS", "OS", "ORR", "QoL TTD", "Design").
    cutoff : str
        Data cut-off name (a key of :data:`CUTOFFS`).
    analysis : str
        Results file stem: ``<analysis>.json``.
    value : str or None
        Path of the reproduced number; ``None``: the results do not hold it
        (``reason`` says why) and the row is "not computable".
    ci : str or None
        Path of the reproduced CI (``[lower, upper]``).
    n : str or None
        Path of the denominator of a count (kind ``count``).
    kind : str
        One of :data:`KINDS`.
    scale : float
        Reproduced value x scale = published unit (100 for percentages).
    method : str
        How the reproduced number is computed (a template, see the module constants).
    reason : str or None
        Why the number is not computable from results files.
    unit : str
        Unit of the published number ("months", "%" or empty).
    """

    record: str
    label: str
    endpoint: str
    cutoff: str
    analysis: str
    value: str | None
    ci: str | None = None
    n: str | None = None
    kind: str = ESTIMATE
    scale: float = 1.0
    method: str = ""
    reason: str | None = None
    unit: str = ""


# --- helpers that spell out the paths -----------------------------------------------------


def _hr(record, label, endpoint, cutoff, analysis, paramcd, *, stratified: bool) -> Spec:
    model = "cox_stratified" if stratified else "cox"
    at = f"endpoints.{paramcd}.{model}"
    return Spec(record, label, endpoint, cutoff, analysis, f"{at}.hazard_ratio", f"{at}.ci",
                method=COX_STRAT if stratified else COX)


def _median(record, label, endpoint, cutoff, analysis, paramcd, arm, *,
            stat: str = "median", method: str = KM_MEDIAN) -> Spec:
    at = f"endpoints.{paramcd}.arms[{arm}].{stat}"
    return Spec(record, label, endpoint, cutoff, analysis, f"{at}.estimate", f"{at}.ci",
                kind=QUANTILE, method=method, unit="months")


def _rate(record, label, endpoint, cutoff, analysis, paramcd, arm, time: int) -> Spec:
    at = f"endpoints.{paramcd}.arms[{arm}].landmarks[time={time}]"
    return Spec(record, label, endpoint, cutoff, analysis, f"{at}.survival", f"{at}.ci",
                scale=100.0, method=KM_RATE.replace("{time}", str(time)), unit="%")


def _events(record, label, endpoint, cutoff, analysis, paramcd, arm=None) -> Spec:
    at = f"endpoints.{paramcd}" + (f".arms[{arm}]" if arm else "")
    return Spec(record, label, endpoint, cutoff, analysis, f"{at}.events", n=f"{at}.n",
                kind=COUNT, method=EVENTS)


def _events_by(record, label, arm, time: int) -> Spec:
    at = f"endpoints.OS.arms[{arm}]"
    return Spec(record, label, "OS", "final", "os_final",
                f"{at}.landmarks[time={time}].events", n=f"{at}.n", kind=COUNT,
                method=f"OS deaths at or before month {time} (landmark {time})")


def _deaths(record, label, arm) -> Spec:
    at = f"endpoints.PFS.arms[{arm}]"
    return Spec(record, label, "PFS", "primary", "pfs_primary",
                f"{at}.event_types[description=Death].count", n=f"{at}.n", kind=COUNT,
                method="PFS events with EVNTDESC 'Death'")


def _n(record, label, cutoff, analysis, paramcd, arm) -> Spec:
    return Spec(record, label, "Design", cutoff, analysis,
                f"endpoints.{paramcd}.arms[{arm}].n", kind=EXACT,
                method=f"{N_SET} ({paramcd})")


def _rmst(record, label, analysis, arm, tau: int) -> Spec:
    at = f"endpoints.OS.arms[{arm}].rmst[tau={tau}]"
    return Spec(record, label, "OS", "final", analysis, f"{at}.estimate", f"{at}.ci",
                method=RMST.replace("{tau}", str(tau)), unit="months")


def _subgroup(key, words, variable, level) -> Spec:
    at = f"variables[variable={variable}].levels[level={level}]"
    return Spec(f"pfs.subgroup.{key}.hr", f"PFS hazard ratio, {words}", "PFS subgroups",
                "primary", "pfs_subgroups", f"{at}.hazard_ratio", f"{at}.ci",
                method=f"unstratified Cox in the subgroup {variable} = {level}, "
                       "{ties} ties, Wald {conf} CI (cut-off not stated in the abstract: "
                       "primary assumed)")


def _orr(record, label, arm) -> Spec:
    at = f"response.arms[{arm}]"
    return Spec(record, label, "ORR", "primary", "response", f"{at}.rate", f"{at}.ci",
                scale=100.0, method=ORR, unit="%")


def _not_computable(record, label, endpoint, cutoff, analysis, reason) -> Spec:
    return Spec(record, label, endpoint, cutoff, analysis, None, reason=reason)


_NO_CROSSOVER = "crossover is an ADSL variable (XOVERFL), not an analysed endpoint"

SPECS: tuple[Spec, ...] = (
    # design
    _n("design.itt_primary_nejm.n_lu", "Randomised, 177Lu (primary ITT)", "primary",
       "pfs_primary", "PFS", "lu"),
    _n("design.itt_primary_nejm.n_control", "Randomised, control (primary ITT)", "primary",
       "pfs_primary", "PFS", "control"),
    _n("design.itt_all_randomised.n_lu", "Randomised, 177Lu (all)", "final", "os_final",
       "OS", "lu"),
    _n("design.itt_all_randomised.n_control", "Randomised, control (all)", "final",
       "os_final", "OS", "control"),
    # PFS, primary analysis
    _hr("pfs.primary.hr_nejm", "PFS hazard ratio (NEJM)", "PFS", "primary", "pfs_primary",
        "PFS", stratified=True),
    _hr("pfs.primary.hr_later_reported", "PFS hazard ratio (as reported in 2021)", "PFS",
        "primary", "pfs_primary", "PFS", stratified=False),
    _hr("pfs.label.hr", "PFS hazard ratio (US label)", "PFS", "primary", "pfs_primary", "PFS",
        stratified=True),
    _median("pfs.primary.median.lu", "Median PFS, 177Lu (months)", "PFS", "primary",
            "pfs_primary", "PFS", "lu"),
    _median("pfs.primary.median.control", "Median PFS, control (months)", "PFS", "primary",
            "pfs_primary", "PFS", "control"),
    _median("pfs.primary.median.control.ci_nejm", "Median PFS, control: NEJM CI (months)",
            "PFS", "primary", "pfs_primary", "PFS", "control"),
    _median("pfs.label.median.control", "Median PFS, control (US label, months)", "PFS",
            "primary", "pfs_primary", "PFS", "control"),
    _rate("pfs.primary.rate_month20.lu", "PFS rate at month 20, 177Lu (%)", "PFS", "primary",
          "pfs_primary", "PFS", "lu", 20),
    _rate("pfs.primary.rate_month20.control", "PFS rate at month 20, control (%)", "PFS",
          "primary", "pfs_primary", "PFS", "control", 20),
    _events("pfs.primary.events_snmmi2016.lu", "PFS events, 177Lu (SNMMI 2016)", "PFS",
            "primary", "pfs_primary", "PFS", "lu"),
    _events("pfs.primary.events_snmmi2016.control", "PFS events, control (SNMMI 2016)", "PFS",
            "primary", "pfs_primary", "PFS", "control"),
    _events("pfs.label.events.lu", "PFS events, 177Lu (US label)", "PFS", "primary",
            "pfs_primary", "PFS", "lu"),
    _events("pfs.label.events.control", "PFS events, control (US label)", "PFS", "primary",
            "pfs_primary", "PFS", "control"),
    _deaths("pfs.label.deaths.lu", "PFS events that were deaths, 177Lu (US label)", "lu"),
    _deaths("pfs.label.deaths.control", "PFS events that were deaths, control (US label)",
            "control"),
    # PFS, first update
    _hr("pfs.update_2016_06_30.hr", "PFS hazard ratio (update)", "PFS", "update", "pfs_update",
        "PFS", stratified=True),
    _events("pfs.update_2016_06_30.events.lu", "PFS events, 177Lu (update)", "PFS", "update",
            "pfs_update", "PFS", "lu"),
    _events("pfs.update_2016_06_30.events.control", "PFS events, control (update)", "PFS",
            "update", "pfs_update", "PFS", "control"),
    # PFS subgroups (EJNMMI 2020, primary analysis)
    _subgroup("alp_normal", "normal ALP", "ALPELFL", "N"),
    _subgroup("alp_elevated", "elevated ALP", "ALPELFL", "Y"),
    _subgroup("liver_burden_low_lt25", "liver burden <25%", "LIVBURD", "<25%"),
    _subgroup("liver_burden_moderate_25_50", "liver burden 25-50%", "LIVBURD", "25-50%"),
    _subgroup("liver_burden_high_gt50", "liver burden >50%", "LIVBURD", ">50%"),
    _subgroup("large_target_lesion_absent", "no target lesion >30 mm", "LGLESFL", "N"),
    _subgroup("large_target_lesion_present_gt30mm", "a target lesion >30 mm", "LGLESFL", "Y"),
    # objective response, primary analysis
    _orr("orr.nejm.lu", "Objective response rate, 177Lu (%)", "lu"),
    _orr("orr.nejm.control", "Objective response rate, control (%)", "control"),
    _orr("orr.label.lu", "Objective response rate, 177Lu (US label, %)", "lu"),
    _orr("orr.label.control", "Objective response rate, control (US label, %)", "control"),
    # OS, interim (primary cut-off)
    _events("os.interim_nejm.deaths.lu", "Deaths, 177Lu (interim OS)", "OS", "primary",
            "os_interim", "OS", "lu"),
    _events("os.interim_nejm.deaths.control", "Deaths, control (interim OS)", "OS", "primary",
            "os_interim", "OS", "control"),
    _hr("os.interim_nejm.hr", "OS hazard ratio (interim)", "OS", "primary", "os_interim", "OS",
        stratified=False),
    Spec("os.interim_nejm.p", "OS p-value (interim)", "OS", "primary", "os_interim",
         "endpoints.OS.logrank.p_value", kind=P_VALUE, method="unstratified log-rank test"),
    # OS, first update
    _median("os.update_2016_06_30.median.control", "Median OS, control (update, months)", "OS",
            "update", "os_update", "OS", "control"),
    # OS, final analysis
    _hr("os.final.hr", "OS hazard ratio (final)", "OS", "final", "os_final", "OS",
        stratified=False),
    _median("os.final.median.lu", "Median OS, 177Lu (final, months)", "OS", "final",
            "os_final", "OS", "lu"),
    _median("os.final.median.control", "Median OS, control (final, months)", "OS", "final",
            "os_final", "OS", "control"),
    _rmst("os.final.rmst_2y.lu", "OS RMST to 24 months, 177Lu (months)", "os_final", "lu", 24),
    _rmst("os.final.rmst_2y.control", "OS RMST to 24 months, control (months)", "os_final",
          "control", 24),
    Spec("os.final.rmst_2y.difference", "OS RMST difference to 24 months (months)", "OS",
         "final", "os_final", "endpoints.OS.rmst_difference[tau=24].estimate",
         "endpoints.OS.rmst_difference[tau=24].ci", method=RMST_DIFF.replace("{tau}", "24"),
         unit="months"),
    _events("os.final.deaths_total", "Deaths, both arms (final)", "OS", "final", "os_final",
            "OS"),
    _events("os.final.deaths.lu", "Deaths, 177Lu (final)", "OS", "final", "os_final", "OS",
            "lu"),
    _events("os.final.deaths.control", "Deaths, control (final)", "OS", "final", "os_final",
            "OS", "control"),
    _events_by("os.final.deaths_by_2y.lu", "Deaths by 2 years, 177Lu (final)", "lu", 24),
    _events_by("os.final.deaths_by_2y.control", "Deaths by 2 years, control (final)",
               "control", 24),
    _median("os.final.median_followup.lu", "Median follow-up, 177Lu (final, months)", "OS",
            "final", "os_final", "OS", "lu", stat="median_followup", method=FOLLOWUP),
    _median("os.final.median_followup.control", "Median follow-up, control (final, months)",
            "OS", "final", "os_final", "OS", "control", stat="median_followup",
            method=FOLLOWUP),
    Spec("os.final.ph_test_schoenfeld_p", "OS proportional-hazards test p-value (final)", "OS",
         "final", "os_final", "endpoints.OS.ph_test.p_value", kind=P_VALUE,
         method="cox.zph score test (km transform) of the unstratified Cox model"),
    _not_computable("os.final.crossover_control_to_rlt",
                    "Control patients who received radioligand therapy later", "OS", "final",
                    "os_final", _NO_CROSSOVER),
    # quality of life (first update)
    _hr("qol.ttd.global_health_status.hr", "QoL (GHS) time to deterioration HR", "QoL TTD",
        "update", "qol", "TTDGHS", stratified=False),
    _hr("qol.ttd.global_health_status.hr_ci_jco2018", "QoL (GHS) TTD HR: JCO 2018 CI",
        "QoL TTD", "update", "qol", "TTDGHS", stratified=False),
    _median("qol.ttd.global_health_status.median.lu", "Median QoL (GHS) TTD, 177Lu (months)",
            "QoL TTD", "update", "qol", "TTDGHS", "lu"),
    _median("qol.ttd.global_health_status.median.control",
            "Median QoL (GHS) TTD, control (months)", "QoL TTD", "update", "qol", "TTDGHS",
            "control"),
)

#: Published records that are not scorecard rows, and why.
NOT_SCORED: dict[str, str] = {
    "cutoff.primary_pfs": "a date: the primary cut-off of the rows (CUTOFFS)",
    "cutoff.first_regulatory_update_os_pfs_qol": "a date: the update cut-off of the rows "
                                                 "(CUTOFFS)",
}


def spec_for(record: str) -> Spec:
    """The row of published record ``record``.

    Raises
    ------
    KeyError
        ``record`` is not a scorecard row.
    """
    for spec in SPECS:
        if spec.record == record:
            return spec
    raise KeyError(record)
