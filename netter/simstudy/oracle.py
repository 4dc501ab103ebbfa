"""RPSFTM at the true psi: what is left of its bias when psi is known.

Under the common-effect mechanic the true psi is known (``-log A``).  Building the
counterfactual untreated times of the reference arm at that psi, exactly as RPSFTM does
at its estimate (:func:`netter.stats.rpsftm.counterfactual_times`; a switcher is on
treatment from the switch to the end of follow-up, the experimental arm keeps its
observed times, the reference arm is re-censored at ``C min(1, exp(psi))`` when asked),
and fitting the same unstratified Cox model, separates the two sources of RPSFTM's
error: estimating psi, and what the counterfactual data set is (its re-censoring, and
the switchers censored before their untreated death).  These rows are diagnostics, not
methods: no analysis of a real trial can compute them.

Examples
--------
>>> ORACLE_KEYS
('rpsftm_true_psi', 'rpsftm_true_psi_no_recensor')
>>> ORACLE_LABELS["rpsftm_true_psi"]
'RPSFTM at the true psi, re-censored (oracle)'
"""

from __future__ import annotations

import numpy as np

#: Keys of the oracle rows (re-censored, not re-censored).
ORACLE_KEYS = ("rpsftm_true_psi", "rpsftm_true_psi_no_recensor")
#: Their labels.
ORACLE_LABELS = {
    "rpsftm_true_psi": "RPSFTM at the true psi, re-censored (oracle)",
    "rpsftm_true_psi_no_recensor": "RPSFTM at the true psi, not re-censored (oracle)",
}


def oracle_estimates(design, adam, psi: float) -> dict:
    """The log hazard ratio on the counterfactual times at ``psi``, re-censored and not.

    Parameters
    ----------
    design : Design
    adam : AdamData
        The trial with switching, locked at the design's cut-off.
    psi : float
        The true psi.

    Returns
    -------
    dict
        :data:`ORACLE_KEYS` -> :class:`netter.simstudy.trial.MethodEstimate` (no interval).
    """
    from netter.adam.crossover import crossover_data
    from netter.simstudy.trial import MethodEstimate
    from netter.stats.cox import cox_hazard_ratio
    from netter.stats.rpsftm import counterfactual_times, recensor_mask

    d = crossover_data(adam.adsl, adam.adtte, param=design.param, arm_var=design.arm_var,
                       reference=design.reference, experimental=design.experimental,
                       unit=design.time_unit, progression_param=None,
                       cutoff_date=str(design.cutoff_date))
    switch = np.where(d.switched, np.nan_to_num(d.switch_time), 0.0)
    on = np.where(d.experimental, d.time,
                  np.where(d.switched, np.maximum(d.time - switch, 0.0), 0.0))
    group = np.where(d.experimental, design.experimental, design.reference)
    out = {}
    for key, recensor in zip(ORACLE_KEYS, (True, False), strict=True):
        if recensor and d.censor_time is None:
            out[key] = MethodEstimate(None, None, None, "re-censoring needs DCUTDT")
            continue
        censor = d.censor_time if recensor else None
        mask = recensor_mask(d.experimental, d.time, on) if recensor else None
        u, ev = counterfactual_times(d.time, d.event, on, psi, censor, mask)
        time = np.where(d.experimental, d.time, u)
        event = np.where(d.experimental, d.event, ev)
        model = cox_hazard_ratio(time, event, group, reference=design.reference,
                                 profile=design.profile)
        effect = model.effects[0] if model.effects else None
        if effect is None or effect.coef is None:
            reason = effect.not_estimable_reason if effect is not None else "no comparison"
            out[key] = MethodEstimate(None, None, None, reason)
        else:
            out[key] = MethodEstimate(float(effect.coef), None, None, None)
    return out
