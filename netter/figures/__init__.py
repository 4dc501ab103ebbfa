"""Journal figures built from saved results documents (plotnine, PNG and SVG).

Modules
-------
theme
    The journal theme, arm styles (colour + linetype + shape) and deterministic saving.
km
    Kaplan-Meier figure with a numbers-at-risk table aligned with the x-axis ticks.
forest
    Forest plot of hazard ratios by subgroup.
response
    Objective response and disease control rates, best overall response.
crossover
    Hazard ratio of each crossover-adjustment method (forest style), and Kaplan-Meier
    curves with the reference arm's RPSFTM counterfactual.
"""
