# %% [markdown]
# # Reading a progression-free survival analysis: a walkthrough
#
# This notebook explains, step by step, what the numbers of the NETTER-1 primary
# analysis mean: censoring, what a Kaplan-Meier curve estimates, how to read the
# numbers at risk, what a hazard ratio of 0.21 says (and does not say), and what
# changes when tumours are scanned less often. It uses the synthetic trial shipped
# with netter (simulated patients calibrated to the published results), and only
# library calls: every number is computed by `netter`, none by hand-written
# statistics here.
#
# **Progression-free survival (PFS)** is the time from randomisation to the first of
# two events: the tumour is seen to grow (progression, judged on CT/MRI scans by
# RECIST 1.1) or the patient dies. In NETTER-1, 229 patients were randomised to
# 177Lu-DOTATATE (plus octreotide 30 mg) or to high-dose octreotide LAR 60 mg alone.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import display

from netter.endpoints.study import run_analysis
from netter.figures.km import km_figure
from netter.report.pipeline import analysis_options, show
from netter.stats.km import kaplan_meier, survival_at
from netter.synthetic.config import load_config
from netter.synthetic.write import write_trial
from netter.tables import fmt

options = analysis_options("PFS walkthrough")

# %% [markdown]
# ## 1. Censoring: why we cannot simply average the times
#
# When the data are analysed (the *cut-off*), many patients have not progressed yet.
# For them we know only that PFS is *longer than* their follow-up: their time is
# **censored**. Dropping them would bias the answer towards short times; treating
# their follow-up as an event time would too. Six made-up patients:

# %%
toy = pd.DataFrame({
    "patient": ["A", "B", "C", "D", "E", "F"],
    "months": [3.0, 5.0, 5.0, 8.0, 11.0, 14.0],
    "event": [1, 1, 0, 1, 0, 0],
    "what happened": ["progressed", "progressed", "still well at cut-off (censored)",
                      "died", "moved away, lost to follow-up (censored)",
                      "still well at cut-off (censored)"],
})
display(toy)

# %% [markdown]
# ## 2. What the Kaplan-Meier curve estimates
#
# The Kaplan-Meier estimate S(t) is the probability of still being free of progression
# and alive beyond time t. It moves only at event times: at each one, the share of
# patients *still at risk* who have the event is removed, S(t) = product of
# (1 - events / at risk). A censored patient counts as at risk up to their last
# follow-up and then simply leaves the risk set; they never make the curve drop.

# %%
km = kaplan_meier(toy["months"].to_numpy(), toy["event"].to_numpy(), profile="r")
display(pd.DataFrame({"month": km.time, "at risk": km.n_risk, "events": km.n_event,
                      "censored": km.n_censor, "S(t)": km.survival.round(3)}))

# %% [markdown]
# At month 3 one of six progresses: S = 5/6 = 0.833. At month 5 one of five
# progresses (patient C, censored at the same time, still counts as at risk):
# S = 0.833 x 4/5 = 0.667. At month 8 one of three dies: S = 0.667 x 2/3 = 0.444.
# E and F leave without events; the curve stays flat. The **median** is the first time
# S(t) falls to 0.5 or below: month 8 here.

# %%
display(pd.DataFrame([{"month": lm.time, "S(t)": round(lm.survival, 3), "at risk": lm.n_risk}
                      for lm in survival_at(km, [0, 4, 8, 12])]))

# %% [markdown]
# ## 3. The trial: curves and the numbers at risk
#
# The same computation on the 229 patients of the primary analysis (cut-off 24 July
# 2015). Under every published Kaplan-Meier plot sits a **risk table**: how many
# patients of each arm are still progression-free *and* under observation at 0, 4,
# 8, ... months. It tells you how much information the curve holds at each time. Tick
# marks on the curves are censored patients; the shaded bands are pointwise 95%
# confidence intervals. The same numbers at risk as a table:

# %%
trial = options.run("pfs_primary")
pfs = trial.endpoints["PFS"]
show(km_figure(pfs, title="PFS, primary analysis", width=7.0, document=trial))
display(pd.DataFrame({arm.arm: {f"{r.time:g}": r.n_risk for r in arm.risk_table}
                      for arm in pfs.arms}).T)

# %% [markdown]
# How to read it:
#
# * the numbers fall for two reasons, events *and* censoring; the curve only drops
#   for events;
# * patients were randomised over three years, so at the cut-off late entrants have
#   short follow-up: most of the fall after month 12 in the 177Lu arm is censoring;
# * where fewer than ~10-20 patients remain, each event moves the curve a lot: the
#   tail of a curve is uncertain, whatever it looks like. The PFS rate at month 20
#   rests on these few patients, hence its wide interval:

# %%
def median_text(value):
    """A median in months as the tables show it: 1 decimal, "not reached" for None."""
    return "not reached" if value is None else fmt.months(value)


def at_20(arm):
    """The arm's curve read at 20 months (a landmark the study declares)."""
    return next(lm for lm in arm.landmarks if lm.time == 20)


