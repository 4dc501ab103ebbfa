"""CDISC ADaM data layer: variable vocabulary, reading, validation and derivation."""
