# %% [markdown]
# # Progression-free survival: the primary analysis
#
# **Statistical analysis plan, as NETTER-1 stated it.** The primary endpoint is
# progression-free survival (PFS): time from randomisation to disease progression by
# independent central review (RECIST 1.1) or death from any cause, whichever comes
# first. Patients without an event are censored at their last adequate tumour
# assessment. The analysis population is every randomised patient (intention to
# treat), analysed in the arm they were randomised to.
#
# * **Estimation**: Kaplan-Meier curves per arm; median PFS with Brookmeyer-Crowley
#   95% confidence intervals; the PFS rate at month 20 (the NEJM abstract's number).
# * **Comparison**: two-sided log-rank test stratified by the randomisation factors
#   (highest tumour uptake score on somatostatin-receptor imaging, `STRAT1R`; time on a
#   constant dose of octreotide LAR, `STRAT2R`); hazard ratio of 177Lu-DOTATATE vs
#   octreotide LAR 60 mg from a Cox model stratified the same way, with a Wald 95% CI.
#   The unstratified analyses are reported beside them.
# * **Data cut-off**: 24 July 2015 (primary analysis, NEJM 2017). The first
#   regulatory update (30 June 2016) is analysed the same way at the end.
#
# Methods are those of the `r` profile (R `survival` defaults: log-scale confidence
# intervals, Efron ties); `docs/methods.md` gives the formula behind every number.
# This notebook only calls the library: `netter.endpoints.analyze_trial` computes,
# `netter.report.pipeline.save` writes the results file that the figures, tables and
# the scorecard read.

# %%
from netter.adam.io import load_adam
from netter.endpoints import analyze_trial
from netter.endpoints.text import summary_text
from netter.figures.km import km_figure
from netter.report.pipeline import analysis_options, save, show

options = analysis_options("PFS: primary analysis and first update")
STRATA = ["STRAT1R", "STRAT2R"]
LANDMARKS = [12, 20]

# %% [markdown]
# ## Primary analysis (cut-off 24 July 2015)
#
# `load_adam` reads and validates ADSL, ADTTE and ADRS; any problem stops the analysis
# with the file, variable, value and subject named.

# %%
primary = load_adam(options.cutoff("primary"))
pfs_primary = analyze_trial(primary, params=["PFS"], strata=STRATA, landmarks=LANDMARKS)
print(save(pfs_primary, options, "pfs_primary"))
print(summary_text(pfs_primary))
show(km_figure(pfs_primary.endpoints["PFS"], title="PFS, primary analysis", width=7.0))

# %% [markdown]
# Reading the output: the median is where each Kaplan-Meier curve crosses 50%; "NR"
# means the curve (or a confidence limit) never got there before follow-up ran out.
# The hazard ratio below 1 means a lower rate of progression or death with
# 177Lu-DOTATATE at any time; the stratified and unstratified versions should be close
# when randomisation balanced the strata. The PFS rate at month 20 is read off each
# curve:

# %%
for arm in pfs_primary.endpoints["PFS"].arms:
    rate = next(lm for lm in arm.landmarks if lm.time == 20)
    print(f"{arm.arm}: PFS at 20 months {rate.survival:.1%} "
          f"(95% CI {rate.ci[0]:.1%} to {rate.ci[1]:.1%}); {rate.n_risk} still at risk")

# %% [markdown]
# ## First regulatory update (cut-off 30 June 2016)
#
# Same analysis, eleven months more follow-up. Central imaging stopped for half of the
# patients still on it after the primary analysis, so PFS follow-up grows less than
# calendar time.

# %%
update = load_adam(options.cutoff("update"))
pfs_update = analyze_trial(update, params=["PFS"], strata=STRATA, landmarks=LANDMARKS)
print(save(pfs_update, options, "pfs_update"))
print(summary_text(pfs_update))

# %% [markdown]
# The report's figures (`reports/figures/pfs_primary--km.png`, ...) and tables
# (`reports/tables/pfs_primary--summary.csv`, `baseline.csv`, ...) are drawn from these
# results files by `netter figures` and `netter tables`; the scorecard
# (`reports/index.html`) puts each published number beside the one computed here.
