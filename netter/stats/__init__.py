"""Survival statistics: pure estimators returning frozen dataclasses."""
