"""Hand-written specimen documents: the examples of the tables' and figures' docs and tests.

The numbers are typed in by hand (rounded, plausible, not computed by netter), so
that what a table or figure shows depends on the formatting and drawing code
alone.  Two arms of 10 subjects, PFS (stratified, landmark at 6 months, RMST to
8 months) and OS (median not reached, a landmark after the last observation),
a subgroups document, a baseline document, a crossover document (switchers from the
control arm; two-stage estimation not estimable), an extrapolation document (OS
fitted per arm and jointly, PFS for partitioned survival) and a ``"response"`` block in its JSON
form.

Examples
--------
>>> doc = specimen_results()
>>> doc.params, [a.arm for a in doc.endpoints["PFS"].arms]
(('OS', 'PFS'), ['Drug A', 'Control'])
>>> specimen_response()["arms"][0]["bor_counts"]["PR"]
3
"""

from __future__ import annotations

import math

from netter.results import (
    SCHEMA,
    ArmCount,
    ArmLabel,
    ArmResult,
    AtRisk,
    BaselineDocument,
    BaselineGroup,
    BaselineVariable,
    CoxResult,
    CurveResult,
    EndpointResult,
    EventCount,
    GroupSummary,
    InputFile,
    InteractionTest,
    LandmarkResult,
    LevelCount,
    LogRankResult,
    Methods,
    NumericSummary,
    PhTestResult,
    QuantileResult,
    ResultsDocument,
    RmstDifferenceResult,
    RmstResult,
    SubgroupArm,
    SubgroupResult,
    SubgroupsDocument,
    SubgroupVariable,
)
from netter.results.baseline import SCHEMA as BASELINE_SCHEMA
from netter.results.crossover import SCHEMA as CROSSOVER_SCHEMA
from netter.results.crossover import (
    CrossoverDocument,
    CrossoverMethods,
    CrossoverSettings,
    Estimate,
    HazardRatio,
    IpcwResult,
    IttResult,
    NaiveResult,
    RpsftmResult,
    TseResult,
    WeightSummary,
)
from netter.results.extrapolation import SCHEMA as EXTRAPOLATION_SCHEMA
from netter.results.extrapolation import (
    ArmExtrapolation,
    ArmModel,
    EmpiricalHazard,
    EndpointExtrapolation,
    ExtrapolationDocument,
    ExtrapolationSettings,
    FitRecord,
    JointModel,
    ModelCurve,
    ParameterResult,
    PartitionedSurvivalResult,
    Prediction,
    StateOccupancy,
)
from netter.results.subgroups import ALL_PATIENTS
from netter.results.subgroups import SCHEMA as SUBGROUPS_SCHEMA

LU, OCT = "Drug A", "Control"
METHODS = Methods("r", "log", 0.95, "efron", "midpoint", "greenwood", "km",
                  "named by the study")
INTERACTION_METHOD = ("likelihood ratio, arm x subgroup, baseline hazards stratified by "
                      "subgroup level")
INPUTS = {"adsl": InputFile("specimen/adsl.csv", "0" * 64)}


def _q(q: float, estimate, ci, reason=None) -> QuantileResult:
    return QuantileResult(q, estimate, ci, reason)


def _curve(time, n_risk, n_event, survival, lower, upper) -> CurveResult:
    n_censor = tuple(r - e - (n_risk[i + 1] if i + 1 < len(n_risk) else 0)
                     for i, (r, e) in enumerate(zip(n_risk, n_event, strict=True)))
    return CurveResult(tuple(time), tuple(n_risk), tuple(n_event), n_censor,
                       tuple(survival), tuple(lower), tuple(upper), "log", 0.95)


def _cox(hr, ci, p, strata=None) -> CoxResult:
    return CoxResult(arm=LU, reference=OCT, hazard_ratio=hr, ci=ci, coef=None, se=None,
                     p_value_wald=p, p_value_lr=p, p_value_score=p, chisq_wald=None,
                     chisq_lr=None, chisq_score=None, df=1, loglik_null=None, loglik=None,
                     ties="efron", conf_level=0.95, n=20, events=12, converged=True,
                     not_estimable_reason=None, strata=strata,
                     strata_levels=None if strata is None else ("2", "3"))


