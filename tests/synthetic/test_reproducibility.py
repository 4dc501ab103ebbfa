"""The committed synthetic datasets are exactly what the generator produces."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[2] / "data" / "synthetic"


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_committed_data_equal_generator_output(default_trial_dir):
    generated = _tree(default_trial_dir)
    committed = [p for p in _tree(COMMITTED) if p != "README.md"]
    assert generated == committed
    for rel in generated:
        assert filecmp.cmp(default_trial_dir / rel, COMMITTED / rel, shallow=False), rel


def test_cli_twice_gives_byte_identical_trees(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "netter", "simulate", "--seed", "2012", "--out",
                        str(tmp_path / name), "--quiet"], check=True, capture_output=True)
    files = _tree(tmp_path / "a")
    assert files == _tree(tmp_path / "b")
    assert "primary/adsl.csv" in files and "MANIFEST.json" in files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_other_seed_gives_other_data(tmp_path, default_trial_dir):
    subprocess.run([sys.executable, "-m", "netter", "simulate", "--seed", "7", "--out",
                    str(tmp_path), "--quiet"], check=True, capture_output=True)
    assert (tmp_path / "final" / "adtte.csv").read_bytes() != (
        default_trial_dir / "final" / "adtte.csv").read_bytes()
