"""The committed synthetic datasets are exactly what the generator produces."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from tests.synthetic.helpers import COMMITTED, NETTER1_CONFIG

#: Manifest entries that name the config file: the committed manifest may still name the
#: config it was written from before the config moved to studies/netter1/simulation.toml.
CONFIG_ENTRIES = ("config", "config_sha256")


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_committed_data_equal_generator_output(default_trial_dir):
    generated = _tree(default_trial_dir)
    committed = [p for p in _tree(COMMITTED) if p != "README.md"]
    assert generated == committed
    for rel in generated:
        if rel != "MANIFEST.json":
            assert (default_trial_dir / rel).read_bytes() == (COMMITTED / rel).read_bytes(), rel
    manifest = json.loads((default_trial_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    committed_manifest = json.loads((COMMITTED / "MANIFEST.json").read_text(encoding="utf-8"))
    for key in CONFIG_ENTRIES:
        committed_manifest.pop(key)
    assert {k: v for k, v in manifest.items() if k not in CONFIG_ENTRIES} == committed_manifest


def test_manifest_names_and_hashes_the_config_file(default_trial_dir):
    manifest = json.loads((default_trial_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    text = NETTER1_CONFIG.read_text(encoding="utf-8")
    assert manifest["config"] == "simulation.toml"
    assert manifest["config_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()


def _simulate(out, seed):
    subprocess.run([sys.executable, "-m", "netter", "simulate", "--config", str(NETTER1_CONFIG),
                    "--seed", str(seed), "--out", str(out), "--quiet"],
                   check=True, capture_output=True)


def test_cli_twice_gives_byte_identical_trees(tmp_path, default_trial_dir):
    for name in ("a", "b"):
        _simulate(tmp_path / name, 2012)
    files = _tree(tmp_path / "a")
    assert files == _tree(tmp_path / "b") == _tree(default_trial_dir)
    assert "primary/adsl.csv" in files and "MANIFEST.json" in files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
        assert (tmp_path / "a" / rel).read_bytes() == (default_trial_dir / rel).read_bytes()


def test_other_seed_gives_other_data(tmp_path, default_trial_dir):
    _simulate(tmp_path, 7)
    assert (tmp_path / "final" / "adtte.csv").read_bytes() != (
        default_trial_dir / "final" / "adtte.csv").read_bytes()
