"""The sas profile's summary table carries PROC LIFETEST's test table (log-rank,
Wilcoxon, -2Log(LR)); the r profile's does not."""

from __future__ import annotations

import pytest

from netter.artefacts import read_results
from netter.cli import main
from netter.tables.tte import tte_summary_table


@pytest.mark.parametrize(("profile", "shown"), [("sas", True), ("r", False)])
def test_lifetest_rows_follow_the_profile(tmp_path, profile, shown):
    out = tmp_path / "pfs.json"
    assert main(["analyze", "--data", "data/synthetic/netter1/primary", "--study", "netter1",
                 "--params", "PFS", "--strata", "STRAT1R,STRAT2R", "--profile", profile,
                 "--out", str(out), "--quiet"]) == 0
    document = read_results(out)
    table = tte_summary_table(document, "PFS")
    labels = [row.label for row in table.rows]
    wanted = ["Wilcoxon (Gehan) p-value, unstratified", "Wilcoxon (Gehan) p-value, stratified",
              "-2Log(LR) (exponential) p-value"]
    assert all((label in labels) == shown for label in wanted)
    if shown:
        row = next(r for r in table.rows if r.label == wanted[0])
        endpoint = document.endpoints["PFS"]
        assert endpoint.wilcoxon.p_value is not None and endpoint.wilcoxon.chisq > 0
        assert any(cell for cell in row.cells)
