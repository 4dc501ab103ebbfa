# %% [markdown]
# # Overall survival: interim (2015), first update (2016) and final analysis (2021)
#
# **Statistical analysis plan.** Overall survival (OS) is the time from randomisation
# to death from any cause; patients alive are censored at the date last known alive
# (at the cut-off, or when lost to follow-up). All randomised patients, by randomised
# arm. OS was a key secondary endpoint, tested at an interim analysis at the time of
# the primary PFS analysis and finally after 5 years of follow-up of the last patient
# (or 170 deaths).
#
# * **Estimation**: Kaplan-Meier curves, medians with 95% CIs, restricted mean
#   survival time (RMST) to 24 months per arm (the 2021 further survival analyses).
# * **Comparison**: log-rank test; hazard ratio from a Cox model, unstratified (as the
#   final analysis reported its p-value) and stratified by the randomisation factors;
#   RMST difference with a normal 95% CI; the proportional-hazards assumption checked
#   with the `cox.zph` score test.
# * **Caveat**: 36% of the control patients received radioligand therapy after
#   progression (crossover), which pulls the OS hazard ratio towards 1. The analyses
#   are intention-to-treat; the last section adjusts the final hazard ratio for
#   crossover (RPSFTM, IPCW, two-stage estimation).
#
# Methods: profile `r` (see `docs/methods.md`). The analyses (cut-offs, landmarks, RMST
# restriction time, strata) are declared in `studies/netter1/study.toml`; only library
# calls below.

# %%
import numpy as np

from netter.endpoints.text import baseline_text, summary_text
from netter.figures.km import km_figure
from netter.figures.schoenfeld import schoenfeld_figure
from netter.report.pipeline import analysis_options, save, show
from netter.study.describe import analysis_plan

options = analysis_options("OS: interim, update and final analyses")
for name in ("os_interim", "os_update", "os_final", "crossover", "os_crossover",
             "os_pfs_extrapolation"):
    print(analysis_plan(options.study, options.study.analysis(name)))

# %% [markdown]
# ## Interim analysis (cut-off 24 July 2015)
#
# Few deaths had occurred; NEJM 2017 reported them per arm and a p-value that did not
# cross the prespecified interim boundary.

# %%
interim = options.run("os_interim")
print(save(interim, options, "os_interim"))
print(summary_text(interim))

# %% [markdown]
# ## First regulatory update (cut-off 30 June 2016)

# %%
update = options.run("os_update")
print(save(update, options, "os_update"))
print(summary_text(update))

# %% [markdown]
# ## Final analysis (cut-off 14 January 2021)
#
# With most patients followed to death or for more than five years, the medians are
# estimable in both arms. RMST to 24 months answers "how many of the first 24 months
# did patients live, on average?", a summary that does not need proportional hazards.

# %%
final = options.run("os_final")
print(save(final, options, "os_final"))
print(summary_text(final))
show(km_figure(final.endpoints["OS"], title="Overall survival, final analysis", width=7.0,
               document=final))

# %%
os_final = final.endpoints["OS"]
for arm in os_final.arms:
    print(f"{arm.arm}: RMST to 24 months {arm.rmst.estimate:.1f} months "
          f"(95% CI {arm.rmst.ci[0]:.1f} to {arm.rmst.ci[1]:.1f}); "
          f"median follow-up {arm.median_followup.estimate:.1f} months")
diff = os_final.rmst_difference
print(f"RMST difference {diff.estimate:.2f} months (95% CI {diff.ci[0]:.2f} to "
      f"{diff.ci[1]:.2f}), p = {diff.p_value:.3f}")
print(f"Proportional hazards (cox.zph, km transform): p = {os_final.ph_test.p_value:.3f}")

