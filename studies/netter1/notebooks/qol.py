# %% [markdown]
# # Quality of life: time to deterioration of global health status
#
# **Statistical analysis plan.** Patients completed the EORTC QLQ-C30 questionnaire at
# baseline and with every 12-weekly tumour assessment until progression. Time to
# deterioration (TTD) of a domain is the time from randomisation to the first
# decrease of at least 10 points from baseline on its 0-100 scale; patients without
# deterioration are censored at their last questionnaire, and patients who never
# completed one at randomisation. The domain reported as the headline is global
# health status (GHS), ADTTE parameter `TTDGHS`.
#
# * **Estimation**: Kaplan-Meier medians with 95% CIs.
# * **Comparison**: hazard ratio from a Cox model (unstratified, as presented at ESMO
#   2017, and stratified by the randomisation factors), log-rank test.
# * **Cut-off**: 30 June 2016 (first regulatory update), the data of the published TTD
#   analysis (ESMO 2017, JCO 2018).
#
# Caveat: questionnaires stop at progression, so TTD in the control arm is censored
# early and often; TTD measures deterioration while on study, not quality of life
# after progression.

# %%
from netter.endpoints.text import summary_text
from netter.figures.km import km_figure
from netter.report.pipeline import analysis_options, save, show

options = analysis_options("QoL: time to deterioration of global health status")

# %%
qol = options.run("qol")
print(save(qol, options, "qol"))
print(summary_text(qol))
show(km_figure(qol.endpoints["TTDGHS"], title="Time to deterioration of global health status",
               width=7.0, document=qol))

# %% [markdown]
# How the analysis set was formed: every censoring reason and its count, per arm.

# %%
for arm in qol.endpoints["TTDGHS"].arms:
    reasons = ", ".join(f"{c.description}: {c.count}" for c in arm.censor_types or ())
    print(f"{arm.arm}: {arm.events} deteriorations; censored: {reasons}")