def _pfs_arms() -> tuple[ArmResult, ArmResult]:
    lu = ArmResult(
        arm=LU, n=10, events=4, censored=6, last_time=15.0,
        median=_q(0.5, 13.5, (9.0, None)),
        quartiles=(_q(0.25, 9.0, (3.0, None)), _q(0.5, 13.5, (9.0, None)),
                   _q(0.75, None, (13.5, None), "not reached: the curve stays above 0.25")),
        landmarks=(LandmarkResult(6.0, 0.762, 0.148, (0.521, 1.0), 7, None),),
        median_followup=_q(0.5, 10.5, (7.5, None)),
        rmst=RmstResult(8.0, 7.2, 0.35, (6.5, 7.9), False, None),
        curve=_curve((1.5, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.5, 15.0),
                     (10, 9, 8, 7, 6, 5, 4, 3, 2, 1), (0, 1, 0, 1, 0, 1, 0, 0, 1, 0),
                     (1.0, 0.889, 0.889, 0.762, 0.762, 0.610, 0.610, 0.610, 0.305, 0.305),
                     (1.0, 0.706, 0.706, 0.521, 0.521, 0.341, 0.341, 0.341, 0.068, 0.068),
                     (1.0,) * 10),
        risk_table=(AtRisk(0.0, 10), AtRisk(4.0, 8), AtRisk(8.0, 5), AtRisk(12.0, 3)),
        event_types=(EventCount("Death", 1), EventCount("Disease progression", 3)),
        censor_types=(EventCount("Last adequate tumour assessment", 6),))
    oct_ = ArmResult(
        arm=OCT, n=10, events=8, censored=2, last_time=8.0,
        median=_q(0.5, 4.0, (2.4, None)),
        quartiles=(_q(0.25, 1.6, (0.8, 6.4)), _q(0.5, 4.0, (2.4, None)),
                   _q(0.75, 6.4, (4.8, None))),
        landmarks=(LandmarkResult(6.0, 0.375, 0.161, (0.162, 0.869), 3, None),),
        median_followup=_q(0.5, 5.6, (2.4, None)),
        rmst=RmstResult(8.0, 4.4, 0.7, (3.0, 5.8), False, None),
        curve=_curve((0.8, 1.6, 2.4, 3.2, 4.0, 4.8, 5.6, 6.4, 7.2, 8.0),
                     (10, 9, 8, 7, 6, 5, 4, 3, 2, 1), (1, 1, 0, 1, 1, 1, 0, 1, 1, 0),
                     (0.9, 0.8, 0.8, 0.686, 0.571, 0.457, 0.457, 0.305, 0.152, 0.152),
                     (0.732, 0.587, 0.587, 0.455, 0.338, 0.235, 0.235, 0.110, 0.027, 0.027),
                     (1.0, 1.0, 1.0, 1.0, 0.966, 0.888, 0.888, 0.843, 0.860, 0.860)),
        risk_table=(AtRisk(0.0, 10), AtRisk(4.0, 6), AtRisk(8.0, 1), AtRisk(12.0, 0)),
        event_types=(EventCount("Death", 1), EventCount("Disease progression", 7)),
        censor_types=(EventCount("Last adequate tumour assessment", 1),
                      EventCount("Randomisation (no adequate assessment)", 1)))
    return lu, oct_


def _pfs() -> EndpointResult:
    strata = ("STRAT1R",)
    return EndpointResult(
        paramcd="PFS", n=20, events=12, censored=8, arms=_pfs_arms(),
        median_followup=_q(0.5, 8.0, (5.6, 12.0)), excluded=(), not_estimable_reason=None,
        logrank=LogRankResult(5.39, 1, 0.0202, (ArmCount(LU, 10, 4, 7.9),
                                                ArmCount(OCT, 10, 8, 4.1)), None),
        cox=_cox(0.18, (0.04, 0.90), 0.0369), ph_test=PhTestResult(0.23, 1, 0.63, "km",
                                                                    "efron", None),
        label="Progression-free survival",
        rmst_difference=RmstDifferenceResult(8.0, LU, OCT, 2.8, 0.78, (1.3, 4.3), 0.0003,
                                             False, None),
        logrank_stratified=LogRankResult(4.86, 1, 0.0278, (), None, strata, ("2", "3")),
        cox_stratified=_cox(0.20, (0.04, 0.97), 0.0462, strata),
        ph_test_stratified=PhTestResult(0.19, 1, 0.66, "km", "efron", None, strata))