# %% [markdown]
# A small PH-test p-value says the hazard ratio changes over time: here the curves
# separate early and come together later, as crossover and long follow-up would
# produce. The single hazard ratio is then an average over follow-up, and the RMST
# difference is the easier number to read.
#
# ## Final OS beyond the hazard ratio
#
# The published final analysis rejected proportional hazards (p = 0.034). When hazards
# are not proportional, one hazard ratio averages an effect that changes over time. The
# study declares four ways to look at that change:
#
# * **Scaled Schoenfeld residuals** against time: a flat smooth around the Cox
#   log hazard ratio (dashed) is what proportional hazards predict.
# * **Hazard ratios by period** (0–6, 6–12, 12–24 and over 24 months): the Cox model
#   fitted to each period's deaths.
# * **Fleming–Harrington weighted log-rank tests**: FH(1,0) weights early deaths,
#   FH(0,1) late ones; **MaxCombo** takes the largest of four such tests and corrects
#   its p-value for the choice.
# * **RMST at several horizons**: the mean months lived up to 12, 24, ... 60 months,
#   which needs no proportional hazards at all.

# %%
show(schoenfeld_figure(os_final, width=6.0))
for c in os_final.comparisons:
    if c.method in ("weighted_logrank", "maxcombo", "piecewise_hr", "rmst_grid"):
        value = (f"estimate {c.estimate:.3f} ({c.ci[0]:.3f} to {c.ci[1]:.3f})"
                 if c.estimate is not None and None not in c.ci else
                 f"statistic {c.statistic:.3f}" if c.statistic is not None else
                 f"not estimable: {c.not_estimable_reason}")
        p = f", p = {c.p_value:.4f}" if c.p_value is not None else ""
        print(f"{c.description}: {value}{p}")

# %% [markdown]
# ## Crossover by the final analysis
#
# How many control patients received PRRT after progression (ADSL `XOVERFL`) by the
# final cut-off: the reason the intention-to-treat OS hazard ratio is pulled towards 1.

# %%
crossover = options.run("crossover")
print(save(crossover, options, "crossover"))
print(baseline_text(crossover))
for group in crossover.variables[0].groups:
    counts = {c.level: c.count for c in group.counts or ()}
    print(f"{group.arm}: {counts.get('Y', 0)} of {group.n} crossed over")

# %% [markdown]
# ### Survival beyond follow-up: parametric extrapolation
#
# A health-technology assessment needs the mean survival over a lifetime, not a median:
# the area under a curve that the trial observed for only a few years. Parametric models
# are fitted to each arm (exponential, Weibull, Gompertz, log-normal, log-logistic,
# generalised gamma and Royston-Parmar splines with 1 to 3 knots), compared by AIC and
# BIC, checked against the Kaplan-Meier restricted mean within follow-up, and extrapolated
# to 20 years. Models that fit the observed years almost equally well can disagree by
# years on the lifetime mean: the choice is a judgement about the tail, which the data
# cannot make.

# %%
extrapolation = options.run("os_pfs_extrapolation")
print(save(extrapolation, options, "os_pfs_extrapolation"))
for param, endpoint in extrapolation.endpoints.items():
    for arm, fits in endpoint.arms.items():
        ranked = sorted(fits.models.values(), key=lambda m: m.fit.aic)
        means = [m.prediction.mean for m in ranked if m.prediction.mean is not None]
        rows = ", ".join(f"{m.fit.label} {m.fit.aic:.1f}" for m in ranked[:3])
        print(f"{param}, {arm}: lowest AIC {rows}; restricted mean to the horizon "
              f"{min(m.prediction.restricted_mean for m in ranked):.1f} to "
              f"{max(m.prediction.restricted_mean for m in ranked):.1f} months; finite "
              f"means {min(means):.1f} to {max(means):.1f} months" if means else "")
        best = ranked[0]
        print(f"    best by AIC ({best.fit.label}): restricted mean "
              f"{best.prediction.restricted_mean:.1f} months; within follow-up it differs "
              f"from Kaplan-Meier by {best.prediction.difference_from_km:+.2f} months")
psm = extrapolation.partitioned_survival
if psm is not None:
    for arm, states in psm.arms.items():
        print(f"Partitioned survival, {arm} ({states.pfs_distribution} PFS, "
              f"{states.os_distribution} OS): {states.mean_progression_free:.1f} months "
              f"progression-free, {states.mean_progressed:.1f} progressed, to the horizon"
              + (f"; PFS clipped to OS at {len(states.clipped_times)} times"
                 if states.clipped_times else ""))

