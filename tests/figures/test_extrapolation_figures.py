"""Extrapolation figures (kinds ``extrapolation``, ``hazard``, ``psm``): what is drawn,
the notes, placeholders, hostile labels, determinism and ``netter figures`` dispatch.

Documents come from :func:`netter.endpoints.extrapolation.analyze_extrapolation` on the
committed synthetic NETTER-1 primary cut-off (OS per arm and jointly, PFS for a
partitioned-survival model).
"""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import pytest

from netter.adam.io import load_adam
from netter.artefacts import write_results
from netter.cli import main
from netter.endpoints.extrapolation import analyze_extrapolation
from netter.figures.extrapolation import extrapolation_figure, hazard_figure, psm_figure
from netter.figures.outputs import FIGURE_KINDS, document_figures, write_figures
from netter.figures.theme import arm_styles
from netter.results import ArmLabel
from tests.netter1 import ARM, PRIMARY, REF

DISTS = ("exponential", "weibull", "lognormal", "spline1")


@pytest.fixture(scope="module")
def doc():
    d = analyze_extrapolation(load_adam(PRIMARY), reference=REF, distributions=DISTS,
                              joint=True, psm=("PFS", "OS", "weibull", "weibull"))
    return dataclasses.replace(d, arm_labels=(ArmLabel(ARM, ARM), ArmLabel(REF, REF)))


def _texts(fig) -> str:
    return "\n".join([t.get_text() for t in fig.texts]
                     + [ax.get_title(loc="left") for ax in fig.axes]
                     + [t.get_text() for ax in fig.axes for t in ax.texts])


def test_kinds_are_registered():
    assert {"extrapolation", "hazard", "psm"} <= set(FIGURE_KINDS)


def test_one_panel_per_distribution_with_aic_and_rank_in_the_title(doc):
    fig = extrapolation_figure(doc, "OS")
    try:
        assert len(fig.axes) == len(DISTS)
        assert fig.get_figwidth() == 7.0
        models = doc.endpoints["OS"].arms
        for ax, dist in zip(fig.axes, DISTS, strict=True):
            a, r = models[ARM].models[dist].fit, models[REF].models[dist].fit
            assert ax.get_title(loc="left") == (
                f"{a.label}\nAIC {a.aic:.1f} [{a.rank_aic}] · {r.aic:.1f} [{r.rank_aic}]")
        ax = fig.axes[0]
        colors = {line.get_color() for line in ax.lines}
        styles = arm_styles([ARM, REF])
        assert {styles[ARM].color, styles[REF].color} <= colors
        # KM step, model within follow-up (solid), model beyond (dashed) per arm + vline
        assert len(ax.lines) == 1 + 3 * 2
        solid = [ln for ln in ax.lines if ln.get_linestyle() == "-"
                 and ln.get_color() == styles[ARM].color]
        follow = doc.endpoints["OS"].arms[ARM].follow_up
        assert max(solid[-1].get_xdata()) <= follow
        assert ax.get_xlim() == (0.0, doc.settings.horizon)
        text = _texts(fig)
        assert "solid within the arm's follow-up and dashed beyond it" in text
        assert "Joint models (arm as covariate) are in the extrapolation table." in text
    finally:
        plt.close(fig)


def test_a_model_missing_in_an_arm_is_said_in_the_note_and_title(doc):
    arms = dict(doc.endpoints["OS"].arms)
    models = dict(arms[REF].models)
    del models["lognormal"]
    arms[REF] = dataclasses.replace(arms[REF], models=models)
    d = dataclasses.replace(doc, endpoints={**doc.endpoints, "OS": dataclasses.replace(
        doc.endpoints["OS"], arms=arms)})
    fig = extrapolation_figure(d, "OS")
    try:
        text = _texts(fig)
        assert f"{REF}: not fitted: Log-normal." in text
        assert "· not fitted" in fig.axes[DISTS.index("lognormal")].get_title(loc="left")
    finally:
        plt.close(fig)


def test_psm_only_endpoint_has_its_one_panel_and_says_what_was_not_fitted(doc):
    fig = extrapolation_figure(doc, "PFS")
    try:
        assert len(fig.axes) == 1
        assert "Not fitted in any arm (not in the results): Exponential, Log-normal" in \
            _texts(fig)
    finally:
        plt.close(fig)


