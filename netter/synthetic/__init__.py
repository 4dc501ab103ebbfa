"""A seeded simulator of a randomised two-arm trial that writes CDISC ADaM datasets.

The trial is data: a TOML config (e.g. ``studies/netter1/simulation.toml``, calibrated to
the published NETTER-1 results) describes the design, strata, covariates and hazards.
"""
