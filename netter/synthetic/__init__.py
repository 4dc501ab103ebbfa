"""A calibrated, seeded simulator of the NETTER-1 trial that writes CDISC ADaM datasets."""
