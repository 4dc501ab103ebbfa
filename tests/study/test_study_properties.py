"""Property-based tests of the study layer: any valid study loads and keeps what it says;
any typo is refused by name; risk-table steps; units; paths into results."""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netter.adam import columns as col
from netter.artefacts import output_stem
from netter.endpoints.endpoint import MAX_RISK_STEPS, RISK_STEPS, risk_step_for, risk_times
from netter.scorecard.paths import resolve, segments
from netter.study.load import parse_study
from netter.study.toml import StudyError

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)
LABELS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                 max_size=30).filter(lambda s: s.strip() == s and s)


def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@st.composite
def studies(draw):
    """The TOML text of a valid study and what it declares."""
    arms = draw(st.lists(LABELS, min_size=2, max_size=4, unique=True))
    reference = draw(st.sampled_from(arms))
    cutoffs = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    analyses = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True).filter(
        lambda names: not {n.lower() for n in names} & {"scorecard", "index"}))
    unit = draw(st.sampled_from(["days", "weeks", "months", "years"]))
    lines = ['id = "s1"', 'title = "A study"', f"reference = {_q(reference)}",
             f'time_unit = "{unit}"']
    for arm in arms:
        lines += ["[[arms]]", f"value = {_q(arm)}"]
    for cut in cutoffs:
        lines += ["[[cutoffs]]", f'name = "{cut}"']
    declared = []
    for name in analyses:
        cut = draw(st.sampled_from(cutoffs))
        landmarks = draw(st.lists(st.integers(0, 100), max_size=3))
        lines += ["[[analyses]]", f'name = "{name}"', f'cutoff = "{cut}"',
                  'endpoints = ["OS"]', f"landmarks = {landmarks}"]
        declared.append((name, cut, tuple(sorted({float(x) for x in landmarks}))))
    return "\n".join(lines) + "\n", arms, reference, unit, declared


@settings(max_examples=60, deadline=None)
@given(studies())
def test_any_valid_study_loads_and_keeps_what_it_declares(case):
    text, arms, reference, unit, declared = case
    study = parse_study(tomllib.loads(text), "study.toml")
    assert study.arm_values == tuple(arms) and study.reference == reference
    assert study.time_unit == unit
    assert [(a.name, a.cutoff, a.landmarks) for a in study.analyses] == declared


@settings(max_examples=60, deadline=None)
@given(studies(), NAMES.filter(lambda k: k not in {
    "id", "title", "name", "reference", "time_unit", "arm_var", "profile", "risk_step",
    "strata", "baseline", "population_flag", "data", "simulation", "published", "scorecard",
    "calibration", "abbreviations", "arms", "cutoffs", "analyses", "notebooks", "variables",
    "endpoints"}))
def test_an_unknown_key_is_refused_by_name(case, key):
    text = f'{key} = "x"\n' + case[0]
    with pytest.raises(StudyError, match=f"unknown key '{key}'"):
        parse_study(tomllib.loads(text), "study.toml")


@given(st.floats(0.01, 1e5), st.sampled_from(list(RISK_STEPS)))
def test_risk_step_is_the_smallest_round_step_with_at_most_ten_steps(last, unit):
    step = risk_step_for(last, unit)
    assert last / step <= MAX_RISK_STEPS + 1e-9
    smaller = [s for s in RISK_STEPS[unit] if s < step]
    assert all(last / s > MAX_RISK_STEPS for s in smaller)
    grid = risk_times([last], step, unit)
    assert grid[0] == 0.0 and grid[-1] <= last + 1e-9 and len(grid) <= MAX_RISK_STEPS + 1


@given(st.floats(0, 1e6, allow_nan=False), st.sampled_from(["days", "weeks", "months",
                                                             "years"]))
def test_unit_conversions_invert(days, unit):
    back = col.to_days(col.from_days([days], unit), unit)[0]
    assert math.isclose(back, days, rel_tol=1e-12, abs_tol=1e-9)


@given(st.lists(NAMES, min_size=1, max_size=5, unique_by=str.lower))
def test_output_stems_of_several_endpoints_are_distinct(params):
    stems = [output_stem("a", "km", p, several=len(params) > 1) for p in params]
    assert len(set(stems)) == len(stems)


@given(st.lists(LABELS.filter(lambda s: not set("[]=") & set(s)), min_size=1, max_size=4,
                unique=True))
def test_paths_find_arms_whatever_their_values(arms):
    doc = {"reference_arm": arms[-1], "arms": [{"arm": a, "n": i} for i, a in enumerate(arms)]}
    for i, arm in enumerate(arms):
        path = f"arms[arm={arm}].n"
        assert resolve(doc, path) == i
        assert segments(path) == [f"arms[arm={arm}]", "n"]
    assert resolve(doc, "arms[reference].n") == len(arms) - 1


@st.composite
def adam_frames(draw):
    """Small ADSL + ADTTE frames with awkward values (spaces, commas, quotes, unicode)."""
    n = draw(st.integers(2, 12))
    arms = draw(st.lists(LABELS.filter(lambda s: s.strip() and "\n" not in s and "\r" not in s),
                         min_size=2, max_size=3, unique=True))
    ids = [f"S{i:03d}" for i in range(n)]
    arm = [arms[i % len(arms)] for i in range(n)]
    aval = draw(st.lists(st.integers(0, 5000), min_size=n, max_size=n))
    cnsr = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    import pandas as pd

    adsl = pd.DataFrame({"USUBJID": ids, "TRT01P": arm})
    adtte = pd.DataFrame({"USUBJID": ids, "PARAMCD": "OS", "AVAL": aval, "CNSR": cnsr})
    return {"adsl": adsl, "adtte": adtte}


@settings(max_examples=40, deadline=None)
@given(adam_frames())
def test_frames_are_read_exactly_as_their_csv_files(tmp_path_factory, frames):
    """The calibration's in-memory path equals reading the files ``netter simulate``
    writes: same values, same types, same hashes."""
    from netter.adam.io import load_adam, load_adam_frames

    folder = tmp_path_factory.mktemp("adam")
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    on_disk, in_memory = load_adam(folder), load_adam_frames(frames)
    for name in ("adsl", "adtte"):
        assert getattr(on_disk, name).equals(getattr(in_memory, name)), name
        assert on_disk.sha256[name] == in_memory.sha256[name]


@settings(max_examples=25, deadline=None)
@given(adam_frames())
def test_study_init_writes_a_study_that_loads_whatever_the_arm_labels(tmp_path_factory,
                                                                      frames):
    """Quotes, commas, backslashes and any Unicode in arm labels survive the starter file."""
    from netter.study.starter import starter_toml

    folder = tmp_path_factory.mktemp("adam")
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    arms = sorted(set(frames["adsl"]["TRT01P"]))
    study = parse_study(tomllib.loads(starter_toml(folder, reference=arms[0])),
                        folder / "study.toml")
    assert study.arm_values == tuple(arms) and study.reference == arms[0]
    assert [a.endpoints for a in study.analyses] == [("OS",)]