def _os_arm(arm: str, events, survival, lower, risk) -> ArmResult:
    deaths = sum(events)
    at_6 = LandmarkResult(6.0, survival[1], 0.13, (lower[1], 1.0), risk[2].n_risk, None)
    return ArmResult(
        arm=arm, n=10, events=deaths, censored=10 - deaths, last_time=14.0,
        median=_q(0.5, None, (9.0, None), "not reached: the curve stays above 0.5"),
        quartiles=(_q(0.25, 5.0, (2.0, None)),
                   _q(0.5, None, (5.0, None), "not reached: the curve stays above 0.5"),
                   _q(0.75, None, (None, None), "not reached: the curve stays above 0.25")),
        landmarks=(at_6, LandmarkResult(20.0, None, None, (None, None), 0,
                                        "after the last observation (14 months), where "
                                        "the curve ends censored above 0")),
        median_followup=_q(0.5, 9.0, (5.0, 14.0)),
        curve=_curve((2.0, 5.0, 9.0, 14.0), (10, 8, 5, 2), events, survival, lower,
                     (1.0, 1.0, 1.0, 1.0)),
        risk_table=risk, event_types=(EventCount("Death", deaths),),
        censor_types=(EventCount("Last known alive (data cut-off)", 10 - deaths),))


def _os() -> EndpointResult:
    risk = (AtRisk(0.0, 10), AtRisk(4.0, 8), AtRisk(8.0, 5), AtRisk(12.0, 2))
    lu = _os_arm(LU, (1, 1, 0, 0), (0.9, 0.788, 0.788, 0.788), (0.732, 0.574, 0.574, 0.574),
                 risk)
    oct_ = _os_arm(OCT, (1, 2, 1, 0), (0.9, 0.675, 0.540, 0.540),
                   (0.732, 0.440, 0.299, 0.299), risk)
    return EndpointResult(
        paramcd="OS", n=20, events=6, censored=14, arms=(lu, oct_),
        median_followup=_q(0.5, 9.0, (5.0, 14.0)), excluded=(), not_estimable_reason=None,
        logrank=LogRankResult(0.95, 1, 0.33, (), None), cox=_cox(0.44, (0.08, 2.40), 0.34),
        ph_test=PhTestResult(None, 1, None, "km", "efron", "too few events"),
        label="Overall survival")


def specimen_results() -> ResultsDocument:
    """A two-arm ``netter analyze`` document (PFS and OS), typed in by hand."""
    return ResultsDocument(
        schema=SCHEMA, generator="netter 0.1.0", profile="r", methods=METHODS,
        time_unit="months", reference_arm=OCT, arm_var="TRT01P", strata=("STRAT1R",),
        population_flag=None, params=("OS", "PFS"), landmarks=(6.0,), rmst_tau=8.0,
        inputs=INPUTS, endpoints={"OS": _os(), "PFS": _pfs()})


def _sub(variable, level, lu, oct_, hr, ci, p, reason=None) -> SubgroupResult:
    return SubgroupResult(variable=variable, level=level, n=lu[0] + oct_[0],
                          events=lu[1] + oct_[1],
                          arms=(SubgroupArm(LU, *lu), SubgroupArm(OCT, *oct_)),
                          hazard_ratio=hr, ci=ci, p_value=p, not_estimable_reason=reason)