display(pd.DataFrame([{"arm": arm.arm, "events": arm.events, "censored": arm.censored,
                       "median (months)": median_text(arm.median.estimate),
                       "PFS at 20 months": round(at_20(arm).survival, 3),
                       "95% CI": tuple(round(v, 3) for v in at_20(arm).ci),
                       "at risk at 20 months": at_20(arm).n_risk} for arm in pfs.arms]))

# %% [markdown]
# A median *not reached* means the curve has not fallen to 50% by the end
# of follow-up. That is what NEJM 2017 reported for the 177Lu arm.
#
# ## 4. What a hazard ratio of 0.21 means
#
# The **hazard** is the instantaneous rate of the event among patients still at risk:
# roughly, the chance of progressing or dying in the next month for someone who is
# progression-free today. The Cox model assumes the ratio of the two arms' hazards is
# the same at every time and estimates it.

# %%
cox = pfs.cox_stratified
print(f"hazard ratio {cox.hazard_ratio:.3f} (95% CI {cox.ci[0]:.3f} to {cox.ci[1]:.3f}), "
      f"stratified by {', '.join(cox.strata)}; Wald p = {cox.p_value_wald:.1e}")

# %% [markdown]
# The published hazard ratio is 0.21 (95% CI 0.13 to 0.33). In words: at any time,
# a progression-free patient on 177Lu-DOTATATE had about one fifth of the risk of
# progressing or dying in the next short interval that a comparable patient on
# octreotide 60 mg had: a 79% lower *rate*. It is **not**:
#
# * "79% fewer patients progressed": the proportions depend on how long you look;
# * "PFS was 5 times longer": a ratio of medians is a different number (and here one
#   median is not even reached);
# * "an individual patient's risk": it compares the two groups on average.
#
# With proportional hazards the two curves are linked: S_177Lu(t) = S_control(t) raised
# to the power HR. NEJM's 20-month rates obey this: 10.8% in the control arm and
# 0.108 ** 0.21 = 0.63, close to the published 65.2%. On these data:

# %%
control_20 = at_20(next(a for a in pfs.arms if a.arm == trial.reference_arm)).survival
lu_20 = at_20(next(a for a in pfs.arms if a.arm != trial.reference_arm)).survival
print(f"control S(20) = {control_20:.3f}; predicted 177Lu S(20) = S_control ** HR = "
      f"{control_20 ** cox.hazard_ratio:.3f}; observed 177Lu S(20) = {lu_20:.3f}")

# %% [markdown]
# ## 5. What changes when tumours are scanned less often
#
# Progression is only *seen* at a scan. A tumour that starts growing in week 14 is
# recorded at the week-24 scan, so recorded PFS times bunch at the scan times (every
# 12 weeks = 2.76 months in NETTER-1) and come later than the true progression. The
# simulator can run the same trial with another scan schedule: same patients, same
# true disease course (each mechanism has its own random stream), only the scans
# differ. We copy the shipped config, change `interval_weeks`, simulate, and analyse
# the primary cut-off exactly as the study declares it.

# %%
def primary_pfs_with_scans_every(weeks: int):
    """Simulate the trial (seed 2012) with scans every ``weeks`` and analyse PFS."""
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / f"scans_{weeks}w.toml"
        shipped = options.study.simulation.read_text(encoding="utf-8")
        config_file.write_text(shipped.replace(
            "interval_weeks = 12", f"interval_weeks = {weeks}"), encoding="utf-8")
        write_trial(load_config(config_file), seed=2012, out=Path(tmp) / "trial",
                    progress=False)
        return run_analysis(options.study, "pfs_primary",
                            Path(tmp) / "trial").endpoints["PFS"]


rows = []
for weeks in (8, 12, 24):
    result = primary_pfs_with_scans_every(weeks)
    arms = {a.arm: a for a in result.arms}
    rows.append({"scans every": f"{weeks} weeks",
                 "events 177Lu": arms["177Lu-DOTATATE"].events,
                 "events control": arms["Octreotide LAR 60 mg"].events,
                 "median 177Lu (months)": median_text(arms["177Lu-DOTATATE"].median.estimate),
                 "median control (months)": median_text(
                     arms["Octreotide LAR 60 mg"].median.estimate),
                 "hazard ratio": round(result.cox_stratified.hazard_ratio, 3)})
display(pd.DataFrame(rows))

# %% [markdown]
# What to take from it:
#
# * **medians depend on the schedule**: a median can only sit at (or near) a scan
#   time, because progression is only recorded at a scan. How far it moves, and even
#   in which direction, depends on the trial: in this one simulated trial (seed 2012)
#   the control median comes later with 24-weekly scans, but with seed 1 it comes
#   earlier, because the median jumps between the scan times nearest 50%. One trial is
#   an anecdote: the average shift (interval censoring moves progression later on
#   average) shows only over many simulated trials. A median PFS is partly a property
#   of the imaging schedule, which matters when comparing medians across trials;
# * **a few more events are seen by the cut-off** with frequent scans (progression is
#   detected sooner);
# * **the hazard ratio is much more stable**, because both arms are scanned on the
#   same schedule and the delay hits both. Bias appears when the arms are assessed
#   differently (different schedules, or scans missed more often in one arm), which
#   is why the trial scanned both arms every 12 weeks and why missed scans are
#   handled by a censoring rule (`CNSR = 3`, see `data/synthetic/README.md`).
