"""Export the synthetic NETTER-1 final OS (months) for nph.R.

How to run (from the repository root):  .venv/bin/python tests/reference/nph_data.py
Writes tests/reference/data/netter1_final_os.csv with columns time (months =
days / 30.4375, as netter derives them), event, group (TRT01P), STRAT1R, STRAT2R.
"""

from pathlib import Path

import pandas as pd

from netter.adam.io import load_adam
from netter.adam.tte import derive_tte

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    data = load_adam(ROOT / "data/synthetic/netter1/final")
    tte = derive_tte(data.adsl, data.adtte, paramcd="OS", strata=("STRAT1R", "STRAT2R"))
    frame = pd.DataFrame({"time": tte.time, "event": tte.event.astype(int), "group": tte.arm,
                          "STRAT1R": tte.strata["STRAT1R"], "STRAT2R": tte.strata["STRAT2R"]})
    frame.to_csv(ROOT / "tests/reference/data/netter1_final_os.csv", index=False,
                 float_format="%.17g")