def specimen_subgroups() -> SubgroupsDocument:
    """A subgroups document: SEX (two levels) and LIVBURD (one level not estimable)."""
    test = InteractionTest(0.41, 1, 0.52, INTERACTION_METHOD, None)
    sex = SubgroupVariable("SEX", (
        _sub("SEX", "F", (5, 2), (4, 4), 0.25, (0.05, 1.30), 0.099),
        _sub("SEX", "M", (5, 2), (6, 4), 0.14, (0.02, 0.95), 0.044)), test, 0, label="Sex",
        level_labels={"F": "Female", "M": "Male"})
    liver = SubgroupVariable("LIVBURD", (
        _sub("LIVBURD", "<25%", (7, 3), (7, 6), 0.21, (0.05, 0.86), 0.030),
        _sub("LIVBURD", ">50%", (3, 1), (3, 2), None, (None, None), None,
             f"monotone likelihood: hazard ratio of {LU!r} vs {OCT!r} tends to 0")),
        InteractionTest(None, 1, None, INTERACTION_METHOD,
                        "hazard ratio not estimable in level '>50%'"), 0,
        label="Liver burden")
    return SubgroupsDocument(
        schema=SUBGROUPS_SCHEMA, generator="netter 0.1.0", profile="r", methods=METHODS,
        time_unit="months", paramcd="PFS", label="Progression-free survival",
        arm_var="TRT01P", arm=LU, reference_arm=OCT, population_flag=None, inputs=INPUTS,
        overall=_sub(None, ALL_PATIENTS, (10, 4), (10, 8), 0.18, (0.04, 0.90), 0.037),
        variables=(sex, liver))


def specimen_response() -> dict:
    """The ``"response"`` block of a results JSON (the shape ``netter analyze`` writes)."""
    def arm(name, n, counts, rate, ci, dcr, dcr_ci):
        return {"arm": name, "n": n, "responders": counts["CR"] + counts["PR"], "rate": rate,
                "ci": list(ci), "ci_method": "clopper-pearson", "bor_counts": counts,
                "dcr": {"rate": dcr, "ci": list(dcr_ci), "not_estimable_reason": None},
                "not_estimable_reason": None}

    return {
        "confirmed": True, "conf_level": 0.95, "reference": OCT, "arm": LU, "n": 20,
        "bor_source": "derived from ADRS PARAMCD=OVR (netter.adam.response)",
        "arms": [arm(LU, 10, {"CR": 1, "PR": 3, "SD": 4, "PD": 1, "NE": 1}, 0.4,
                     (0.1216, 0.7376), 0.8, (0.4439, 0.9748)),
                 arm(OCT, 10, {"CR": 0, "PR": 0, "SD": 5, "PD": 4, "NE": 1}, 0.0,
                     (0.0, 0.3085), 0.5, (0.1871, 0.8129))],
        "difference": {"estimate": 0.4, "ci": [0.0813, 0.6892],
                       "method": "newcombe", "not_estimable_reason": None},
        "odds_ratio": {"estimate": None, "ci": [1.0623, None],
                       "method": "conditional MLE, exact conditional CI (R fisher.test)",
                       "not_estimable_reason": "odds ratio infinite: no responders in "
                                               "the reference arm"},
        "fisher_p_value": 0.0867,
        "cmh": {"statistic": 3.1, "p_value": 0.0782, "correct": False,
                "strata": ["STRAT1R"], "df": 1, "n": 20},
        "not_estimable_reason": None,
    }


def specimen_baseline() -> BaselineDocument:
    """A baseline document: AGE (numeric, one missing) and SEX (two levels)."""
    def age(arm, n, missing, mean, sd, median, low, high):
        return GroupSummary(arm, n, missing, summary=NumericSummary(
            n - missing, mean, sd, median, low, high, True))

    def sex(arm, n, female, male):
        return GroupSummary(arm, n, 0, counts=(LevelCount("F", female, female / n),
                                               LevelCount("M", male, male / n)))

    return BaselineDocument(
        schema=BASELINE_SCHEMA, generator="netter 0.1.0", arm_var="TRT01P",
        population_flag=None,
        groups=(BaselineGroup(LU, 10), BaselineGroup(OCT, 10), BaselineGroup("Total", 20)),
        variables=(
            BaselineVariable("AGE", "continuous", (), (
                age(LU, 10, 1, 63.44, 8.2, 64.0, 48.0, 77.0),
                age(OCT, 10, 0, 61.25, 9.05, 60.5, 45.0, 79.0),
                age("Total", 20, 1, 62.29, 8.55, 62.0, 45.0, 79.0)), label="Age, years"),
            BaselineVariable("SEX", "categorical", ("F", "M"), (
                sex(LU, 10, 4, 6), sex(OCT, 10, 5, 5), sex("Total", 20, 9, 11)),
                label="Sex", level_labels={"F": "Female", "M": "Male"})),
        inputs=INPUTS)


