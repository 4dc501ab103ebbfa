"""What a study declares, as frozen dataclasses: arms, variables, endpoints, cut-offs, analyses.

A study is data (``studies/<id>/study.toml``, read by :mod:`netter.study.load`); these
classes are its checked, typed form.  Nothing here knows any particular trial.

Examples
--------
>>> arms = (ArmDef("B", "Drug B"), ArmDef("A", "Placebo"))
>>> study = Study(id="demo", title="Demo", path=None, arm_var="TRT01P", arms=arms,
...               reference="A", cutoffs=(CutoffDef("final", None),))
>>> study.arm_label("B"), study.arm_values, study.cutoff("final").date is None
('Drug B', ('B', 'A'), True)
>>> analysis = AnalysisDef(name="os", cutoff="final", endpoints=("OS",))
>>> analysis.kind
'endpoints'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Kinds of analysis: time-to-event endpoints (and response), subgroups, descriptive, and
#: an endpoint's hazard ratio adjusted for crossover.
ENDPOINTS, SUBGROUPS, DESCRIBE = "endpoints", "subgroups", "describe"
CROSSOVER, EXTRAPOLATION = "crossover", "extrapolation"
KINDS = (ENDPOINTS, SUBGROUPS, DESCRIBE, CROSSOVER, EXTRAPOLATION)

#: Time units a study may report in (``AVAL`` in any ``AVALU`` is converted to it).
TIME_UNITS = ("days", "weeks", "months", "years")


@dataclass(frozen=True)
class ArmDef:
    """An arm: its value in the ADSL arm variable and the label shown for it."""

    value: str
    label: str


@dataclass(frozen=True)
class VariableDef:
    """An ADSL variable: its label and the labels of its levels (value -> label, in order)."""

    name: str
    label: str | None = None
    levels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EndpointDef:
    """A time-to-event parameter (``PARAMCD``): name, y-axis title, time origin."""

    paramcd: str
    label: str | None = None
    axis: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class CutoffDef:
    """A data cut-off: its name (the data subfolder) and its date (ISO, or ``None``)."""

    name: str
    date: str | None


@dataclass(frozen=True)
class CrossoverDef:
    """How a crossover analysis adjusts its endpoint (``[analyses.crossover]``).

    ``covariates`` ``None`` means the study's strata; every other field has the default
    of ``netter crossover`` (see :class:`netter.endpoints.crossover.CrossoverOptions`).
    """

    methods: tuple[str, ...] | None = None
    covariates: tuple[str, ...] | None = None
    strata: tuple[str, ...] = ()
    rpsftm_test: str = "logrank"
    recensor: bool = True
    psi_interval: tuple[float, float] = (-3.0, 3.0)
    exposure_experimental: str = "follow-up"
    exposure_switch: str = "from-switch"
    ipcw_interval_days: float = 30.4375
    ipcw_truncation: tuple[float, float] | None = None
    tse_distribution: str = "weibull"
    progression: str | None = "PFS"
    bootstrap: int = 0
    seed: int | None = None


@dataclass(frozen=True)
class ExtrapolationDef:
    """Parametric fits and extrapolation of the analysis's endpoints
    (``[analyses.extrapolation]``); ``psm`` = (PFS endpoint, OS endpoint, PFS
    distribution, OS distribution) for partitioned survival.  ``distributions`` ``None``
    means all of them."""

    distributions: tuple[str, ...] | None = None
    horizon_years: float = 20.0
    joint: bool = False
    knots: tuple[float, ...] | None = None
    psm: tuple[str, str, str, str] | None = None


@dataclass(frozen=True)
class AnalysisDef:
    """One analysis of the study: what to analyse, at which cut-off, with which options.

    Attributes
    ----------
    name : str
        Results file stem (``<name>.json``) and output prefix.
    cutoff : str
        Name of a declared cut-off.
    endpoints : tuple of str
        ``PARAMCD`` values (a subgroup analysis has exactly one).
    title : str or None
        Words for headings.
    description : str or None
        The analysis plan in prose (Markdown), shown in the generic notebook.
    landmarks : tuple of float
        Times (study unit) at which curves are read.
    rmst_tau : float or None
        RMST restriction time (study unit).
    strata : tuple of str or None
        Stratification variables; ``None``: the study's strata.
    response : bool
        Analyse tumour response (ADRS) as well.
    subgroups : tuple of str
        ADSL variables: the analysis is a subgroup analysis (forest plot).
    describe : tuple of str
        ADSL variables: the analysis describes them by arm (e.g. baseline characteristics).
    comparisons : tuple of str
        Comparison methods beyond the standard ones (see :mod:`netter.endpoints.methods`).
    weighted_logrank : tuple of (rho, gamma)
        Fleming-Harrington weighted log-rank tests (key ``weighted_logrank = [[0, 1]]``).
    maxcombo : bool
        The MaxCombo test of FH(0,0), FH(0,1), FH(1,0), FH(1,1) (``maxcombo = true``).
    piecewise : tuple of float
        Cut points (study unit) of piecewise hazard ratios (``piecewise = [6, 12, 24]``).
    rmst_grid : tuple of float
        Restriction times (study unit) of the RMST grid (``rmst_grid = [12, 24, 36]``).
    crossover : CrossoverDef or None
        The analysis adjusts its one endpoint for crossover.
    extrapolation : ExtrapolationDef or None
        The analysis fits parametric models to its endpoints and extrapolates them.
    """

    name: str
    cutoff: str
    endpoints: tuple[str, ...] = ()
    title: str | None = None
    description: str | None = None
    landmarks: tuple[float, ...] = ()
    rmst_tau: float | None = None
    strata: tuple[str, ...] | None = None
    response: bool = False
    subgroups: tuple[str, ...] = ()
    describe: tuple[str, ...] = ()
    comparisons: tuple[str, ...] = ()
    crossover: CrossoverDef | None = None
    weighted_logrank: tuple[tuple[float, float], ...] = ()
    maxcombo: bool = False
    piecewise: tuple[float, ...] = ()
    rmst_grid: tuple[float, ...] = ()
    extrapolation: ExtrapolationDef | None = None

    @property
    def kind(self) -> str:
        """``"subgroups"``, ``"describe"``, ``"crossover"``, ``"extrapolation"`` or
        ``"endpoints"``."""
        if self.crossover is not None:
            return CROSSOVER
        if self.extrapolation is not None:
            return EXTRAPOLATION
        if self.subgroups:
            return SUBGROUPS
        if self.describe:
            return DESCRIBE
        return ENDPOINTS


@dataclass(frozen=True)
class NotebookDef:
    """A study's own narrative notebook (percent-format script) and the analyses it saves."""

    name: str
    script: Path
    analyses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A whole study definition (paths resolved against the study file's folder).

    ``abbreviations`` (abbreviation -> meaning) are spelled out under the tables whose
    labels use them.  ``data`` is the default ADaM folder (one subfolder per cut-off);
    ``simulation``, ``published``, ``scorecard`` and ``calibration`` are the optional
    files of a simulated study with published numbers.
    """

    id: str
    title: str
    path: Path | None
    arm_var: str
    arms: tuple[ArmDef, ...]
    reference: str | None
    cutoffs: tuple[CutoffDef, ...]
    analyses: tuple[AnalysisDef, ...] = ()
    notebooks: tuple[NotebookDef, ...] = ()
    strata: tuple[str, ...] = ()
    baseline: tuple[str, ...] = ()
    variables: dict[str, VariableDef] = field(default_factory=dict)
    endpoints: dict[str, EndpointDef] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    name: str | None = None
    population_flag: str | None = None
    profile: str = "r"
    time_unit: str = "months"
    risk_step: float | None = None
    data: Path | None = None
    simulation: Path | None = None
    published: Path | None = None
    scorecard: Path | None = None
    calibration: Path | None = None

    @property
    def display_name(self) -> str:
        """The study's short name for headings (``name``, else the id)."""
        return self.name or self.id

    @property
    def folder(self) -> Path | None:
        """The folder holding ``study.toml`` (``None`` for a study built in memory)."""
        return None if self.path is None else self.path.parent

    @property
    def arm_values(self) -> tuple[str, ...]:
        """Arm values in the study's order (the order of colours and line types)."""
        return tuple(a.value for a in self.arms)

    def arm_label(self, value: str) -> str:
        """The label of an arm value (the value itself when the study does not list it)."""
        return next((a.label for a in self.arms if a.value == value), value)

    def cutoff(self, name: str) -> CutoffDef:
        """The declared cut-off ``name`` (``KeyError`` when absent)."""
        for cut in self.cutoffs:
            if cut.name == name:
                return cut
        raise KeyError(name)

    def analysis(self, name: str) -> AnalysisDef:
        """The declared analysis ``name`` (``KeyError`` when absent)."""
        for item in self.analyses:
            if item.name == name:
                return item
        raise KeyError(name)

    def analysis_strata(self, analysis: AnalysisDef) -> tuple[str, ...]:
        """The analysis's strata, or the study's when it names none."""
        return self.strata if analysis.strata is None else analysis.strata
