# %% [markdown]
# # Why do my numbers differ? R, SAS, lifelines and statsmodels on the same data
#
# A median, a confidence interval or a hazard ratio computed from the same patients can
# come out differently in R, SAS, lifelines and statsmodels, and none of them is
# necessarily wrong: each program makes a few method choices silently (the transform of
# a confidence interval, how tied event times enter a Cox model, which time is the median
# when the curve sits exactly at 50%, when an iterative fit stops). netter names each of
# those choices as an option of a profile (`docs/methods.md`, "Conventions and options").
#
# `netter explain` computes every usual number of one endpoint four ways: netter's `r`
# profile (R `survival` conventions), netter's `sas` profile (SAS `LIFETEST` / `PHREG` /
# `FREQ` defaults), and lifelines and statsmodels, both run live at their defaults. Each
# value differing from netter `r` by more than 1e-6 (relative) is explained by changing
# **one option** of netter `r` at a time until the difference vanishes; when no single
# option does, it says so. This notebook asks, for two datasets: *which of your numbers
# would change if you switched software, and why?*

# %%
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display
from lifelines.datasets import load_gbsg2

from netter.adam.io import load_adam
from netter.explain import explain, explain_input, explanation_document
from netter.explain.attribute import LABELS
from netter.explain.render import cell
from netter.report.pipeline import analysis_options
from netter.study.layout import cutoff_folder

options = analysis_options("Why do my numbers differ?")
pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 200)


def table(document, groups=None):
    """The statistics of an explain document: one row each, one column per engine."""
    rows = []
    for s in document["statistics"]:
        if groups is None or s["group"] in groups:
            rows.append({"group": s["group"], "statistic": s["label"],
                         **{LABELS[k]: cell(v) for k, v in s["values"].items()}})
    return pd.DataFrame(rows)


def causes(document):
    """How many numbers each engine changes, by cause."""
    counts = Counter()
    for d in document["differences"]:
        cause = ("not explained by a single option" if not d["explained_by"] else
                 f"{d['explained_by'][0]['option']}={d['explained_by'][0]['value']}")
        counts[(LABELS[d["engine"]], cause)] += 1
    return pd.DataFrame([{"engine": e, "cause": c, "numbers changed": n}
                         for (e, c), n in sorted(counts.items())])


def reasons(document, engine):
    """Each difference of one engine with its one-sentence reason."""
    return pd.DataFrame([{"engine": LABELS[engine], "group": d["group"],
                          "statistic": d["label"], "netter r": cell(d["r_value"]),
                          "engine's value": cell(d["value"]), "reason": d["reason"]}
                         for d in document["differences"] if d["engine"] == engine])


# %% [markdown]
# ## 1. NETTER-1, primary analysis of progression-free survival
#
# The synthetic trial shipped with netter (simulated patients calibrated to the
# published results), primary cut-off: PFS in months, 177Lu-DOTATATE against the
# reference arm octreotide LAR 60 mg, landmarks at 12 and 24 months, RMST restricted to
# the last whole month observed in both arms, and the objective response rate from ADRS.

# %%
study = options.study
folder = cutoff_folder(study, options.data, study.analysis("pfs_primary").cutoff)
trial = load_adam(folder, arm_var=study.arm_var)
n1 = explanation_document(explain(explain_input(
    trial, param="PFS", reference=study.reference, unit=study.time_unit)))
display(table(n1))

# %% [markdown]
# Highlighted in `explain.html` (here: listed) are the numbers that change. First, how
# many and why:

# %%
display(causes(n1))

# %% [markdown]
# **What does not change.** The medians, the point estimates of S(12) and S(24), the
# restricted mean survival times and the log-rank chi-square are the same in all four
# engines; their confidence intervals, standard errors and p-values are where they part.
#
# **SAS and lifelines** use the log-log ("exponential Greenwood") interval for S(t),
# where R uses the log interval: every landmark CI and the CI of the reference arm's
# median move (`ci_transform=log-log`). SAS's Cox model treats tied event times by
# Breslow's method, not Efron's (`ties=breslow`): the hazard ratio moves from 0.176 to
# 0.177, and with it its CI and the three tests; SAS's own convergence criterion
# (`convergence=gconv`) then moves the Wald p-value in the sixth digit, so that one needs
# two options. SAS's odds ratio of response is the sample odds ratio
# (`odds_ratio=sample`), not estimable here (no responder in the reference arm).

