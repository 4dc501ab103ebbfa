"""Fuzzing campaigns (``make fuzz``): long runs that are not part of ``make test``."""
