"""Paths and config variants shared by the simulator tests."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: The NETTER-1 simulation config (the committed synthetic data come from it).
NETTER1_CONFIG = REPO / "studies" / "netter1" / "simulation.toml"
#: A NETTER-2-like config written for the tests (2:1, other strata, one cut-off, no QoL).
NETTER2_LIKE_CONFIG = Path(__file__).resolve().parent / "netter2_like.toml"
COMMITTED = REPO / "data" / "synthetic" / "netter1"


def variant(tmp_path: Path, old: str, new: str, name: str = "variant.toml",
            base: Path = NETTER1_CONFIG) -> Path:
    """Copy ``base`` with the one line (regex, multiline) matching ``old`` replaced."""
    text = base.read_text(encoding="utf-8")
    assert len(re.findall(old, text, flags=re.M)) == 1, old
    path = tmp_path / name
    path.write_text(re.sub(old, new, text, flags=re.M), encoding="utf-8")
    return path
