"""ADaM folders built from the R reference datasets, the synthetic trial, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from netter.cli import main

REFERENCE = Path(__file__).parents[1] / "reference"


def reference_case(name: str) -> pd.DataFrame:
    """A reference dataset (tests/reference/data) or hand-made comparison input."""
    path = REFERENCE / "data" / f"{name}.csv"
    if not path.exists():
        path = REFERENCE / "comparisons" / "inputs" / f"{name}.csv"
    return pd.read_csv(path)


def write_adam(folder: Path, frame: pd.DataFrame, *, paramcd: str = "OS",
               strata: tuple[str, ...] = (), unit: str = "DAYS") -> Path:
    """Write ``frame`` (time, event, group, strata columns) as ADSL + ADTTE CSV files.

    ``group`` becomes TRT01P; each stratum column ``x`` becomes the ADSL variable ``X``;
    ``time`` is AVAL in ``unit``; ``event`` becomes CNSR = 1 - event.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"S{i:04d}" for i in range(1, len(frame) + 1)]
    adsl = pd.DataFrame({"USUBJID": ids, "TRT01P": frame["group"].astype(str)})
    for name in strata:
        adsl[name.upper()] = frame[name].astype(str).to_numpy()
    adtte = pd.DataFrame({"USUBJID": ids, "PARAMCD": paramcd, "AVAL": frame["time"],
                          "AVALU": unit, "CNSR": 1 - frame["event"].astype(int)})
    adsl.to_csv(folder / "adsl.csv", index=False)
    adtte.to_csv(folder / "adtte.csv", index=False)
    return folder


@pytest.fixture
def adam_case(tmp_path: Path) -> Callable[..., Path]:
    """``adam_case("lung", strata=("ecog",))``: the reference dataset as an ADaM folder."""

    def build(name: str, **kwargs) -> Path:
        return write_adam(tmp_path / name, reference_case(name), **kwargs)

    return build


@pytest.fixture
def analyze(tmp_path: Path, capsys) -> Callable[..., dict]:
    """``analyze(folder, "--strata", "X")``: run ``netter analyze``; return the JSON."""

    def run(folder: Path, *options: str, out: Path | None = None) -> dict:
        out = out or tmp_path / "results.json"
        code = main(["analyze", "--data", str(folder), "--out", str(out), "--quiet", *options])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return json.loads(out.read_text(encoding="utf-8"))

    return run


@pytest.fixture(scope="session")
def synthetic_trial(tmp_path_factory) -> Path:
    """The synthetic NETTER-1 trial (seed 2012), one folder per cut-off."""
    from netter.synthetic.config import load_config
    from netter.synthetic.write import write_trial

    out = tmp_path_factory.mktemp("synthetic")
    write_trial(load_config("studies/netter1/simulation.toml"), seed=2012, out=out, progress=False)
    return out
