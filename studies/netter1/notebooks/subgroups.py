# %% [markdown]
# # PFS by subgroup
#
# **Statistical analysis plan.** The treatment effect on progression-free survival is
# estimated within subgroups defined by baseline characteristics: the randomisation
# factors (tumour uptake score `STRAT1R`, time on octreotide `STRAT2R`), age group,
# sex, tumour grade, and the three factors of the EJNMMI 2020 analysis (liver tumour
# burden `LIVBURD`, elevated alkaline phosphatase `ALPELFL`, a target lesion larger
# than 30 mm `LGLESFL`). In each subgroup the hazard ratio of 177Lu-DOTATATE vs
# octreotide LAR 60 mg comes from an unstratified Cox model fitted to the patients of
# that subgroup, with a Wald 95% CI. Each variable gets a likelihood-ratio test of the
# treatment-by-subgroup interaction.
#
# Subgroup analyses are descriptive: the trial was not powered for them, many are
# tested at once, and a subgroup's CI is wide because it holds few events. The
# interaction test, not the subgroup p-values, is what speaks to "does the effect
# differ".
#
# Data: the primary analysis cut-off (24 July 2015).

# %%
from netter.figures.forest import forest_figure
from netter.report.pipeline import analysis_options, save, show
from netter.tables import fmt

options = analysis_options("PFS by subgroup")
print(options.study.analysis("pfs_subgroups").subgroups)  # the variables, from the study

# %%
subgroups = options.run("pfs_subgroups")
print(save(subgroups, options, "pfs_subgroups"))

# %%
overall = subgroups.overall
# Not-estimable values (a level too small for a Cox model, an interaction test that
# cannot be computed) print as the tables print them: NE, with the reason.
print(f"All patients: n {overall.n}, events {overall.events}, "
      f"HR {fmt.number(overall.hazard_ratio, 3)}")
for variable in subgroups.variables:
    print(f"\n{variable.variable} (interaction p = {fmt.p_value(variable.interaction.p_value)})")
    for level in variable.levels:
        if level.hazard_ratio is None:
            print(f"  {level.level}: n {level.n}, HR not estimable "
                  f"({level.not_estimable_reason})")
            continue
        print(f"  {level.level}: n {level.n}, events {level.events}, HR (95% CI) "
              f"{fmt.ratio_ci(level.hazard_ratio, level.ci, digits=3)}")

# %%
show(forest_figure(subgroups, width=7.0))

# %% [markdown]
# The forest plot draws the same numbers on a log scale. A subgroup whose CI crosses
# 1 is not evidence of "no effect" in that subgroup; with ~10 events a CI spans a
# factor of three or more.
