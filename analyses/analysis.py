# %% [markdown]
# ## One analysis of a study, as the study declares it
#
# This notebook runs one analysis of a study and shows what it found. The study is a
# folder of data (`studies/<id>/study.toml`, or the `study.toml` that `netter study init`
# wrote for your own ADaM data): it names the arms and the reference arm, the endpoints,
# the data cut-offs and, for each analysis, the endpoints, landmarks, restriction time,
# strata and whether tumour response is analysed. Nothing about a particular trial is
# written here.
#
# Under `make`, the study, the analysis, the data folder and the results folder come from
# environment variables that `make` sets (see `netter.report.pipeline`). In Jupyter
# (jupytext opens this file as a notebook, from any folder of the project) the defaults
# are the project's default study, its first analysis and its own data; set those
# variables, or pass `--study`, `--analysis`, `--data`, to look at another.
#
# Every number below is computed by `netter.endpoints` (`options.run`), saved as the
# analysis's results file, and drawn from that document by `netter.figures` and
# `netter.tables`. The methods (profile, CI transforms, ties) are in the footnotes of
# each table and in `docs/methods.md`.

# %%
from IPython.display import Markdown, display

from netter.endpoints.text import document_text
from netter.figures.outputs import document_figures
from netter.report.pipeline import analysis_options, save, show, show_table
from netter.study.describe import analysis_heading, analysis_plan
from netter.tables.outputs import document_tables

options = analysis_options("One analysis of a study")
analysis = options.chosen_analysis()
display(Markdown(f"# {analysis_heading(options.study, analysis)}"))
print(analysis_plan(options.study, analysis))
if analysis.description:
    display(Markdown(analysis.description))

# %% [markdown]
# ## Results
#
# The analysis reads the ADaM folder of its data cut-off, validates it (any problem stops
# here, naming the file, variable, value and subject) and saves one results document.

# %%
document = options.run(analysis.name)
print(save(document, options, analysis.name))
print(document_text(document))

# %% [markdown]
# ## Figures and tables
#
# Kaplan-Meier curves with the numbers at risk, the forest plot of a subgroup analysis,
# the response figure; then the tables, each with its methods in the footnotes.

# %%
for _, figure in document_figures(document, analysis.name, width=7.0):
    show(figure)
for _, table in document_tables(document, analysis.name):
    show_table(table)
