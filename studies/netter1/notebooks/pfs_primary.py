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
# The analyses are declared in the study (`studies/netter1/study.toml`: cut-off,
# endpoint, strata, landmarks); this notebook only calls the library: `options.run`
# computes them as declared (`netter.endpoints.study.run_analysis`), `save` writes the
# results files that the figures, tables and the scorecard read.

# %%
from netter.endpoints.text import baseline_text, summary_text
from netter.figures.km import km_figure
from netter.report.pipeline import analysis_options, save, show
from netter.study.describe import analysis_plan

options = analysis_options("PFS: primary analysis and first update")
for name in ("pfs_primary", "pfs_update", "baseline"):
    print(analysis_plan(options.study, options.study.analysis(name)))

# %% [markdown]
# ## Primary analysis (cut-off 24 July 2015)
#
# The ADaM data of the cut-off are read and validated (ADSL, ADTTE and ADRS); any
# problem stops the analysis with the file, variable, value and subject named.

# %%
pfs_primary = options.run("pfs_primary")
print(save(pfs_primary, options, "pfs_primary"))
print(summary_text(pfs_primary))
show(km_figure(pfs_primary.endpoints["PFS"], title="PFS, primary analysis", width=7.0,
               document=pfs_primary))

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
pfs_update = options.run("pfs_update")
print(save(pfs_update, options, "pfs_update"))
print(summary_text(pfs_update))

# %% [markdown]
# ## Baseline characteristics (primary analysis population)
#
# The characteristics of the randomised patients by arm, as the study lists them
# (`baseline`), for the baseline table.

# %%
baseline = options.run("baseline")
print(save(baseline, options, "baseline"))
print(baseline_text(baseline))

# %% [markdown]
# The report's figures (`reports/netter1/figures/pfs_primary--km.png`, ...) and tables
# (`reports/netter1/tables/pfs_primary--summary.csv`, `baseline--characteristics.csv`,
# ...) are drawn from these results files by `netter figures` and `netter tables`; the
# scorecard (`reports/netter1/index.html`) puts each published number beside the one
# computed here.
