"""Fixtures of the reconstruction tests: a file writer and small inputs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path):
    """Write text to a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def simple_inputs(write):
    """A small two-arm curve file and at-risk table (months)."""
    curve = write("curve.csv", "arm,time,survival\n"
                  "A,0,1\nA,1,1\nA,1,0.9\nA,3,0.9\nA,3,0.7\nA,6,0.7\n"
                  "B,0,1\nB,2,1\nB,2,0.8\nB,4,0.8\nB,4,0.5\nB,5,0.5\n")
    risk = write("risk.csv", "arm,time,n_risk\nA,0,20\nA,2,18\nA,4,12\nB,0,20\nB,3,15\n")
    return curve, risk
