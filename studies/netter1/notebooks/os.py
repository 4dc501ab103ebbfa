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
#   progression (crossover), which pulls the OS hazard ratio towards 1. This is an
#   intention-to-treat comparison; nothing here adjusts for crossover.
#
# Methods: profile `r` (see `docs/methods.md`). The analyses (cut-offs, landmarks, RMST
# restriction time, strata) are declared in `studies/netter1/study.toml`; only library
# calls below.

# %%
from netter.endpoints.text import baseline_text, summary_text
from netter.figures.km import km_figure
from netter.report.pipeline import analysis_options, save, show
from netter.study.describe import analysis_plan

options = analysis_options("OS: interim, update and final analyses")
for name in ("os_interim", "os_update", "os_final", "crossover"):
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