# %% [markdown]
# ## Overall survival adjusted for crossover
#
# The intention-to-treat hazard ratio above answers "177Lu-DOTATATE now against
# octreotide, followed by PRRT later for a third of the control patients". The
# question of health-technology assessment is what the hazard ratio would have been had
# no control patient switched. Three adjustments estimate it, each under its own
# assumptions (printed with each result below; `docs/crossover.md` gives the formulas):
#
# * **RPSFTM** (rank-preserving structural failure time model): 177Lu stretches survival
#   time by the same factor whenever it is given, from randomisation or after a switch.
#   A switcher's time on PRRT is shrunk back by that factor, which is g-estimated so that
#   the counterfactual untreated times no longer differ between the randomised arms.
#   Re-censoring removes the informative censoring that shrinking creates; the version
#   without it is shown for comparison. For NETTER-1 the assumption is strong: the
#   control patients switched after progression, to a treatment given as four cycles,
#   and the 177Lu arm itself received further therapies after its own progression.
# * **IPCW** (inverse probability of censoring weights): switchers are censored at the
#   switch and the patients who remain unswitched are up-weighted by their probability
#   of not having switched, modelled from the randomisation strata, progression and the
#   time since progression. It assumes those variables explain who switched.
# * **Two-stage estimation**: progression is a second baseline. Among control patients
#   who progressed, an accelerated failure time model estimates how much switching
#   extended survival after progression, and the switchers' survival is shrunk by it.
# * The **naive comparators** (switchers censored at the switch, or excluded) are shown
#   because they are still reported; both are biased, since switching follows prognosis.
#
# The intervals: RPSFTM keeps the intention-to-treat p-value; IPCW uses a robust
# (sandwich) standard error; two-stage estimation uses 200 bootstrap resamples of both
# stages (the study's seed); every method also carries its bootstrap interval.

# %%
adjusted = options.run("os_crossover")
print(save(adjusted, options, "os_crossover"))
print(f"{adjusted.n_switchers} of {adjusted.n[adjusted.reference]} control patients "
      "switched")
itt = adjusted.itt.hazard_ratio
print(f"ITT: HR {itt.estimate:.2f} ({itt.ci[0]:.2f} to {itt.ci[1]:.2f}), log-rank "
      f"p = {adjusted.itt.p_value_logrank:.3f}")
for key in ("rpsftm", "rpsftm_no_recensor", "ipcw", "tse", "censor", "exclude"):
    result = getattr(adjusted.methods, key)
    if result is None:
        continue
    hr = result.hazard_ratio
    if hr is None:
        print(f"{result.label}: not estimable ({result.not_estimable_reason})")
        continue
    print(f"{result.label}: HR {hr.estimate:.2f} ({hr.ci[0]:.2f} to {hr.ci[1]:.2f}); "
          f"{hr.ci_method}")
rp = adjusted.methods.rpsftm
if rp.psi is not None:
    print(f"RPSFTM: psi {rp.psi.estimate:.3f} ({rp.psi.ci[0]:.3f} to {rp.psi.ci[1]:.3f}), "
          f"acceleration factor exp(-psi) = {rp.acceleration_factor:.2f}")
tse = adjusted.methods.tse
if tse.acceleration_factor is not None:
    af = tse.acceleration_factor
    print(f"Two-stage: switching multiplied survival after progression by {af.estimate:.2f} "
          f"({af.ci[0]:.2f} to {af.ci[1]:.2f})")
w = adjusted.methods.ipcw.weights
if w is not None:
    print(f"IPCW weights: {w.minimum:.2f} to {w.maximum:.2f} (median {w.median:.2f}, "
          f"99th percentile {w.p99:.2f})")

# %%
further = [getattr(adjusted.methods, k).label for k in ("rpsftm", "ipcw", "tse")
           if getattr(adjusted.methods, k).hazard_ratio is not None
           and abs(np.log(getattr(adjusted.methods, k).hazard_ratio.estimate))
           > abs(np.log(itt.estimate))]
print(f"Further from 1 than the ITT hazard ratio: {', '.join(further) or 'none'}")

# %% [markdown]
# When control patients benefit from the experimental treatment after switching, the
# adjusted hazard ratios lie further from 1 than the intention-to-treat one. How much
# further depends on each method's assumptions, which is why they are read side by side,
# never alone. `make crossover-study` checks each method against the
# simulator's truth (`reports/crossover-study/`): under a common treatment effect RPSFTM
# recovers it; when switching lowers the hazard in another way, it does not.