def test_hazard_figure_facets_by_arm_over_follow_up(doc):
    fig = hazard_figure(doc, "OS")
    try:
        assert [ax.get_title(loc="left") for ax in fig.axes] == [ARM, REF]
        for ax, arm in zip(fig.axes, (ARM, REF), strict=True):
            a = doc.endpoints["OS"].arms[arm]
            assert ax.get_xlim() == (0.0, a.follow_up)
            assert len(ax.lines) == len(DISTS) + 1
            emp = ax.lines[-1]
            assert list(emp.get_xdata()) == list(a.empirical_hazard.time)
            assert emp.get_color() == "black"
        assert "Epanechnikov" in _texts(fig)
    finally:
        plt.close(fig)


def test_psm_figure_stacks_three_states_per_arm(doc):
    fig = psm_figure(doc)
    try:
        assert [ax.get_title(loc="left") for ax in fig.axes] == [ARM, REF]
        assert all(len(ax.collections) == 3 for ax in fig.axes)
        occ = doc.partitioned_survival.arms[ARM]
        assert f"progression-free {occ.mean_progression_free:.1f}" in _texts(fig)
    finally:
        plt.close(fig)


def test_document_figures_names(doc):
    stems = []
    for stem, fig in document_figures(doc, "ex"):
        stems.append(stem)
        plt.close(fig)
    assert stems == ["ex-os--extrapolation", "ex-pfs--extrapolation", "ex-os--hazard",
                     "ex-pfs--hazard", "ex--psm"]
    one = []
    for stem, fig in document_figures(doc, "ex", param="OS", kinds=["extrapolation"]):
        one.append(stem)
        plt.close(fig)
    assert one == ["ex--extrapolation"]


def test_without_psm_there_is_no_psm_figure_and_not_computable_gets_placeholders(doc):
    plain_doc = dataclasses.replace(doc, partitioned_survival=None,
                                    endpoints={"OS": doc.endpoints["OS"]})
    stems = []
    for stem, fig in document_figures(plain_doc, "ex"):
        stems.append(stem)
        plt.close(fig)
    assert stems == ["ex--extrapolation", "ex--hazard"]
    missing = dataclasses.replace(plain_doc, not_computable={"psm": "no PFS records"})
    figs = dict(document_figures(missing, "ex", kinds=["psm"]))
    assert [t.get_text() for t in figs["ex--psm"].texts][:2] == [
        "Partitioned survival: not computable", "no PFS records"]
    plt.close(figs["ex--psm"])
    gone = dataclasses.replace(plain_doc, not_computable={"analysis": "no ADTTE"})
    figs = dict(document_figures(gone, "ex"))
    assert sorted(figs) == ["ex--extrapolation", "ex--hazard", "ex--psm"]
    for fig in figs.values():
        assert "no ADTTE" in fig.texts[1].get_text()
        plt.close(fig)


def test_hostile_labels_are_drawn_literally_and_escaped_in_the_svg(doc, tmp_path):
    evil = "$x^2$ <script>&"
    d = dataclasses.replace(doc, arm_labels=(ArmLabel(ARM, evil), ArmLabel(REF, REF)),
                            endpoints={**doc.endpoints, "OS": dataclasses.replace(
                                doc.endpoints["OS"], label="OS $a$ <b>")})
    paths = write_figures(tmp_path, "ex", d, param="OS")
    for path in paths:
        if path.suffix == ".svg":
            text = path.read_text()
            assert "<script>" not in text and "<b>" not in text
    fig = hazard_figure(d, "OS")
    try:
        assert fig.axes[0].get_title(loc="left") == r"\$x^2\$ <script>&"
    finally:
        plt.close(fig)


def test_figures_are_byte_identical_when_drawn_twice(doc, tmp_path):
    a = write_figures(tmp_path / "a", "ex", doc)
    b = write_figures(tmp_path / "b", "ex", doc)
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def test_netter_figures_cli_on_a_real_extrapolation_file(doc, tmp_path):
    path = write_results(doc, tmp_path / "ex.json")
    out = tmp_path / "out"
    assert main(["figures", "--quiet", "--results", str(path), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"ex{stem}.{ext}" for stem in ("-os--extrapolation", "-pfs--extrapolation",
                                       "-os--hazard", "-pfs--hazard", "--psm")
        for ext in ("png", "svg"))
