"""Simulation studies of the crossover adjustments against the simulator's truth.

For a study with a simulator configuration, each crossover *scenario* (a mechanic of
``[crossover]`` and its settings, given as overrides of the configuration) is simulated
``N`` times.  Trial ``k`` is simulated twice from the same seed: with switching, as the
configuration says, and without (:func:`netter.synthetic.trial.simulate_switching_pair`),
both locked at the study's last data cut-off.  The twin without switching gives the
trial's truth (its ITT Cox hazard ratio); every method of
:func:`netter.endpoints.crossover.analyze_crossover` is run on the trial with switching
and judged against it (bias, empirical SE, RMSE, coverage).  Nothing here names a trial:
arms, cut-off, strata, profile and simulator configuration come from the study.

Modules
-------
design
    What is simulated and analysed (from the study), the scenarios and the seeds.
truth
    The per-trial truth (the twin's ITT hazard ratio) and the large-sample truth.
trial
    One trial: simulate the pair, lock it, estimate every method.
performance
    Bias, empirical SE, RMSE and coverage of estimates against truths.
run
    Many trials of each scenario (progress bar, optional worker processes).
notes
    What each method assumes, and why it is biased under each mechanic.
output
    ``results.json``, ``summary.csv``, ``summary.md`` and ``trials.csv``.
figure
    The bias of each method's log hazard ratio, by mechanic.

Examples
--------
>>> from netter.simstudy import Scenario, performance
>>> Scenario("common_effect", {"crossover.mechanic": "common_effect"}).overrides
(('crossover.mechanic', 'common_effect'),)
>>> round(performance([0.1, 0.3], [0.0, 0.2]).bias, 6)
0.1
"""

from netter.simstudy.design import Design, Scenario, study_design, trial_seed
from netter.simstudy.performance import Performance, performance
from netter.simstudy.run import ScenarioResult, StudyRun, run_scenario, run_study

__all__ = ["Design", "Performance", "Scenario", "ScenarioResult", "StudyRun", "performance",
           "run_scenario", "run_study", "study_design", "trial_seed"]
