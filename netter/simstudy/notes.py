"""What each crossover method assumes, and why it is biased under each simulator mechanic.

Words for the summary of a crossover simulation study (:mod:`netter.simstudy.output`).
They explain mechanisms; the measured numbers say how large each bias is and which way
it goes.  Two facts of the simulator (:mod:`netter.synthetic.outcomes`) carry most of
the explanations: reference-arm patients switch only after progressing (with a given
probability, after an exponential delay, and only if still alive), and under either
mechanic a patient's history up to the switch does not depend on the mechanic.  So the
methods that use no follow-up after the switch (IPCW, censoring, exclusion) see the
same reference arm under both mechanics: a difference in their bias between the
mechanics comes from the experimental arm and the truth, not from what switching does.

Examples
--------
>>> from netter.results.crossover import METHODS
>>> from netter.simstudy.oracle import ORACLE_KEYS
>>> sorted(ASSUMPTIONS) == sorted(["itt", *METHODS, *ORACLE_KEYS])
True
>>> "common treatment effect" in why("common_effect", "rpsftm")
True
>>> why("another_mechanic", "rpsftm")
''
"""

from __future__ import annotations

#: Method key -> what it does and assumes (interval included).
ASSUMPTIONS = {
    "itt": (
        "No adjustment: the arms as randomised. It estimates the effect of being offered the "
        "experimental treatment with switching allowed, not the effect without switching. "
        "Wald interval, model SE."),
    "rpsftm": (
        "Rank-preserving structural failure time model: psi is the value that balances the "
        "counterfactual untreated times U = T_off + exp(psi) T_on between the randomised arms "
        "(log-rank test). Assumes a common treatment effect: the experimental treatment "
        "stretches the survival time left by the same factor exp(-psi) whether it is taken "
        "from randomisation or after a switch. Re-censoring at C min(1, exp(psi)) keeps the "
        "censoring of U independent of the treatment received. Interval: the ITT log-rank "
        "p-value preserved."),
    "rpsftm_no_recensor": (
        "RPSFTM without re-censoring: U is censored where T was. Because exp(psi) shrinks "
        "(or stretches) the treated time of switchers only, the censoring of U depends on "
        "the treatment received and on prognosis (informative censoring)."),
    "ipcw": (
        "Inverse probability of censoring weights: switchers are censored at the switch and "
        "the unswitched are weighted by the inverse of their probability of remaining "
        "unswitched (pooled logistic model on baseline covariates, time, progression and "
        "time since progression). Assumes no unmeasured confounders of switching, a correct "
        "switching model and positivity. Interval: Wald with a robust SE."),
    "tse": (
        "Two-stage estimation: an accelerated failure time model (Weibull) of survival after "
        "progression among progressed reference-arm patients, with switching as a fixed "
        "covariate, gives the switch's acceleration factor; switchers' post-progression "
        "time is shrunk by it (and re-censored). Assumes switching at or soon after "
        "progression, no unmeasured confounders at progression and a common acceleration "
        "factor. Interval: Wald with the naive model SE (ignores stage 1)."),
    "censor": (
        "Naive: switchers censored at the switch, no weights. The censoring is informative "
        "(only progressed patients switch)."),
    "exclude": (
        "Naive: switchers removed from the analysis, which breaks randomisation (they are "
        "selected after it: progressed, and alive long enough to switch)."),
    "rpsftm_true_psi": (
        "Diagnostic, not a method: RPSFTM's counterfactual times and Cox model at the true "
        "psi (known only in a simulation), re-censored as RPSFTM re-censors. Its bias is "
        "what the counterfactual data set itself costs; RPSFTM's bias beyond it comes from "
        "estimating psi."),
    "rpsftm_true_psi_no_recensor": (
        "Diagnostic, not a method: the same at the true psi without re-censoring."),
}