#: Assumptions of the specimen crossover methods (shortened from what netter records).
_RPSFTM_ASSUMES = ("common treatment effect: the treatment stretches survival time by "
                   "exp(-psi) whenever it is received",
                   "the counterfactual untreated time is independent of the randomised arm")
_WALD = "Wald 95%, model SE"


def _rpsftm(recensor: bool, psi: float, ci, af: float, hr: float, hr_ci) -> RpsftmResult:
    label = "RPSFTM, re-censored" if recensor else "RPSFTM, not re-censored"
    extra = ("re-censoring at C* = C min(1, exp(psi))" if recensor else "no re-censoring")
    return RpsftmResult(
        label=label, psi=Estimate(psi, ci), acceleration_factor=af,
        recensor=recensor, test="logrank",
        hazard_ratio=HazardRatio(hr, hr_ci, "95%, SE set so that the Wald p-value equals "
                                 "the ITT logrank p-value (preserved p)", p_value=0.33),
        assumptions=(*_RPSFTM_ASSUMES, extra), roots=(psi,), interval=(-3.0, 3.0),
        warnings=(), not_estimable_reason=None)


def specimen_crossover() -> CrossoverDocument:
    """A crossover document of OS: 4 of the 10 control patients switched to Drug A; every
    method estimable but two-stage estimation (no progressions)."""
    os_ = _os()
    curves = {"experimental": os_.arms[0].curve, "reference": os_.arms[1].curve,
              "reference_rpsftm": _curve((2.0, 4.0, 7.0, 11.0), (10, 8, 5, 2),
                                         (1, 2, 1, 0), (0.9, 0.675, 0.540, 0.540),
                                         (0.732, 0.440, 0.299, 0.299), (1.0,) * 4)}
    n, events = {LU: 10, OCT: 10}, {LU: 2, OCT: 4}
    return CrossoverDocument(
        schema=CROSSOVER_SCHEMA, generator="netter 0.1.0", param="OS", arm_var="TRT01P",
        reference=OCT, experimental=LU, n_switchers=4, n=n,
        settings=CrossoverSettings(
            profile="r", ties="efron", conf_level=0.95, time_unit="months", strata=(),
            covariates=(), exposure_experimental="follow-up", exposure_switch="from-switch",
            censor_time="the administrative censoring time is DCUTDT - RANDDT",
            rpsftm_test="logrank", rpsftm_interval=(-3.0, 3.0), rpsftm_tolerance=1e-10,
            ipcw_interval=1.0, ipcw_truncation=None, tse_distribution="weibull",
            progression="no PFS records: progression is unknown", bootstrap=0, seed=None,
            glm_tolerance=1e-10, cox_tolerance=1e-9),
        itt=IttResult(HazardRatio(0.44, (0.08, 2.40), _WALD, se_log=0.87),
                      p_value_logrank=0.33, z_logrank=-0.97, n=n, events=events),
        methods=CrossoverMethods(
            rpsftm=_rpsftm(True, -0.52, (-1.9, 0.6), 1.68, 0.38, (0.05, 2.71)),
            rpsftm_no_recensor=_rpsftm(False, -0.61, (-2.0, 0.5), 1.84, 0.35,
                                       (0.04, 2.90)),
            ipcw=IpcwResult(
                label="IPCW", hazard_ratio=HazardRatio(
                    0.36, (0.06, 2.10), "Wald 95%, robust (sandwich) SE clustered by subject",
                    se_log=0.9, se_robust=0.9),
                weights=WeightSummary(rows=120, minimum=0.62, p1=0.64, p5=0.7, p25=0.9,
                                      median=0.98, p75=1.05, p95=1.6, p99=2.3, maximum=2.41,
                                      mean=1.01, truncated_rows=0),
                denominator_model=(), numerator_model=(), model_rows="all reference-arm "
                "intervals", interval=1.0,
                assumptions=("no unmeasured confounders of switching",), warnings=(),
                not_estimable_reason=None),
            tse=TseResult(
                label="Two-stage estimation", acceleration_factor=None,
                distribution="weibull", recensor=True, hazard_ratio=None, stage1_model=(),
                stage1_n=0, stage1_events=0,
                assumptions=("switching happens at or soon after progression",),
                warnings=(),
                not_estimable_reason="no progression times (the progression parameter is "
                                     "missing)"),
            censor=NaiveResult(
                label="Switchers censored at switch (naive)",
                hazard_ratio=HazardRatio(0.31, (0.05, 1.90), _WALD, se_log=0.92,
                                         p_value=0.19),
                p_value_logrank=0.18, n=n, events={LU: 2, OCT: 3},
                assumptions=("biased: switching depends on prognosis",),
                not_estimable_reason=None),
            exclude=NaiveResult(
                label="Switchers excluded (naive)",
                hazard_ratio=HazardRatio(0.25, (0.04, 1.60), _WALD, se_log=0.95,
                                         p_value=0.14),
                p_value_logrank=0.13, n={LU: 10, OCT: 6}, events={LU: 2, OCT: 3},
                assumptions=("biased: excluding switchers breaks randomisation",),
                not_estimable_reason=None)),
        inputs=INPUTS, curves=curves, param_label="Overall survival")


