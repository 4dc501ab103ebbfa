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
# * **Estimation**: ORR per arm with an exact (Clopper-Pearson) 95% CI; the disease
#   control rate (CR + PR + SD) beside it.
# * **Comparison**: difference in ORR (Newcombe hybrid score interval), conditional
#   odds ratio with Fisher's exact test, and the Cochran-Mantel-Haenszel test
#   stratified by the randomisation factors (`STRAT1R`, `STRAT2R`).
# * **Cut-off**: 24 July 2015 (NEJM 2017: 18% vs 3%).
#
# The BOR is derived by `netter.adam.response` from the visit-level `OVR` records of
# ADRS (or read from `PARAMCD = "BOR"` records when ADRS has them); the study declares
# the analysis (`response = true` in `studies/netter1/study.toml`).

# %%
from netter.endpoints.text import summary_text
from netter.figures.display import display_response
from netter.figures.response import response_figure
from netter.report.pipeline import analysis_options, save, show
from netter.tables.outputs import response_block

options = analysis_options("Objective response")

# %%
response = options.run("response")
print(save(response, options, "response"))
print(summary_text(response))

# %% [markdown]
# The upper panel of the figure shows each arm's ORR and
# disease control rate with their 95% CIs, the lower one how the best responses are
# distributed.

# %%
show(response_figure(display_response(response_block(response), response),
                    title="Tumour response, primary analysis", width=7.0))

# %% [markdown]
# How to read it: the response rate is low in both arms, as expected for
# well-differentiated midgut tumours, and the benefit of 177Lu-DOTATATE shows mostly
# as disease control (more SD and PR, less PD) and in PFS rather than in shrinkage.
# With no or very few responders in the control arm, the odds ratio is infinite or
# very wide: the difference in rates and Fisher's exact test are the numbers to read.
# The exact CI of a rate of 0/113 still reaches about 3%, the published control ORR.
