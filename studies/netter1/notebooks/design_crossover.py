# %% [markdown]
# # Crossover and overall survival: the same trial with and without switching
#
# In the trial, control patients who progressed could later receive the experimental
# treatment. That keeps the PFS comparison intact but blurs the overall-survival (OS)
# comparison: some control patients benefit from the treatment they were randomised
# against. How much does switching cost the OS analysis? `netter design` runs the
# study's simulator twice over 10,000 trials: with switching as simulated for the trial,
# and with no switching at all (`crossover.probability = 0`). Trial *k* is the same in
# both scenarios (same seed, same patients, same progression); only the switchers'
# deaths differ (without switching they die at their untreated death).

# %%
import math
from pathlib import Path

import pandas as pd
from IPython.display import display

from netter.engine.design import design_spec
from netter.engine.figure import hazard_ratio_plot, power_plot
from netter.engine.study import design_study
from netter.report.pipeline import analysis_options, show

options = analysis_options("Crossover and OS over 10,000 trials")
study = options.study
out = Path(options.results).parent / "design" / "crossover"
spec_probability = design_spec(study).config.crossover.probability
outcome = design_study(study, out, trials=10_000, seed=2026,
                       varies=[f"crossover.probability=0.0,{spec_probability}"], reuse=True,
                       trials_csv=False,
                       progress=False)
document = outcome.document
experimental, reference = (a["code"] for a in document["arms"])
labels = {a["code"]: a["label"] for a in document["arms"]}
print(f"{document['trials']} trials per scenario, seed {document['seed']}; switching "
      f"probability among progressed control patients: {spec_probability}")

# %%
def rounded(value, digits=1):
    """``value`` rounded (None stays None: not estimable or not reached)."""
    return None if value is None else round(value, digits)


rows = []
for scenario in document["scenarios"]:
    for r in scenario["results"]:
        if r["param"] != "OS":
            continue
        q = r["log_hr"]
        rows.append({
            "switching probability": scenario["overrides"]["crossover.probability"],
            "cut-off": r["cutoff"], "deaths (mean)": round(r["events"]["mean"], 1),
            "power": f"{r['power']:.1%}",
            "HR median": round(math.exp(q["q50"]), 3),
            "HR 2.5-97.5%": f"{math.exp(q['q025']):.2f}-{math.exp(q['q975']):.2f}",
            f"{labels[reference]}: true median": rounded(r["median"][reference]["truth"]),
            f"{labels[reference]}: median (mean)": rounded(r["median"][reference]["mean"]),
            f"{labels[reference]}: not reached": r["median"][reference]["not_estimable"]})
display(pd.DataFrame(rows))

# %% [markdown]
# ## Reading it
#
# * **Switching pulls the OS hazard ratio towards 1.** The control arm's deaths come
#   later when its progressed patients receive the treatment, so the intention-to-treat
#   comparison understates what the treatment does. The HR distribution of the two
#   scenarios (figure) shows by how much, trial by trial.
# * **Power follows.** A smaller effect with the same deaths rejects less often: the
#   share of trials reaching p < 0.05 at the final analysis is the price of switching for
#   the OS test.
# * **The control arm's true median changes too**: the truth column is the latent
#   death times of each scenario's own patients, so it already includes what switching
#   does to survival. What an ITT analysis estimates is the effect of *being randomised*
#   to the treatment under that switching, not of the treatment itself; crossover
#   adjustments (`netter crossover`, the crossover study) estimate the latter.

# %%
show(power_plot(document).draw())
show(hazard_ratio_plot(document).draw())
