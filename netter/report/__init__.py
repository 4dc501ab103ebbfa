"""Reports: what the analysis scripts share, their execution as notebooks, the index page.

Modules (imported on demand, so an analysis script depends only on what it uses)
-------
pipeline
    Options of ``analyses/*.py`` (data and results folders) and the results writer.
notebook
    Execute a percent-format script as a notebook and save it as self-contained HTML.
index
    ``reports/index.html``: the scorecard at the top, then a link to every output.

``python -m netter.report notebook SCRIPT --out HTML`` and
``python -m netter.report index --reports DIR`` are what ``make`` runs.
"""