# %%
display(reasons(n1, "sas"))

# %% [markdown]
# **lifelines** stops its Cox iterations early (`convergence=lifelines`: the hazard
# ratio is off in the fifth digit) and its RMST "variance" is the spread of the
# restricted survival times, not the variance of the estimate (`rmst_variance=lifelines`;
# the "SE" it implies is 8 times too large here). That second difference is reported as
# not explained by a single option: lifelines integrates that variance numerically and
# misses its own exact value by about 1e-4 (see `docs/methods.md`, "Library oracles").

# %%
display(reasons(n1, "lifelines"))

# %% [markdown]
# **statsmodels** fits the Cox model with Breslow ties (`ties=breslow`) and gives the
# log-log median CI (`ci_transform=log-log`). Three of its differences have no netter
# option: its binomial interval for the response rate is the Wald interval (netter:
# Clopper-Pearson), its odds ratio is the sample odds ratio with 0.5 added to the empty
# cell (no responder in the reference arm), and its log-rank p-value is computed as
# `1 - cdf`, which loses digits at p = 1e-13.

# %%
display(reasons(n1, "statsmodels"))

# %% [markdown]
# ## 2. A public dataset: German Breast Cancer Study Group 2 (lifelines' `load_gbsg2`)
#
# 686 women with node-positive breast cancer, recurrence-free survival in days, by
# hormonal therapy (tamoxifen, `horTh`: yes or no); shipped with lifelines. Converted to
# a small ADaM folder (ADSL: `USUBJID`, `TRT01P`; ADTTE: `PARAMCD = RFS`, `AVAL` in days,
# `CNSR = 1 - cens`) in a temporary folder, and explained in months at 12 and 60 months.

# %%
gbsg = load_gbsg2()
ids = [f"GBSG2-{i + 1:04d}" for i in range(len(gbsg))]
arms = gbsg["horTh"].map({"yes": "Tamoxifen", "no": "No hormonal therapy"})
with tempfile.TemporaryDirectory() as tmp:
    adam = Path(tmp)
    pd.DataFrame({"STUDYID": "GBSG2", "USUBJID": ids, "TRT01P": arms}).to_csv(
        adam / "adsl.csv", index=False)
    pd.DataFrame({"STUDYID": "GBSG2", "USUBJID": ids, "PARAMCD": "RFS",
                  "PARAM": "Recurrence-free survival", "AVAL": gbsg["time"],
                  "AVALU": "DAYS", "CNSR": 1 - gbsg["cens"]}).to_csv(
        adam / "adtte.csv", index=False)
    gbsg_data = load_adam(adam)
gb = explanation_document(explain(explain_input(
    gbsg_data, param="RFS", reference="No hormonal therapy", landmarks=[12, 60])))
display(table(gb))
display(causes(gb))

# %% [markdown]
# The same causes, on other data: the log-log interval of SAS, lifelines and statsmodels
# (`ci_transform=log-log`), Breslow ties in SAS and statsmodels (`ties=breslow`),
# lifelines' early stop (`convergence=lifelines`) and its RMST variance. Every
# difference and its reason:

# %%
display(pd.concat([reasons(gb, e) for e in ("sas", "lifelines", "statsmodels")],
                  ignore_index=True))

# %% [markdown]
# ## What to do with this
#
# * Quote the method with the number: "median PFS 8.3 months (95% CI 5.8 to 11.0,
#   Brookmeyer-Crowley, log-log transform)" is reproducible; "(95% CI 5.8 to 11.0)" is not.
# * To reproduce another program's number with netter, give the option the explainer
#   names: `netter analyze --profile r --option ci_transform=log-log ...`, or the preset
#   (`--profile sas`, `--profile lifelines`).
# * A difference "not explained by a single option" is either two choices at once (SAS:
#   Breslow ties *and* its own convergence criterion) or something netter does not
#   offer (a Wald interval for a proportion) or a library's own error (`docs/methods.md`,
#   "Library oracles").
#
# On your own data: `netter explain --data DIR --out OUTDIR --param PFS --reference ARM`
# writes `OUTDIR/explain.html` and `OUTDIR/explain.json`.

# %%
display(Markdown(f"{len(n1['differences'])} numbers of the NETTER-1 PFS analysis and "
                 f"{len(gb['differences'])} of the GBSG2 analysis differ from netter `r`."))
