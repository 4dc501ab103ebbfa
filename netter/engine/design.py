"""What a design study simulates and analyses, read from the study; its scenarios.

A :class:`DesignSpec` holds what the study says (nothing here names a trial): its
simulator configuration, its cut-offs (every simulated lock), the endpoints the simulator
writes and the study declares, the two arms (the simulator's experimental and reference
arms, by their codes), the strata of every analysis, the profile (ties, confidence level,
median rule), the time unit and, per endpoint, the landmarks and RMST horizons its
analyses declare.

A :class:`Scenario` is a set of overrides of the simulator configuration
(:func:`netter.synthetic.config.override_config`): ``--set`` changes every scenario,
each ``--vary KEY=V1,V2,...`` multiplies the scenarios by its values.  Every scenario
simulates trial ``k`` from the same seed (common random numbers: only the overrides
differ between scenarios).

Examples
--------
>>> scenarios = build_scenarios(["dropout.hazard=0.004"],
...                             ["assessment.interval_weeks=8,12,24"])
>>> [s.name for s in scenarios]
['assessment.interval_weeks=8', 'assessment.interval_weeks=12', 'assessment.interval_weeks=24']
>>> scenarios[0].overrides
{'dropout.hazard': 0.004, 'assessment.interval_weeks': 8}
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from netter.adam import columns as col
from netter.errors import NetterError
from netter.study.model import Study
from netter.synthetic.config import TrialConfig, load_config, override_config, parse_override

#: The endpoints the simulator writes (ADTTE PARAMCD), in the order they are reported.
SIMULATED = (col.PARAM_PFS, col.PARAM_OS, col.PARAM_TTDGHS)
#: Landmarks (in the study's unit) of an endpoint whose analyses declare none.
DEFAULT_LANDMARKS = (12.0, 24.0)


@dataclass(frozen=True)
class Scenario:
    """A named set of simulator overrides (``{}``: the study's own configuration)."""

    name: str
    overrides: dict = field(default_factory=dict)

    def config(self, base: TrialConfig) -> TrialConfig:
        """``base`` with this scenario's overrides."""
        return override_config(base, self.overrides) if self.overrides else base


@dataclass(frozen=True)
class DesignSpec:
    """Everything a design run needs from the study.

    Attributes
    ----------
    study_id, study_name : str
    config : TrialConfig
        The study's simulator configuration, before any scenario.
    arm_codes, arm_labels : tuple of str
        The compared (experimental) arm first, the reference arm second.
    swap_arms : bool
        The study's reference is the simulator's first arm (the hazard ratio is then of
        the simulator's second arm against its first).
    strata : tuple of str
        Stratification variables of the log-rank tests and Cox models.
    params : tuple of str
        Endpoints analysed (``PARAMCD``).
    cutoffs : tuple of (str, datetime.date)
        Every cut-off of the simulator, in date order.
    landmarks : dict of str to tuple of float
        Landmark times per endpoint.
    rmst_tau : dict of str to float
        RMST horizon per endpoint (only the endpoints whose analyses declare one).
    profile, time_unit : str
    """

    study_id: str
    study_name: str
    config: TrialConfig
    arm_codes: tuple[str, str]
    arm_labels: tuple[str, str]
    swap_arms: bool
    strata: tuple[str, ...]
    params: tuple[str, ...]
    cutoffs: tuple[tuple[str, dt.date], ...]
    landmarks: dict
    rmst_tau: dict
    profile: str
    time_unit: str


def _check_arms(study: Study, config: TrialConfig) -> bool:
    labels = tuple(config.arms.labels)
    if len(labels) != 2:
        raise NetterError(f"{config.source}: a design study compares two arms; [arms] has "
                          f"{len(labels)}")
    reference = study.reference if study.reference is not None else labels[1]
    if reference not in labels:
        raise NetterError(
            f"{study.path or study.id}: the reference arm {reference!r} is not an arm of the "
            f"simulator ({config.source}: {', '.join(labels)})")
    return reference == labels[0]


def design_spec(study: Study, *, config: TrialConfig | None = None) -> DesignSpec:
    """The design of ``study`` (its simulator configuration unless ``config`` is given).

    Examples
    --------
    >>> from netter.study import load_study
    >>> spec = design_spec(load_study("studies/netter2/study.toml"))
    >>> spec.params, [name for name, _ in spec.cutoffs], spec.strata
    (('PFS', 'OS'), ['primary'], ('TUMGRD', 'TUMORIG'))
    """
    if config is None:
        if study.simulation is None:
            raise NetterError(f"study {study.id} has no simulator configuration "
                              "(`simulation` in its study.toml): nothing to simulate")
        config = load_config(study.simulation)
    swap = _check_arms(study, config)
    produced = SIMULATED if config.qol is not None else SIMULATED[:2]
    declared = tuple(study.endpoints) or produced
    params = tuple(p for p in produced if p in declared)
    if not params:
        raise NetterError(f"study {study.id} declares none of the simulated endpoints "
                          f"{', '.join(produced)}")
    landmarks: dict[str, tuple[float, ...]] = {}
    rmst: dict[str, float] = {}
    for analysis in study.analyses:
        for param in analysis.endpoints:
            landmarks[param] = tuple(sorted({*landmarks.get(param, ()),
                                             *map(float, analysis.landmarks)}))
            if analysis.rmst_tau is not None:
                rmst.setdefault(param, float(analysis.rmst_tau))
    codes, labels = tuple(config.arms.codes), tuple(config.arms.labels)
    if swap:
        codes, labels = codes[::-1], labels[::-1]
    return DesignSpec(
        study_id=study.id, study_name=study.display_name, config=config,
        arm_codes=codes, arm_labels=labels, swap_arms=swap, strata=tuple(study.strata),
        params=params,
        cutoffs=tuple(zip(config.cutoffs.names, config.cutoffs.dates, strict=True)),
        landmarks={p: landmarks.get(p) or DEFAULT_LANDMARKS for p in params},
        rmst_tau={p: rmst[p] for p in params if p in rmst},
        profile=study.profile, time_unit=study.time_unit)


def split_values(text: str) -> list[str]:
    """Split ``v1,v2,...`` at the commas outside brackets and quotes.

    Examples
    --------
    >>> split_values('8,12,"a,b",[0.5, 0.5]')
    ['8', '12', '"a,b"', '[0.5, 0.5]']
    """
    parts, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return parts


def _assignment(text: str, option: str) -> tuple[str, object]:
    """``KEY=VALUE`` read as the simulator reads an override (a TOML value, else a word)."""
    key, sep, value = str(text).partition("=")
    if not sep or not key.strip() or not value.strip():
        raise NetterError(f"{option} {text!r}: expected SECTION.KEY=VALUE")
    return parse_override(f"{key.strip()}={value.strip()}", option)


def build_scenarios(sets=(), varies=()) -> list[Scenario]:
    """Scenarios of ``--set KEY=VALUE`` (all) and ``--vary KEY=V1,V2`` (product).

    Without ``--vary`` there is one scenario, named ``base`` (or after its ``--set``).
    Values are TOML (``8``, ``0.5``, ``"common_effect"``, ``[0.5, 0.5]``); a bare word is
    a string.

    Examples
    --------
    >>> [s.name for s in build_scenarios([], ["a.x=1,2", "b.y=on,off"])]
    ['a.x=1, b.y=on', 'a.x=1, b.y=off', 'a.x=2, b.y=on', 'a.x=2, b.y=off']
    >>> build_scenarios(["crossover.probability=0"])[0].name
    'base'
    """
    fixed = {}
    for text in sets:
        key, value = _assignment(text, "--set")
        fixed[key] = value
    axes = []
    for text in varies:
        key, _, values = str(text).partition("=")
        key = key.strip()
        options = [v for v in split_values(values) if v]
        if not key or not options:
            raise NetterError(f"--vary {text!r}: expected SECTION.KEY=V1,V2,...")
        axes.append([(key, v) for v in options])
    keys = [axis[0][0] for axis in axes]
    if len(set(keys)) != len(keys) or set(keys) & set(fixed):
        raise NetterError("--set and --vary name a key twice: "
                          f"{', '.join(sorted([*fixed, *keys]))}")
    if not axes:
        return [Scenario("base", dict(fixed))]
    scenarios = []
    for combination in itertools.product(*axes):
        name = ", ".join(f"{k}={v}" for k, v in combination)
        scenarios.append(Scenario(name, {**fixed, **dict(
            _assignment(f"{k}={v}", "--vary") for k, v in combination)}))
    return scenarios


def check_scenarios(spec: DesignSpec, scenarios: list[Scenario]) -> list[TrialConfig]:
    """Each scenario's configuration; an unknown key or a bad value is an error naming it."""
    configs = []
    for scenario in scenarios:
        try:
            configs.append(scenario.config(spec.config))
        except NetterError as error:
            raise NetterError(f"scenario {scenario.name!r}: {error}") from None
        if tuple(configs[-1].cutoffs.names) != tuple(n for n, _ in spec.cutoffs):
            raise NetterError(f"scenario {scenario.name!r}: changes the cut-offs; a design "
                              "compares scenarios at the same cut-offs")
    return configs
