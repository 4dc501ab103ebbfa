# %% [markdown]
# # Objective response
#
# **Statistical analysis plan.** Tumours were assessed by independent central review
# every 12 weeks (RECIST 1.1). Best overall response (BOR) is the best response
# recorded from randomisation until progression; a complete (CR) or partial (PR)
# response counts only when confirmed by a second assessment at least 4 weeks later,
# and stable disease (SD) needs an assessment at least 6 weeks after randomisation.
# The objective response rate (ORR) is the share of patients with a confirmed CR or
# PR among **all** randomised patients of the arm (patients without a post-baseline
# assessment count as non-responders).
#
# * **Estimation**: ORR per arm with an exact (Clopper-Pearson) 95% CI.
# * **Comparison**: difference in ORR (Newcombe interval), odds ratio with Fisher's
#   exact test, and the Cochran-Mantel-Haenszel test stratified by the randomisation
#   factors.
# * **Cut-off**: 24 July 2015 (NEJM 2017: 18% vs 3%).
#
# The BOR is derived by `netter.adam.response` from the visit-level `OVR` records of
# ADRS; `netter analyze` adds the response block to the results when ADRS is present.

# %%
from netter.adam.io import load_adam
from netter.endpoints import analyze_trial
from netter.endpoints.text import summary_text
from netter.report.pipeline import analysis_options, save

options = analysis_options("Objective response")

# %%
response = analyze_trial(load_adam(options.cutoff("primary")), params=["PFS"],
                         strata=["STRAT1R", "STRAT2R"])
print(save(response, options, "response"))
print(summary_text(response))