def _model_curve(rate: float, shape: float, ci: float = 0.1) -> ModelCurve:
    """A Weibull curve (``shape`` 1: exponential) on the grid 0, 30, ..., 120."""
    grid = (0.0, 30.0, 60.0, 90.0, 120.0)
    surv = tuple(round(math.exp(-((rate * t) ** shape)), 4) for t in grid)
    hazard = tuple(None if t == 0 and shape < 1 else
                   round(shape * rate * (rate * t) ** (shape - 1), 5) for t in grid)
    return ModelCurve(grid, surv, tuple(max(0.0, s - ci) if t else None
                                        for s, t in zip(surv, grid, strict=True)),
                      tuple(min(1.0, s + ci) if t else None
                            for s, t in zip(surv, grid, strict=True)),
                      hazard, "delta (cloglog)")


def _fit(dist: str, aic: float, rank: int, n: int, events: int, params) -> FitRecord:
    k = len(params)
    return FitRecord(dist, dist.capitalize(), tuple(
        ParameterResult(name, est, 0.2, (est - 0.4, est + 0.4)) for name, est in params),
        loglik=-(aic - 2 * k) / 2, aic=aic, bic=round(aic + k * (math.log(n) - 2), 2),
        n_parameters=k, n=n, events=events, converged=True,
        engine="netter likelihood (newton)", knots=(), rank_aic=rank, rank_bic=rank)


def _pred(rm: float, se: float, mean, diff: float, curve: ModelCurve,
          follow: float) -> Prediction:
    return Prediction(rm, se, mean, rmst_follow_up=round(follow * 0.7 + diff, 2),
                      km_rmst_follow_up=round(follow * 0.7, 2), difference_from_km=diff,
                      curve=curve)


def _ex_arm(n, events, follow, km, exp_fit, weib_fit) -> ArmExtrapolation:
    times = tuple(float(t) for t in range(4, int(follow) - 3, 4))
    hazard = EmpiricalHazard(times, tuple(0.02 + 0.001 * i for i in range(len(times))),
                             follow / 8)
    return ArmExtrapolation(n=n, events=events, follow_up=follow, km=km,
                            empirical_hazard=hazard,
                            models={"exponential": exp_fit, "weibull": weib_fit})