#: (mechanic, method key) -> why the method is or is not biased under the mechanic.
WHY = {
    ("common_effect", "itt"): (
        "Switchers get the treatment's full benefit on the survival time left at the switch, "
        "so the reference arm lives longer than its twin without switching and the hazard "
        "ratio is pulled towards 1."),
    ("common_effect", "rpsftm"): (
        "The common treatment effect holds by construction: with the true psi, U is every "
        "patient's untreated death, so psi is estimated without bias and the counterfactual "
        "data at the true psi give the twin's hazard ratio (the oracle rows). What is left "
        "comes from estimating psi: the switchers' counterfactual times and the re-censoring "
        "of the whole reference arm at C exp(psi) both move with the estimate, and the hazard "
        "ratio responds more to a psi too far from 0 (shorter switcher times and earlier "
        "censoring of the reference arm) than to one too close to 0, so an unbiased but "
        "noisy psi can give a biased hazard ratio, with a larger spread than the ITT's."),
    ("common_effect", "rpsftm_true_psi"): (
        "At the true psi a switcher's U is the twin's untreated death whenever the death is "
        "observed; re-censoring at C exp(psi) < C then drops reference-arm follow-up the "
        "twin has, which changes the hazard ratio only as far as the hazard ratio changes "
        "over the time dropped."),
    ("common_effect", "rpsftm_true_psi_no_recensor"): (
        "Without re-censoring, U equals the twin's time for every reference patient but the "
        "switchers censored at the cut-off, whose U is censored at x + (C - x) exp(psi) < C "
        "(x: the switch): earlier than in the twin, and informatively (it depends on x)."),
    ("common_effect", "rpsftm_no_recensor"): (
        "The common treatment effect holds, but the censoring of U is informative (a censored "
        "switcher's U is censored at x + (C - x) exp(psi), x the switch), which can bias "
        "the hazard ratio. Without re-censoring psi's error moves only the switchers' times, "
        "not the censoring of the whole reference arm, so it costs less than with "
        "re-censoring."),
    ("common_effect", "ipcw"): (
        "Switching depends on the true progression, the delay since it and nothing else, "
        "but the switching model sees progression only as recorded (an event of the "
        "progression parameter): a switcher whose progression is recorded after the switch, "
        "or never (scans at intervals, central imaging stopped), looks like a patient who "
        "switched without progressing, and the logit is linear in time and time since "
        "progression, so the weights can only be approximately right. With a few dozen "
        "switchers they are noisy, and an extreme fitted probability makes the model count "
        "as separated (not estimable)."),
    ("common_effect", "tse"): (
        "Stage 1 measures the switch's effect from progression, but the switch multiplies "
        "the time left at the switch, after an untreated delay that switchers had to "
        "survive: the acceleration factor of 'switching', as a fixed covariate from "
        "progression, is neither A nor common, and the Weibull shape may be wrong. "
        "Switchers without a recorded progression before the switch keep their observed "
        "times (no correction at all)."),
    ("common_effect", "censor"): (
        "Informative censoring: the censored switchers are a selected group (progressed, "
        "alive at the switch), so the reference arm's remaining risk set is not its twin's. "
        "In the simulator the switch is otherwise at random (a fixed probability and an "
        "exponential delay after progression), so the censoring is informative only "
        "through progression and the bias can be small."),
    ("common_effect", "exclude"): (
        "Excluding switchers removes progressed patients who survived long enough to switch; "
        "the progressed patients left in the reference arm are enriched in early deaths, so "
        "the reference arm looks worse and the hazard ratio too favourable."),
    ("hazard_ratio", "itt"): (
        "A switcher's post-progression death hazard is multiplied by death_hazard_ratio from "
        "the switch on: the reference arm lives longer than its twin and the hazard ratio is "
        "pulled towards 1 (less than under a large common effect when the switch's effect "
        "is small)."),
    ("hazard_ratio", "rpsftm"): (
        "The common treatment effect does not hold: on the experimental arm the treatment "
        "acts through progression and the death hazards of [death] (by their own hazard "
        "ratios, before and after progression), whereas a switch only multiplies the "
        "post-progression hazard by death_hazard_ratio. RPSFTM applies the arm's average "
        "time ratio to the switchers' treated time, which corrects for a benefit the "
        "switchers did not get (or misses one they did): the bias of the wrong model, "
        "whatever the sample size, on top of the hazard ratio's uneven response to psi's "
        "error seen under common_effect."),
    ("hazard_ratio", "rpsftm_no_recensor"): (
        "The same wrong common-effect model, with informative censoring of U as well."),
    ("hazard_ratio", "ipcw"): (
        "IPCW uses no follow-up after the switch, so what the switch does to survival does "
        "not matter to it, and the reference arm it sees is the same as under common_effect; "
        "only the experimental arm and the truth differ. When the hazard ratio is not "
        "constant over time, a Cox estimate is an average over time weighted by who is at "
        "risk; censoring switchers changes those weights (the weights restore them only on "
        "average and only as far as the switching model is right), and how much that "
        "matters depends on how the hazard ratio changes over time, which differs between "
        "the mechanics."),
    ("hazard_ratio", "tse"): (
        "The switch multiplies the post-progression death hazard from the switch on; stage "
        "1 summarises it as one time ratio of survival from progression (a hazard ratio is "
        "a constant time ratio only for a Weibull model), with the same limits as under "
        "common_effect: the delay from progression to the switch, which switchers must "
        "survive, and the switchers without a recorded progression, left uncorrected."),
    ("hazard_ratio", "censor"): (
        "The reference arm's follow-up up to the switch is the same as under common_effect: "
        "informative censoring of a selected group, and, as for IPCW, the Cox average over "
        "time reweighted by the censoring, against a hazard ratio that changes over time "
        "differently under this mechanic."),
    ("hazard_ratio", "exclude"): (
        "As under common_effect: the switchers removed are selected survivors of "
        "progression, so the reference arm looks worse than its twin."),
}


def why(mechanic: str, method: str) -> str:
    """Why ``method`` is (or is not) biased under ``mechanic`` (``""`` when not known)."""
    return WHY.get((mechanic, method), "")
