"""Find and read a study: ``studies/<id>/study.toml`` or any ``study.toml`` a user writes.

A study is named by a path (a ``study.toml`` file or the folder holding one) or by an
id, looked up as ``studies/<id>/study.toml`` in the project (the nearest folder at or
above the working directory that has a ``studies/`` folder, else the folder above the
installed package).  Without a name, the ``NETTER_STUDY`` environment variable or the
project's ``[tool.netter] default_study`` (``pyproject.toml``) names it.

Every key is checked: an unknown key, a wrong type, an arm, cut-off or analysis
declared twice, an analysis at an undeclared cut-off, are :class:`StudyError` naming
the file, the table and the key.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "study.toml").write_text('''
... id = "demo"
... title = "A demonstration trial"
... reference = "Placebo"
... [[arms]]
... value = "Drug"
... [[arms]]
... value = "Placebo"
... [[cutoffs]]
... name = "final"
... [[analyses]]
... name = "os"
... cutoff = "final"
... endpoints = ["OS"]
... ''')
>>> study = load_study(folder)
>>> study.id, study.arm_values, study.analysis("os").endpoints, study.time_unit
('demo', ('Drug', 'Placebo'), ('OS',), 'months')
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from netter.errors import NetterError
from netter.profiles import PROFILES, get_profile
from netter.study.model import (
    DESCRIBE,
    SUBGROUPS,
    TIME_UNITS,
    AnalysisDef,
    ArmDef,
    CrossoverDef,
    CutoffDef,
    EndpointDef,
    ExtrapolationDef,
    NotebookDef,
    Study,
    VariableDef,
)
from netter.study.toml import StudyError, Table, read_toml

#: The file a study folder holds.
STUDY_FILE = "study.toml"
#: Folder of the project's studies, by id.
STUDIES_DIR = "studies"
#: Environment variable naming the default study.
ENV_STUDY = "NETTER_STUDY"
#: Names usable as file stems (analyses, cut-offs, ids).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Results file names that analyses may not take (written by other steps).
RESERVED_NAMES = frozenset({"scorecard", "index"})


def project_root(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) that
    holds a ``studies/`` folder; else the folder above the installed package, if it has one.

    Examples
    --------
    >>> project_root("/") is None or project_root("/").joinpath("studies").is_dir()
    True
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STUDIES_DIR).is_dir():
            return folder
    package_parent = Path(__file__).resolve().parents[2]
    return package_parent if (package_parent / STUDIES_DIR).is_dir() else None


def default_study(root: Path | None = None) -> str | None:
    """The default study: ``$NETTER_STUDY``, else ``[tool.netter] default_study`` of the
    project's ``pyproject.toml``, else ``None``.

    Examples
    --------
    >>> default_study(Path("/nonexistent")) is None or bool(os.environ.get(ENV_STUDY))
    True
    """
    if os.environ.get(ENV_STUDY):
        return os.environ[ENV_STUDY]
    root = root if root is not None else project_root()
    pyproject = None if root is None else root / "pyproject.toml"
    if pyproject is None or not pyproject.is_file():
        return None
    try:
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = config.get("tool", {}).get("netter", {}).get("default_study")
    return value if isinstance(value, str) and value.strip() else None


def available_studies(root: Path | None = None) -> tuple[str, ...]:
    """Ids of the studies under ``<project>/studies/`` (sorted).

    Examples
    --------
    >>> isinstance(available_studies(), tuple)
    True
    """
    root = root if root is not None else project_root()
    if root is None:
        return ()
    base = root / STUDIES_DIR
    return tuple(sorted(p.parent.name for p in base.glob(f"*/{STUDY_FILE}")))


def study_path(ref: str | os.PathLike | None = None) -> Path:
    """The ``study.toml`` named by ``ref`` (a file, a folder or an id; see the module).

    Raises
    ------
    StudyError
        Nothing of that name, or no name and no default.
    """
    root = project_root()
    if ref is None:
        ref = default_study(root)
        if ref is None:
            raise StudyError("no study named: give --study ID_OR_PATH (or set NETTER_STUDY)")
    candidate = Path(ref)
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        if (candidate / STUDY_FILE).is_file():
            return candidate / STUDY_FILE
        raise StudyError(f"{candidate}: a folder without {STUDY_FILE}")
    text = str(ref)
    if root is not None and _NAME.match(text):
        path = root / STUDIES_DIR / text / STUDY_FILE
        if path.is_file():
            return path
    known = ", ".join(available_studies(root)) or "none"
    raise StudyError(f"study {text!r} not found: no such file or folder, and no "
                     f"{STUDIES_DIR}/{text}/{STUDY_FILE} (studies: {known})")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def load_study(ref: str | os.PathLike | None = None) -> Study:
    """Read and check the study named by ``ref`` (see :func:`study_path`).

    Returns
    -------
    Study
        Paths resolved against the study file's folder.

    Raises
    ------
    StudyError
        The file cannot be found or read, or fails a check (file, table and key named).
    """
    path = study_path(ref)
    if os.path.isabs(path) and _inside(path, Path.cwd()):
        path = Path(os.path.relpath(path))
    return parse_study(read_toml(path), path)


def _name(table: Table, key: str, what: str) -> str:
    value = table.text(key)
    if not _NAME.match(value):
        raise table.error(f"{what} {value!r} must be letters, digits, '_', '-' or '.' "
                          "(it names files)", key)
    return value


def _unique(items, what: str, table: Table, key: str) -> None:
    seen = set()
    for item in items:
        if item in seen:
            raise table.error(f"{what} {item!r} is declared twice", key)
        seen.add(item)


def _variable_names(table: Table, key: str, default=()) -> tuple[str, ...] | None:
    names = table.texts(key, default)
    return None if names is None else tuple(n.upper() for n in names)


def _arms(top: Table) -> tuple[ArmDef, ...]:
    arms = []
    for t in top.tables("arms"):
        value = t.text("value")
        arms.append(ArmDef(value=value, label=t.optional_text("label", value)))
        t.done()
    if len(arms) < 2:
        raise top.error("a study needs at least two [[arms]]", "arms")
    _unique([a.value for a in arms], "arm", top, "arms")
    return tuple(arms)


def _cutoffs(top: Table) -> tuple[CutoffDef, ...]:
    cutoffs = []
    for t in top.tables("cutoffs"):
        cutoffs.append(CutoffDef(name=_name(t, "name", "cut-off"), date=t.date("date")))
        t.done()
    if not cutoffs:
        raise top.error("a study needs at least one [[cutoffs]] entry", "cutoffs")
    _unique([c.name for c in cutoffs], "cut-off", top, "cutoffs")
    return tuple(cutoffs)


def _variables(top: Table) -> dict[str, VariableDef]:
    out = {}
    for name, t in top.subtables("variables").items():
        out[name.upper()] = VariableDef(name=name.upper(), label=t.optional_text("label"),
                                        levels=t.mapping("levels"))
        t.done()
    return out


def _endpoints(top: Table) -> dict[str, EndpointDef]:
    out = {}
    for paramcd, t in top.subtables("endpoints").items():
        out[paramcd] = EndpointDef(paramcd=paramcd, label=t.optional_text("label"),
                                   axis=t.optional_text("axis"),
                                   origin=t.optional_text("origin"))
        t.done()
    return out


def _analysis(t: Table, cutoffs: tuple[CutoffDef, ...]) -> AnalysisDef:
    name = _name(t, "name", "analysis name")
    t.where = f"{t.where} ({name})"
    if name.lower() in RESERVED_NAMES:
        raise t.error(f"the name {name!r} is reserved for another output", "name")
    cutoff = t.text("cutoff")
    if cutoff not in {c.name for c in cutoffs}:
        declared = ", ".join(c.name for c in cutoffs)
        raise t.error(f"{cutoff!r} is not a declared cut-off ({declared})", "cutoff")
    analysis = AnalysisDef(
        name=name, cutoff=cutoff, endpoints=t.texts("endpoints"),
        title=t.optional_text("title"), description=t.optional_text("description"),
        landmarks=tuple(sorted(set(t.numbers("landmarks")))),
        rmst_tau=t.number("rmst_tau", positive=True),
        strata=_variable_names(t, "strata", None), response=t.flag("response"),
        subgroups=_variable_names(t, "subgroups"), describe=_variable_names(t, "describe"),
        comparisons=t.texts("comparisons"), crossover=_crossover(t),
        weighted_logrank=t.number_pairs("weighted_logrank"), maxcombo=t.flag("maxcombo"),
        piecewise=_positive_times(t, "piecewise"), rmst_grid=_positive_times(t, "rmst_grid"),
        extrapolation=_extrapolation(t))
    t.done()
    _check_analysis(t, analysis)
    return analysis


def _positive_times(t: Table, key: str) -> tuple[float, ...]:
    """Sorted distinct times > 0 (``piecewise``, ``rmst_grid``)."""
    times = t.numbers(key)
    if any(v <= 0 for v in times):
        raise t.error(f"times must be > 0, got {list(times)!r}", key)
    return tuple(sorted(set(times)))


def _crossover(parent: Table) -> CrossoverDef | None:
    """``[analyses.crossover]``: what ``netter crossover`` options the analysis sets."""
    t = parent.table("crossover")
    if t is None:
        return None
    from netter.results.crossover import (
        EXPOSURE_EXPERIMENTAL,
        EXPOSURE_SWITCH,
        METHODS,
        TSE_DISTRIBUTIONS,
    )

    methods = t.texts("methods", None)
    for m in methods or ():
        if m not in METHODS:
            raise t.error(f"{m!r} is not a crossover method ({', '.join(METHODS)})", "methods")
    choices = {"rpsftm_test": ("logrank", "cox"),
               "exposure_experimental": EXPOSURE_EXPERIMENTAL,
               "tse_distribution": TSE_DISTRIBUTIONS}
    picked = {}
    choices["exposure_switch"] = EXPOSURE_SWITCH
    for key, allowed in choices.items():
        value = t.optional_text(key, allowed[0] if key != "tse_distribution" else "weibull")
        days = value.split(":", 1)[1] if value.startswith("for-days:") else None
        fixed = (key.startswith("exposure_") and days is not None
                 and days.replace(".", "", 1).isdigit() and float(days) > 0)
        if value not in allowed and not fixed:
            extra = " or for-days:N" if key.startswith("exposure_") else ""
            raise t.error(f"must be one of {', '.join(allowed)}{extra}, got {value!r}", key)
        picked[key] = value

    def pair(key, default):
        values = t.numbers(key) if key != "psi_interval" else _signed_pair(t, key)
        if not values:
            return default
        if len(values) != 2 or not values[0] < values[1]:
            raise t.error(f"must be two numbers [low, high] with low < high, got {values!r}",
                          key)
        return (float(values[0]), float(values[1]))

    bootstrap = t.number("bootstrap", 0)
    if bootstrap != int(bootstrap) or bootstrap < 0:
        raise t.error(f"must be a whole number >= 0, got {bootstrap!r}", "bootstrap")
    seed = t.number("seed")
    if bootstrap and seed is None:
        raise t.error("a bootstrap needs a seed", "seed")
    out = CrossoverDef(
        methods=methods, covariates=_variable_names(t, "covariates", None),
        strata=_variable_names(t, "strata"), recensor=t.flag("recensor", True),
        psi_interval=pair("psi_interval", (-3.0, 3.0)),
        ipcw_interval_days=t.number("ipcw_interval_days", 30.4375, positive=True),
        ipcw_truncation=pair("ipcw_truncation", None),
        progression=t.optional_text("progression", "PFS"), bootstrap=int(bootstrap),
        seed=None if seed is None else int(seed), **picked)
    t.done()
    return out


def _extrapolation(parent: Table) -> ExtrapolationDef | None:
    """``[analyses.extrapolation]``: what ``netter extrapolate`` options the analysis sets."""
    t = parent.table("extrapolation")
    if t is None:
        return None
    from netter.stats.parametric import DISTRIBUTIONS

    dists = t.texts("distributions", None)
    for d in dists or ():
        if d not in DISTRIBUTIONS:
            raise t.error(f"{d!r} is not a distribution ({', '.join(DISTRIBUTIONS)})",
                          "distributions")
    psm = None
    if t.has("psm"):
        values = t.texts("psm")
        if len(values) != 4 or values[2] not in DISTRIBUTIONS or (
                values[3] not in DISTRIBUTIONS):
            raise t.error("must be [PFS endpoint, OS endpoint, PFS distribution, OS "
                          f"distribution], got {list(values)!r}", "psm")
        psm = tuple(values)
    knots = t.numbers("knots") or None
    out = ExtrapolationDef(distributions=dists,
                           horizon_years=t.number("horizon_years", 20.0, positive=True),
                           joint=t.flag("joint"), knots=knots, psm=psm)
    t.done()
    return out


def _signed_pair(t: Table, key: str) -> tuple[float, ...]:
    value = t._get(key, False)
    if value is None:
        return ()
    if not (isinstance(value, list) and all(isinstance(v, int | float) and
                                            not isinstance(v, bool) for v in value)):
        raise t.error(f"must be a list of two numbers, got {value!r}", key)
    return tuple(float(v) for v in value)


def _check_analysis(t: Table, a: AnalysisDef) -> None:
    if a.subgroups and a.describe:
        raise t.error("an analysis is either a subgroup analysis (subgroups) or a "
                      "description (describe), not both", "subgroups")
    if a.kind == SUBGROUPS and len(a.endpoints) != 1:
        raise t.error("a subgroup analysis needs exactly one endpoint", "endpoints")
    if a.kind == DESCRIBE and (a.endpoints or a.response):
        raise t.error("a description (describe) has no endpoints and no response",
                      "describe")
    if a.extrapolation is not None and (not a.endpoints or a.response or a.subgroups
                                        or a.describe or a.crossover is not None):
        raise t.error("an extrapolation analysis fits its endpoints only (no response, "
                      "subgroups, describe or crossover)", "extrapolation")
    if a.crossover is not None and (len(a.endpoints) != 1 or a.response or a.subgroups
                                    or a.describe):
        raise t.error("a crossover analysis adjusts exactly one endpoint (no response, "
                      "subgroups or describe)", "crossover")
    if a.kind not in (SUBGROUPS, DESCRIBE) and not a.endpoints and not a.response:
        raise t.error("nothing to analyse: give endpoints, response = true, subgroups "
                      "or describe", "endpoints")
    _unique(a.endpoints, "endpoint", t, "endpoints")


def _notebooks(top: Table, folder: Path, analyses: tuple[AnalysisDef, ...]
               ) -> tuple[NotebookDef, ...]:
    out, claimed = [], {}
    names = {a.name for a in analyses}
    for t in top.tables("notebooks"):
        script = folder / t.text("script")
        notebook = NotebookDef(name=_name(t, "name", "notebook name") if t.has("name")
                               else script.stem, script=script, analyses=t.texts("analyses"))
        t.done()
        if not script.is_file():
            raise t.error(f"no such script {script}", "script")
        for analysis in notebook.analyses:
            if analysis not in names:
                raise t.error(f"{analysis!r} is not a declared analysis", "analyses")
            if analysis in claimed:
                raise t.error(f"analysis {analysis!r} is already saved by notebook "
                              f"{claimed[analysis]!r}", "analyses")
            claimed[analysis] = notebook.name
        out.append(notebook)
    return tuple(out)


def _path(top: Table, key: str, folder: Path, must_exist: bool) -> Path | None:
    text = top.optional_text(key)
    if text is None:
        return None
    path = Path(os.path.normpath(folder / text))
    if must_exist and not path.is_file():
        raise top.error(f"no such file {path}", key)
    return path


def parse_study(raw: dict, path: Path) -> Study:
    """Check the TOML content ``raw`` of ``path`` and build the :class:`Study`.

    Raises
    ------
    StudyError
        Any failed check, naming ``path``, the table and the key.
    """
    top = Table(raw, str(path))
    folder = Path(path).parent
    study_id = _name(top, "id", "study id")
    arms, cutoffs = _arms(top), _cutoffs(top)
    reference = top.optional_text("reference")
    if reference is not None and reference not in {a.value for a in arms}:
        raise top.error(f"{reference!r} is not one of the [[arms]] values "
                        f"({', '.join(a.value for a in arms)})", "reference")
    analyses = tuple(_analysis(t, cutoffs) for t in top.tables("analyses"))
    _unique([a.name for a in analyses], "analysis", top, "analyses")
    time_unit = (top.optional_text("time_unit", "months") or "months").lower()
    if time_unit not in TIME_UNITS:
        raise top.error(f"{time_unit!r} is not one of {', '.join(TIME_UNITS)}", "time_unit")
    profile = top.optional_text("profile", "r")
    if profile not in PROFILES:
        raise top.error(f"unknown profile {profile!r} ({', '.join(PROFILES)})", "profile")
    options = top.mapping("options")
    if "conf_level" in options:
        raise top.error("conf_level is not a study option (give --conf-level)", "options")
    try:
        profile = get_profile(profile, options=options).name
    except NetterError as err:
        raise top.error(str(err), "options") from None
    study = Study(
        id=study_id, title=top.text("title"), name=top.optional_text("name"),
        path=Path(path),
        arm_var=(top.optional_text("arm_var", "TRT01P") or "TRT01P").upper(), arms=arms,
        reference=reference, cutoffs=cutoffs, analyses=analyses,
        notebooks=_notebooks(top, folder, analyses),
        strata=_variable_names(top, "strata"), baseline=_variable_names(top, "baseline"),
        variables=_variables(top), endpoints=_endpoints(top),
        abbreviations=top.mapping("abbreviations"),
        population_flag=(top.optional_text("population_flag") or "").upper() or None,
        profile=profile, time_unit=time_unit,
        risk_step=top.number("risk_step", positive=True),
        data=_path(top, "data", folder, False),
        simulation=_path(top, "simulation", folder, True),
        published=_path(top, "published", folder, True),
        scorecard=_path(top, "scorecard", folder, True),
        calibration=_path(top, "calibration", folder, True))
    top.done()
    if study.analyses and study.reference is None:
        raise top.error("name the reference arm (reference = \"...\"): netter never "
                        "guesses which arm is the control", "reference")
    return study
