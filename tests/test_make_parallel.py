"""``make -j2`` builds the same bytes as ``make``, and leaves nothing out of date.

The second NETTER study (its own data, copied to a temporary folder) is built with a
5-seed calibration into one reports folder twice, serially and with two jobs; every
file must be equal.  Under ``-j`` the index once raced the calibration and was written
without its section (and ``make`` then said there was nothing to do)."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def _make(*args, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_make_j2_equals_make(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "synthetic" / "netter2", data)
    reports = tmp_path / "reports"
    goal = ["all", "STUDY=netter2", f"DATA={data}", f"REPORTS={reports}", "SEEDS=5",
            "WORKERS=1"]

    serial = _make(*goal)
    assert serial.returncode == 0, serial.stderr
    reports.rename(tmp_path / "serial")
    parallel = _make("-j2", *goal)
    assert parallel.returncode == 0, parallel.stderr

    assert _files(reports) == _files(tmp_path / "serial")
    assert "calibration/calibration.md" in _files(reports)
    different = [name for name in _files(reports)
                 if not filecmp.cmp(reports / name, tmp_path / "serial" / name, shallow=False)]
    assert different == []
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "calibration/calibration.md" in index
    # nothing left out of date: `make -q` answers 0
    assert _make("-q", *goal).returncode == 0