def specimen_extrapolation() -> ExtrapolationDocument:
    """An extrapolation document of OS to 120 months: exponential and Weibull fitted to
    each arm and jointly (Gompertz asked for, not fitted), PFS fitted (Weibull) for a
    partitioned-survival model."""
    os_ = _os()
    km = {arm.arm: arm.curve for arm in os_.arms}
    lu = _ex_arm(10, 6, 30.0, km[LU],
                 ArmModel(_fit("exponential", 61.5, 2, 10, 6, [("log_rate", -3.8)]),
                          _pred(38.2, 3.1, 41.0, 0.42, _model_curve(0.0244, 1.0), 30.0)),
                 ArmModel(_fit("weibull", 60.2, 1, 10, 6, [("log_shape", 0.3),
                                                            ("log_scale", 3.7)]),
                          _pred(36.0, 2.9, 36.5, -0.1, _model_curve(0.026, 1.35), 30.0)))
    ctl = _ex_arm(10, 8, 28.0, km[OCT],
                  ArmModel(_fit("exponential", 66.0, 1, 10, 8, [("log_rate", -3.0)]),
                           _pred(20.1, 2.2, 20.4, 0.9, _model_curve(0.049, 1.0), 28.0)),
                  ArmModel(_fit("weibull", 67.4, 2, 10, 8, [("log_shape", -0.1),
                                                             ("log_scale", 3.0)]),
                           _pred(21.7, 2.8, None, 0.3, _model_curve(0.05, 0.9), 28.0)))
    joint = {
        "exponential": JointModel(
            _fit("exponential", 126.9, 1, 20, 14, [("log_rate", -3.0),
                                                   (f"arm: {LU}", -0.7)]),
            {LU: _pred(38.0, 3.0, 40.2, 0.3, _model_curve(0.0245, 1.0), 30.0),
             OCT: _pred(20.3, 2.1, 20.5, 1.0, _model_curve(0.049, 1.0), 28.0)}),
        "weibull": JointModel(
            _fit("weibull", 128.3, 2, 20, 14, [("log_shape", 0.05), ("log_scale", 3.0),
                                               (f"arm: {LU}", 0.7)]),
            {LU: _pred(37.1, 3.2, 39.0, 0.1, _model_curve(0.025, 1.05), 30.0),
             OCT: _pred(20.9, 2.4, 21.3, 0.8, _model_curve(0.048, 1.05), 28.0)}),
    }
    pfs_km = {arm.arm: arm.curve for arm in _pfs().arms}

    def pfs_arm(arm, n, events, follow, rate, shape, rm):
        model = ArmModel(_fit("weibull", 40.0, 1, n, events, [("log_shape", 0.1),
                                                               ("log_scale", 2.5)]),
                         _pred(rm, 1.5, rm + 0.5, 0.2, _model_curve(rate, shape), follow))
        return ArmExtrapolation(n=n, events=events, follow_up=follow, km=pfs_km[arm],
                                empirical_hazard=EmpiricalHazard((4.0, 8.0), (0.05, 0.06),
                                                                 follow / 8),
                                models={"weibull": model})

    def occupancy(pf, progressed):
        grid = (0.0, 30.0, 60.0, 90.0, 120.0)
        pfs_s = (1.0, 0.3, 0.08, 0.02, 0.0)
        os_s = (1.0, 0.45, 0.2, 0.08, 0.03)
        return StateOccupancy("weibull", "weibull", grid, pfs_s,
                              tuple(o - p for o, p in zip(os_s, pfs_s, strict=True)),
                              tuple(1 - o for o in os_s), pf, progressed,
                              120.0 - pf - progressed, (), 0.0)

    return ExtrapolationDocument(
        schema=EXTRAPOLATION_SCHEMA, generator="netter 0.1.0", arm_var="TRT01P",
        reference=OCT, arms=(LU, OCT),
        settings=ExtrapolationSettings(
            profile="r", conf_level=0.95, time_unit="months", horizon=120.0,
            grid_step=30.0, distributions=("exponential", "weibull", "gompertz"),
            joint=True, optimiser="newton", tolerance=1e-10, max_iter=200,
            bic_n="subjects", ci_method="delta method on log(-log S)", bootstrap=0,
            seed=None),
        endpoints={"OS": EndpointExtrapolation("OS", {LU: lu, OCT: ctl}, joint=joint,
                                               joint_covariates=(f"arm: {LU}",),
                                               label="Overall survival"),
                   "PFS": EndpointExtrapolation(
                       "PFS", {LU: pfs_arm(LU, 10, 4, 15.0, 0.04, 1.1, 16.5),
                               OCT: pfs_arm(OCT, 10, 7, 14.0, 0.09, 1.1, 9.5)},
                       label="Progression-free survival")},
        inputs=INPUTS,
        partitioned_survival=PartitionedSurvivalResult(
            "PFS", "OS", {LU: occupancy(16.0, 20.5), OCT: occupancy(9.0, 11.5)}),
        arm_labels=(ArmLabel(LU, LU), ArmLabel(OCT, OCT)))
