"""The calibration cache: ``netter calibrate`` reuses its saved result only when every
input is unchanged (study files, seeds, library sources), and never a stale one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from netter.cli import main
from netter.scorecard.calibration_inputs import inputs_digest, library_files, saved_digest
from tests.netter1 import study

LOADED = """
import sys
from netter.scorecard.calibration import run_calibration
from netter.study.load import load_study
run_calibration(load_study("netter1"), seeds=[1, 2], progress=False)
for name, module in sorted(sys.modules.items()):
    if name.startswith("netter") and getattr(module, "__file__", None):
        print(module.__file__)
"""


def test_every_module_a_calibration_runs_is_an_input():
    run = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True,
                         check=True)
    loaded = {Path(line).resolve() for line in run.stdout.split()}
    covered = {p.resolve() for p in library_files()}
    assert loaded, run.stderr
    assert loaded - covered == set()


def test_digest_follows_each_input(tmp_path):
    base = study()
    digest = inputs_digest(base, range(1, 4))
    assert digest == inputs_digest(base, range(1, 4))
    assert digest != inputs_digest(base, range(1, 5))
    assert digest != inputs_digest(base, (2, 1, 3))
    # one byte more in a study file
    for key in ("simulation", "published", "scorecard", "calibration"):
        copy = tmp_path / f"{key}-{Path(getattr(base, key)).name}"
        copy.write_bytes(Path(getattr(base, key)).read_bytes() + b"\n")
        assert digest != inputs_digest(replace(base, **{key: copy}), range(1, 4)), key
    # another simulator configuration, same content: same digest
    same = tmp_path / "same.toml"
    shutil.copyfile(base.simulation, same)
    assert digest == inputs_digest(base, range(1, 4), same)
    # a library source changed
    library = tmp_path / "netter"
    shutil.copytree(Path(library_files()[0]).parent, library)
    assert digest == inputs_digest(base, range(1, 4), library_root=library)
    km = library / "stats" / "km.py"
    km.write_text(km.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert digest != inputs_digest(base, range(1, 4), library_root=library)


def _calibrate(out, *extra):
    return main(["calibrate", "--quiet", "--study", "netter1", "--seeds", "2",
                 "--out", str(out), *extra])


def test_calibrate_reuses_only_an_unchanged_result(tmp_path, capsys):
    out = tmp_path / "calibration"
    assert _calibrate(out) == 0
    document = json.loads((out / "calibration.json").read_text(encoding="utf-8"))
    assert document["inputs_sha256"] == inputs_digest(study(), range(1, 3))
    assert document["seeds"] == [0, 1] and document["trial_seed"] == 2012   # the engine
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    # same inputs: kept, byte for byte, with fresh modification times (for Make)
    for path in out.iterdir():
        os.utime(path, (1_000_000, 1_000_000))
    assert main(["calibrate", "--study", "netter1", "--seeds", "2", "--out", str(out)]) == 0
    assert "inputs unchanged" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert all(p.stat().st_mtime > 1_000_000 for p in out.iterdir())

    # a saved result of other inputs is never reused
    document["inputs_sha256"] = "0" * 64
    (out / "calibration.json").write_text(json.dumps(document), encoding="utf-8")
    assert _calibrate(out) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    # other seeds: rerun
    assert _calibrate(out.parent / "three", "--seeds", "3") == 0
    again = json.loads((out.parent / "three" / "calibration.json").read_text(encoding="utf-8"))
    assert again["seeds"] == [0, 1, 2]

    # the per-trial path is another input: rerun, seeds 1..N
    assert _calibrate(out.parent / "per-trial", "--per-trial") == 0
    slow = json.loads((out.parent / "per-trial" / "calibration.json").read_text(encoding="utf-8"))
    assert slow["seeds"] == [1, 2] and "trial_seed" not in slow
    assert slow["inputs_sha256"] == inputs_digest(study(), range(1, 3), per_trial=True)
    assert slow["inputs_sha256"] != document["inputs_sha256"]

    # a missing file: rerun
    (out / "calibration.md").unlink()
    assert saved_digest(out, ["calibration.json", "calibration.md"]) is None
    assert _calibrate(out) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_force_reruns(tmp_path, capsys):
    out = tmp_path / "calibration"
    assert _calibrate(out) == 0
    assert main(["calibrate", "--study", "netter1", "--seeds", "2", "--force",
                 "--workers", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "inputs unchanged" not in printed.out
    assert "2 simulated trials" in printed.out


def test_unreadable_saved_result_means_rerun(tmp_path):
    (tmp_path / "calibration.json").write_text("{truncated", encoding="utf-8")
    assert saved_digest(tmp_path, ["calibration.json"]) is None
    (tmp_path / "calibration.json").write_text("[1, 2]", encoding="utf-8")
    assert saved_digest(tmp_path, ["calibration.json"]) is None
