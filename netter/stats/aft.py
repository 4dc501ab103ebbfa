"""Parametric accelerated-failure-time (AFT) regression, as R ``survreg``.

The model is survreg's location-scale model on the log time scale::

    log T = X b + sigma * W,

with an intercept always in ``X`` and ``W`` a standard extreme-value (minimum; Weibull
``T``), normal (log-normal ``T``) or logistic (log-logistic ``T``) error.  Reported as
survreg reports it: the location coefficients ``b`` ("(Intercept)" first), ``Log(scale)``
= log sigma, standard errors from the observed information in the parameters
``(b, log sigma)`` (``sqrt(diag(vcov(fit)))``), and the log-likelihood of the times
(``fit$loglik``: the density of ``T``, so events carry the Jacobian ``-log t``).  The
acceleration factor of a covariate is ``exp(coef)``: a factor above 1 stretches time
(longer survival).  Agreement with R survival 3.5.3
``survreg(..., control = survreg.control(rel.tolerance = 1e-12, maxiter = 100))``
is tested to 1e-6 absolute (tests/reference/aft.R); the default engine is within 5e-12
of R on those cases.

Engines
-------
``engine="netter"`` (the default), recorded as ``"netter likelihood"``
    Newton-Raphson on survreg's own parameters ``(b, log sigma)`` with the analytic
    gradient and Hessian of the extreme-value, normal and logistic log-likelihoods, and
    step halving when the log-likelihood decreases.  It stops, as survreg, when a full
    Newton step changed the log-likelihood by at most ``tolerance`` relative (survreg's
    ``rel.tolerance``), and also requires that step to be at most
    ``sqrt(tolerance) * (1 + |parameter|)``.  That second condition changes nothing on
    well-determined fits (a few more digits); where the likelihood is flat to rounding
    along some direction (tiny data sets, standard errors of 1e4) survreg's rule alone
    stops anywhere on the plateau, in R too, and the estimate then depended on the start
    and on the unit of time.  The intercept-only model is fitted first (from the mean and
    standard deviation of log time) and starts the full model, as in survreg.  Where the
    information is not positive definite (far from the maximum: the log-likelihood is
    concave in ``(b / sigma, 1 / sigma)``, not in ``(b, log sigma)``) the step uses the
    absolute values of its eigenvalues.
``engine="lifelines"``, recorded as ``"lifelines <Fitter> <version> (BFGS, gtol=...)"``
    lifelines' ``WeibullAFTFitter``, ``LogNormalAFTFitter`` or ``LogLogisticAFTFitter``
    with ``penalizer=0``, an explicit start (the intercept-only moments start above), and
    ``fit_options={"gtol": tolerance, "maxiter": max_iter}`` for scipy's BFGS (set for
    all three: see below).  When lifelines raises ``ConvergenceError`` (BFGS stopped with
    "precision loss", or at ``max_iter``) the fit is retried with ``gtol`` ten times
    larger, up to 1e-5;
    a fit at a looser ``gtol`` than asked is ``converged=False`` and its ``engine`` names
    the ``gtol`` used.  lifelines' parameters map onto survreg's exactly, by a sign at
    most, so its covariance is transformed exactly (the delta method with a Jacobian of
    +-1):

    - Weibull: ``S(t) = exp(-(t / lambda)^rho)``, ``lambda = exp(X lambda_)``,
      ``rho = exp(rho_Intercept)``.  survreg: ``S(t) = exp(-exp((log t - X b) / sigma))``,
      so ``lambda_ = b`` and ``rho = 1 / sigma``: ``log sigma = -rho_Intercept``.
    - log-normal: ``log T ~ N(X mu_, sigma^2)``, ``sigma = exp(sigma_Intercept)``:
      ``mu_ = b`` and ``log sigma = sigma_Intercept``.
    - log-logistic: ``S(t) = 1 / (1 + (t / alpha)^beta)``, ``alpha = exp(X alpha_)``,
      ``beta = exp(beta_Intercept)``.  survreg: ``S(t) = 1 / (1 + exp((log t - X b) /
      sigma))``, so ``alpha_ = b`` and ``log sigma = -beta_Intercept``.

    lifelines' log-likelihood has survreg's constants (``log_likelihood_`` equals
    ``fit$loglik[2]`` to 1e-12 at the same estimate) and its covariance is the inverse of
    the autograd Hessian at its estimate: the observed information, as survreg's.

Why the default engine is netter's own (measured with lifelines 0.30.3 against R on
lung ~ age + sex, ovarian ~ rx + age and WHAS500 ~ gender + age):

- lifelines' own settings do not reach 1e-6: Weibull and log-logistic use SLSQP with
  ``ftol`` 1e-10 and 1e-6 (largest coefficient differences 2.6e-5 and 5.6e-3, both on
  the intercept of WHAS500, where age in years makes the intercept poorly conditioned
  in lifelines' uncentred, only rescaled covariates), log-normal BFGS with ``gtol``
  1e-5 (2.4e-5).  With SLSQP, ``ftol`` 1e-12 still misses (4.2e-6, log-logistic
  WHAS500); 1e-14 gives 9.6e-7 (log-normal WHAS500).
- With BFGS for all three, 1e-6 is reached only in a narrow window of ``gtol`` that
  depends on the data and the start: 1e-7 misses (1.8e-6, log-logistic WHAS500), 1e-8
  and 1e-9 give at most 1.1e-7 and 3.8e-9 where they converge, but from lifelines'
  start 1e-10 fails (log-normal lung and WHAS500, Weibull ovarian) and from ours 1e-8
  already fails for the intercept-only log-logistic model of lung and aml: BFGS stops
  with "precision loss" (the gradient of lifelines' objective, the *mean* negative
  log-likelihood, is not resolvable further in double precision).  Hence the retries
  above; asked for ``tolerance=1e-9`` they give all 18 reference fits within 2.1e-8 of R
  (the tests' cross-check, to 1e-6), four of them at a looser ``gtol``.
- A lifelines fit of 500 rows takes 0.5-0.9 s (autograd, a univariate fit for its
  start, and the intercept-only fit), the Newton fit 6-8 ms (two thirds of it the
  linear programmes of the checks below): two-stage adjustment is often bootstrapped.
- Newton-Raphson converges quadratically, so the fit's invariances (row order; a change
  of time unit shifts only the intercept) hold to rounding, and no setting depends on
  the data set.

Not estimable
-------------
Decided from the data before any fitting (both engines), estimates are then ``None``
with a reason:

- no events (the likelihood increases without bound in the intercept);
- one subject;
- a covariate constant or collinear with the intercept and earlier covariates
  (survreg reports ``NA`` for it);
- a monotone likelihood: a direction ``d`` of the coefficients with ``X d = 0`` for
  every event and ``X d >= 0`` for every censored subject, ``> 0`` for some (for
  example a group of a binary covariate without events): the coefficients tend to
  infinity (found by a linear programme; survreg gives no warning but an ``NA``
  coefficient or one with a standard error of 1e4);
- events fitted exactly (``X b = log t`` for every event with ``X b >= log t`` for every
  censored subject; for example a single event after every censoring, or all events at
  one time): the scale tends to 0 and the likelihood is unbounded (linear programme;
  equality up to its feasibility tolerance, 1e-7 relative to the spread of log times).

Otherwise the log-likelihood tends to minus infinity at the boundary of the parameter
space, so a maximum exists, and it is concave in ``(b / sigma, 1 / sigma)`` (the three
error densities and survival functions are log-concave), so the maximum found is the
global one.  A fit that does not meet ``tolerance`` in ``max_iter`` iterations is
reported, as survreg does with a warning, with its last estimates and
``converged=False``.  No warning leaves :func:`fit_aft`: numpy's are suppressed inside
the likelihood (overflow is a log-likelihood of minus infinity, and the step is halved),
lifelines' are caught and make the fit ``converged=False``.

Examples
--------
>>> fit = fit_aft([5, 8, 12, 20, 24, 30, 41, 50], [1, 1, 0, 1, 1, 0, 1, 1],
...               [[0], [1], [0], [1], [0], [1], [0], [1]], names=["switch"],
...               distribution="weibull", tolerance=1e-12, max_iter=100)
>>> fit.names, fit.engine, fit.converged
(('(Intercept)', 'switch'), 'netter likelihood', True)
>>> [round(c, 6) for c in fit.coef], round(fit.scale, 6)
([3.323521, 0.244151], 0.605671)
>>> [round(v, 4) for v in fit.acceleration_factor("switch")]
[1.2765, 0.4839, 3.3677]
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special
from scipy.optimize import linprog

from netter.errors import SurvivalDataError
from netter.stats.distributions import normal_quantile
from netter.stats.km import check_survival_data

DISTRIBUTIONS = ("weibull", "lognormal", "loglogistic")
ENGINES = ("netter", "lifelines")
INTERCEPT = "(Intercept)"
#: survreg.control() defaults, for callers who want R's default convergence.
SURVREG_TOLERANCE = 1e-9
SURVREG_MAX_ITER = 30

NETTER_ENGINE = "netter likelihood"
_HALVINGS = 40
_LIFELINES_LOOSEST = 1e-5  # BFGS' own default gtol
_LIFELINES = {
    "weibull": ("WeibullAFTFitter", "lambda_", "rho_", -1.0),
    "lognormal": ("LogNormalAFTFitter", "mu_", "sigma_", 1.0),
    "loglogistic": ("LogLogisticAFTFitter", "alpha_", "beta_", -1.0),
}


@dataclass(frozen=True)
class AFTFit:
    """Result of :func:`fit_aft` (survreg's parameterisation).

    Attributes
    ----------
    distribution : str
        One of :data:`DISTRIBUTIONS`.
    names : tuple of str
        ``"(Intercept)"``, then the covariate names in order.
    coef, se : tuple of float or None
        Location coefficients ``b`` of ``log T = X b + sigma W`` and their standard
        errors (observed information); ``None`` when not estimable.
    log_scale, log_scale_se : float or None
        survreg's ``Log(scale)`` (log sigma) and its standard error.
    scale : float or None
        sigma (survreg's ``scale``).
    loglik, loglik_null : float or None
        Log-likelihood at the estimate and of the intercept-only model (survreg's
        ``fit$loglik[2]`` and ``fit$loglik[1]``).
    n, events : int
        Subjects and events.
    converged : bool
        Whether the fit (and the intercept-only fit) met the tolerance.
    engine : str
        ``"netter likelihood"`` or ``"lifelines <Fitter> <version> (BFGS, gtol=...)"``.
    not_estimable_reason : str or None
        Why the estimates are ``None``.
    covariance : tuple of tuple of float, or None
        Covariance of ``(coef..., log_scale)`` (survreg's ``vcov(fit)``).
    iterations : int
        Newton-Raphson iterations of the full model (0 for lifelines).
    """

    distribution: str
    names: tuple[str, ...]
    coef: tuple[float, ...] | None
    se: tuple[float, ...] | None
    log_scale: float | None
    log_scale_se: float | None
    scale: float | None
    loglik: float | None
    loglik_null: float | None
    n: int
    events: int
    converged: bool
    engine: str
    not_estimable_reason: str | None
    covariance: tuple[tuple[float, ...], ...] | None = None
    iterations: int = 0

    def acceleration_factor(self, name: str, conf_level: float = 0.95
                            ) -> tuple[float, float, float] | None:
        """``exp(coef)`` of ``name`` and its Wald interval ``exp(coef -/+ z se)``.

        ``z`` is the ``(1 + conf_level) / 2`` normal quantile (R
        ``exp(confint(fit, level = conf_level))``).  ``None`` when not estimable.

        Examples
        --------
        >>> fit = fit_aft([2, 3, 5, 7, 11, 13], [1, 1, 1, 0, 1, 1], [0, 1, 0, 1, 0, 1],
        ...               names=["trt"], distribution="lognormal", tolerance=1e-12,
        ...               max_iter=100)
        >>> [round(v, 4) for v in fit.acceleration_factor("trt", conf_level=0.9)]
        [1.6673, 0.6075, 4.5762]
        """
        if name not in self.names:
            raise KeyError(f"{name!r} is not a term of the model; terms are "
                           f"{', '.join(self.names)}")
        if not 0 < conf_level < 1:
            raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
        if self.coef is None or self.se is None:
            return None
        i = self.names.index(name)
        b, s = self.coef[i], self.se[i]
        z = float(normal_quantile((1 + conf_level) / 2))
        try:
            return math.exp(b), math.exp(b - z * s), math.exp(b + z * s)
        except OverflowError:  # a limit beyond 1e308: none reported rather than inf
            return None


# --- error distributions ------------------------------------------------------------

def _log_density_terms(dist: str, z: np.ndarray, event: np.ndarray) -> np.ndarray:
    """``log f(z)`` for events and ``log S(z)`` for censorings (standard error ``W``)."""
    if dist == "weibull":
        ez = np.exp(z)
        return np.where(event, z - ez, -ez)
    if dist == "lognormal":
        return np.where(event, -0.5 * z * z - 0.5 * math.log(2 * math.pi),
                        special.log_ndtr(-z))
    soft = np.logaddexp(0.0, z)
    return np.where(event, z - 2.0 * soft, -soft)


def _derivatives(dist: str, z: np.ndarray, event: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """First and second derivatives in ``z`` of :func:`_log_density_terms`."""
    if dist == "weibull":
        ez = np.exp(z)
        return np.where(event, 1.0 - ez, -ez), -ez
    if dist == "lognormal":
        mills = math.sqrt(2 / math.pi) / special.erfcx(z / math.sqrt(2))  # phi / (1 - Phi)
        return (np.where(event, -z, -mills),
                np.where(event, -1.0, -mills * (mills - z)))
    f, f_bar = special.expit(z), special.expit(-z)
    return (np.where(event, f_bar - f, -f),
            np.where(event, -2.0, -1.0) * f * f_bar)


@dataclass(frozen=True)
class _Data:
    x: np.ndarray        # (n, p) design with the intercept column first
    y: np.ndarray        # log time
    event: np.ndarray    # bool
    dist: str


def _loglik(d: _Data, theta: np.ndarray) -> float:
    """survreg's log-likelihood at ``theta = (b, log sigma)`` (-inf where it overflows)."""
    tau = theta[-1]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        z = (d.y - d.x @ theta[:-1]) * np.exp(-tau)
        terms = _log_density_terms(d.dist, z, d.event)
        value = float(terms.sum() - np.sum(d.event) * tau - d.y[d.event].sum())
    return value if math.isfinite(value) else -math.inf


def _score_information(d: _Data, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and observed information (minus the Hessian) in ``(b, log sigma)``."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        sigma = np.exp(theta[-1])
        z = (d.y - d.x @ theta[:-1]) / sigma
        g1, g2 = _derivatives(d.dist, z, d.event)
        p = d.x.shape[1]
        score = np.empty(p + 1)
        score[:p] = -(d.x.T @ g1) / sigma
        score[p] = -np.sum(z * g1) - np.sum(d.event)
        hess = np.empty((p + 1, p + 1))
        hess[:p, :p] = (d.x.T * g2) @ d.x / sigma**2
        hess[:p, p] = hess[p, :p] = d.x.T @ (z * g2 + g1) / sigma
        hess[p, p] = np.sum(z * g1 + z * z * g2)
    return score, -hess


def _newton_step(score: np.ndarray, info: np.ndarray) -> tuple[np.ndarray, bool]:
    """Newton step ``info^-1 score`` (equilibrated); if ``info`` is not positive
    definite, the step with the absolute values of its eigenvalues."""
    scale = np.sqrt(np.abs(np.diag(info)))
    scale[~(scale > 0)] = 1.0
    m = info / np.outer(scale, scale)
    s = score / scale
    try:
        chol = np.linalg.cholesky(m)
        step = np.linalg.solve(chol.T, np.linalg.solve(chol, s))
        return step / scale, True
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(m)
        values = np.maximum(np.abs(values), 1e-8 * max(np.abs(values).max(), 1.0))
        return vectors @ ((vectors.T @ s) / values) / scale, False


def _maximise(d: _Data, theta: np.ndarray, tolerance: float, max_iter: int
              ) -> tuple[np.ndarray, float, int, bool]:
    """Newton-Raphson with step halving, from ``theta``.

    Converged after a full Newton step (positive-definite information) that changed the
    log-likelihood by at most ``tolerance`` relative (survreg's rule) *and* moved no
    parameter by more than ``sqrt(tolerance) * (1 + |parameter|)``: the second condition
    matters only where the likelihood is nearly flat (a standard error of 1e4 on tiny
    data), where survreg's rule alone stops anywhere along the plateau.  A step that
    lowers the log-likelihood by more than ``tolerance`` is halved.
    """
    loglik = _loglik(d, theta)
    slack = tolerance * max(abs(loglik), 1.0)
    for it in range(1, max_iter + 1):
        score, info = _score_information(d, theta)
        if not (np.isfinite(score).all() and np.isfinite(info).all()):
            return theta, loglik, it - 1, False
        step, newton = _newton_step(score, info)
        factor = 1.0
        for _ in range(_HALVINGS):
            new = theta + factor * step
            new_loglik = _loglik(d, new)
            if math.isfinite(new_loglik) and new_loglik >= loglik - slack:
                break
            factor /= 2
        else:  # no acceptable point along the step: at the maximum to rounding
            return theta, loglik, it, newton
        slack = tolerance * max(abs(new_loglik), 1.0)
        done = (newton and factor == 1.0 and abs(new_loglik - loglik) <= slack
                and np.all(np.abs(step) <= math.sqrt(tolerance) * (1 + np.abs(theta))))
        theta, loglik = new, new_loglik
        if done:
            return theta, loglik, it, True
    return theta, loglik, max_iter, False


def _start(d: _Data) -> np.ndarray:
    """Intercept-only start: mean and standard deviation of log time."""
    sd = float(np.std(d.y))
    return np.array([float(np.mean(d.y)), math.log(sd) if sd > 0 else 0.0])


# --- input and degenerate data ------------------------------------------------------

def _design(covariates, names, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Covariate matrix (without the intercept) and the covariate names."""
    if isinstance(covariates, pd.Series):
        covariates = covariates.to_frame(name=covariates.name or "x1")
    if covariates is None:
        values, default = np.empty((n, 0)), ()
    elif isinstance(covariates, pd.DataFrame):
        default = tuple(str(c) for c in covariates.columns)
        try:
            values = covariates.to_numpy(dtype=float)
        except (TypeError, ValueError) as err:
            raise SurvivalDataError("covariates must be numeric") from err
    else:
        try:
            values = np.asarray(covariates, dtype=float)
        except (TypeError, ValueError) as err:
            raise SurvivalDataError("covariates must be numeric") from err
        if values.ndim == 1:
            values = values.reshape(-1, 1)
        if values.ndim != 2:
            raise SurvivalDataError("covariates must be an (n, p) array or a DataFrame")
        default = tuple(f"x{j + 1}" for j in range(values.shape[1]))
    if values.shape[0] != n:
        raise SurvivalDataError(f"time has {n} values but covariates have "
                                f"{values.shape[0]} rows")
    labels = default if names is None else tuple(str(v) for v in names)
    if len(labels) != values.shape[1]:
        raise ValueError(f"{len(labels)} names for {values.shape[1]} covariates")
    if len(set(labels)) != len(labels) or INTERCEPT in labels:
        raise ValueError(f"covariate names must be unique and not {INTERCEPT!r}: {labels}")
    for j, label in enumerate(labels):
        if not np.all(np.isfinite(values[:, j])):
            raise SurvivalDataError(f"covariate {label!r} has missing or infinite values")
    return values, labels


def _collinear(x: np.ndarray, names: tuple[str, ...]) -> str | None:
    """Reason if a column of the design is a linear combination of earlier ones."""
    norms = np.linalg.norm(x, axis=0)
    scaled = x / np.where(norms > 0, norms, 1.0)
    for j in range(1, x.shape[1]):
        if np.ptp(x[:, j]) == 0:
            return f"covariate {names[j]!r} is constant (collinear with the intercept)"
        if np.linalg.matrix_rank(scaled[:, : j + 1]) <= j:
            return (f"covariate {names[j]!r} is collinear with "
                    f"{', '.join(names[:j])}: its coefficient is not identifiable")
    return None


def _linprog(c, **kwargs):
    """scipy's HiGHS linear programme; its rare warnings are not the caller's business
    (the result's status decides)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return linprog(c, method="highs", **kwargs)


def _monotone(x: np.ndarray, y: np.ndarray, event: np.ndarray,
              names: tuple[str, ...]) -> str | None:
    """Reason if the likelihood has no maximum (linear programmes, see module doc)."""
    cols = np.abs(x).max(axis=0)
    xs = x / np.where(cols > 0, cols, 1.0)
    xe, xc = xs[event], xs[~event]
    p = x.shape[1]
    free = [(None, None)] * p
    if xc.shape[0]:
        # a direction d: X_e d = 0, 0 <= X_c d <= 1, maximising sum(X_c d); if one
        # exists, scaling it makes some X_c d = 1, so the optimum is 0 or >= 1
        res = _linprog(-xc.sum(axis=0), A_ub=np.vstack([-xc, xc]),
                       b_ub=np.r_[np.zeros(len(xc)), np.ones(len(xc))],
                       A_eq=xe, b_eq=np.zeros(len(xe)), bounds=free)
        if res.status == 0 and -res.fun > 0.5:
            big = np.abs(res.x) > 1e-6 * np.abs(res.x).max()
            which = [names[j] for j in range(1, p) if big[j]] or [names[0]]
            return ("monotone likelihood: the coefficients of "
                    f"{', '.join(which)} tend to infinity (censored subjects only on one "
                    "side, e.g. a group without events)")
    # b with X_e b = y_e and X_c b >= y_c: the scale tends to 0
    yc = y - y[event].mean()
    spread = np.abs(yc).max()
    yc = yc / spread if spread > 0 else yc
    res = _linprog(np.zeros(p), A_ub=-xc if xc.shape[0] else None,
                   b_ub=-yc[~event] if xc.shape[0] else None,
                   A_eq=xe, b_eq=yc[event], bounds=free)
    if res.status == 0:
        return ("the events are fitted exactly (scale tends to 0, the likelihood is "
                "unbounded): too few distinct event times for the model")
    return None


def _not_estimable(d: _Data, names: tuple[str, ...]) -> str | None:
    if not d.event.any():
        return "no events"
    if d.y.size == 1:
        return "one subject"
    return _collinear(d.x, names) or _monotone(d.x, d.y, d.event, names)


# --- engines ------------------------------------------------------------------------

def _result(dist, names, n, events, engine, theta, cov, loglik, loglik_null,
            converged, iterations) -> AFTFit:
    se = np.sqrt(np.diag(cov)) if cov is not None else None
    return AFTFit(
        distribution=dist, names=names,
        coef=tuple(float(v) for v in theta[:-1]),
        se=None if se is None else tuple(float(v) for v in se[:-1]),
        log_scale=float(theta[-1]),
        log_scale_se=None if se is None else float(se[-1]),
        scale=math.exp(theta[-1]), loglik=float(loglik), loglik_null=float(loglik_null),
        n=n, events=events, converged=bool(converged), engine=engine,
        not_estimable_reason=None,
        covariance=None if cov is None else tuple(tuple(float(v) for v in r) for r in cov),
        iterations=iterations)


def _empty(dist, names, n, events, engine, reason, converged=True) -> AFTFit:
    return AFTFit(distribution=dist, names=names, coef=None, se=None, log_scale=None,
                  log_scale_se=None, scale=None, loglik=None, loglik_null=None, n=n,
                  events=events, converged=converged, engine=engine,
                  not_estimable_reason=reason)


def _covariance(info: np.ndarray) -> np.ndarray | None:
    """Inverse of a positive-definite information matrix, else ``None``."""
    scale = np.sqrt(np.abs(np.diag(info)))
    if not (np.isfinite(info).all() and np.all(scale > 0)):
        return None
    m = info / np.outer(scale, scale)
    try:
        inv_chol = np.linalg.inv(np.linalg.cholesky(m))
    except np.linalg.LinAlgError:
        return None
    return (inv_chol.T @ inv_chol) / np.outer(scale, scale)


def _fit_netter(d: _Data, names, tolerance, max_iter) -> AFTFit:
    n, events = d.y.size, int(d.event.sum())
    null = _Data(d.x[:, :1], d.y, d.event, d.dist)
    theta0, loglik0, _, ok0 = _maximise(null, _start(null), tolerance, max_iter)
    start = np.zeros(d.x.shape[1] + 1)
    start[0], start[-1] = theta0[0], theta0[-1]
    if d.x.shape[1] == 1:
        theta, loglik, iterations, ok = theta0, loglik0, 0, ok0
    else:
        theta, loglik, iterations, ok = _maximise(d, start, tolerance, max_iter)
    if not math.isfinite(loglik):
        return _empty(d.dist, names, n, events, NETTER_ENGINE,
                      "the likelihood could not be evaluated at the estimate", False)
    cov = _covariance(_score_information(d, theta)[1])
    if cov is None:
        return _empty(d.dist, names, n, events, NETTER_ENGINE,
                      "information matrix not positive definite at the estimate", ok and ok0)
    return _result(d.dist, names, n, events, NETTER_ENGINE, theta, cov, loglik, loglik0,
                   ok and ok0, iterations)


def _lifelines_fit(d: _Data, covariates: np.ndarray, gtol: float, max_iter: int):
    """One lifelines fit: ``(theta, covariance, loglik)`` in survreg's parameters, or
    ``None`` and lifelines' message when it raises ``ConvergenceError``."""
    import lifelines
    from lifelines.exceptions import ConvergenceError

    cls_name, loc, anc, sign = _LIFELINES[d.dist]
    columns = [f"x{j:04d}" for j in range(covariates.shape[1])]  # sorted = input order
    frame = pd.DataFrame(covariates, columns=columns)
    frame["T"], frame["E"] = np.exp(d.y), d.event.astype(int)
    fitter = getattr(lifelines, cls_name)(penalizer=0.0, fit_intercept=True)
    fitter._scipy_fit_method = "BFGS"  # the switch lifelines' own error message documents
    start = _start(d)
    # lifelines orders a parameter's covariates by name, then its intercept
    initial = np.r_[np.zeros(len(columns)), start[0], sign * start[1]]
    try:
        fitter.fit(frame, "T", "E", initial_point=initial,
                   fit_options={"gtol": gtol, "maxiter": max_iter})
    except ConvergenceError as err:
        return None, " ".join(str(err).split())[:200]
    order = [(loc, c) for c in [*columns, "Intercept"]] + [(anc, "Intercept")]
    if list(fitter.params_.index) != order:
        raise RuntimeError(f"unexpected lifelines parameters {list(fitter.params_.index)}")
    # survreg order: intercept, covariates, log sigma = sign * ancillary intercept
    perm = [len(columns), *range(len(columns)), len(columns) + 1]
    jac = np.ones(len(order))
    jac[-1] = sign
    theta = fitter.params_.to_numpy()[perm] * jac
    cov = fitter.variance_matrix_.to_numpy()[np.ix_(perm, perm)] * np.outer(jac, jac)
    return (theta, cov, float(fitter.log_likelihood_)), None


def _lifelines_ladder(d: _Data, covariates: np.ndarray, tolerance: float, max_iter: int):
    """lifelines at ``gtol = tolerance``, loosened tenfold (to 1e-5 at most) while it
    raises ``ConvergenceError`` (BFGS stopped with "precision loss", or at ``max_iter``):
    ``(fit or None, gtol used, message)``."""
    gtol = tolerance
    while True:
        fit, why = _lifelines_fit(d, covariates, gtol, max_iter)
        if fit is not None or gtol >= _LIFELINES_LOOSEST:
            return fit, gtol, why
        gtol = min(gtol * 10, _LIFELINES_LOOSEST)


def _lifelines_label(dist: str, gtol: float) -> str:
    import lifelines

    return f"lifelines {_LIFELINES[dist][0]} {lifelines.__version__} (BFGS, gtol={gtol:g})"


def _fit_lifelines(d: _Data, names, tolerance, max_iter) -> AFTFit:
    n, events = d.y.size, int(d.event.sum())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        full, gtol, why = _lifelines_ladder(d, d.x[:, 1:], tolerance, max_iter)
        null, gtol0, why0 = (full, gtol, why)
        if full is not None and d.x.shape[1] > 1:
            null, gtol0, why0 = _lifelines_ladder(_Data(d.x[:, :1], d.y, d.event, d.dist),
                                                  d.x[:, :0], tolerance, max_iter)
    engine = _lifelines_label(d.dist, gtol)
    if full is None or null is None:
        return _empty(d.dist, names, n, events, engine,
                      f"lifelines did not converge: {why or why0}", converged=False)
    theta, cov, loglik = full
    if not (np.isfinite(theta).all() and np.isfinite(cov).all()
            and np.all(np.diag(cov) > 0)):
        return _empty(d.dist, names, n, events, engine,
                      "lifelines gave no finite estimate or variance", converged=False)
    converged = not caught and gtol == gtol0 == tolerance
    return _result(d.dist, names, n, events, engine, theta, cov, loglik, null[2],
                   converged, 0)


def fit_aft(time, event, covariates=None, *, distribution: str, names=None,
            tolerance: float, max_iter: int, engine: str = "netter") -> AFTFit:
    """Fit survreg's AFT model ``log T = X b + sigma W`` (an intercept is always added).

    Parameters
    ----------
    time : array_like
        Follow-up times, > 0 (log time is modelled; survreg refuses 0).
    event : array_like
        1 (or True) for an event, 0 (or False) for a censoring.
    covariates : array_like of shape (n, p), pandas.DataFrame, or None
        Covariates (numeric, finite); a 1-D array or a Series is one covariate; ``None``
        or ``p = 0`` fits the intercept-only model.
    distribution : {"weibull", "lognormal", "loglogistic"}
        Distribution of ``T`` (error ``W``: extreme value, normal, logistic).
    names : sequence of str, optional
        Covariate names (default: a DataFrame's columns or a Series' name, else ``x1``,
        ``x2``, ...).
    tolerance : float
        netter engine: largest relative change of the log-likelihood after a full Newton
        step (survreg's ``rel.tolerance``; R's default :data:`SURVREG_TOLERANCE`), whose
        steps must also be at most ``sqrt(tolerance)`` relative.  lifelines engine: BFGS
        ``gtol``, loosened tenfold (to 1e-5) while lifelines raises ``ConvergenceError``,
        the fit then being ``converged=False`` (module documentation).
    max_iter : int
        Most Newton-Raphson iterations (survreg's ``maxiter``) or BFGS iterations.
    engine : {"netter", "lifelines"}
        The likelihood maximiser (module documentation).

    Returns
    -------
    AFTFit
        Estimates, or ``None`` with ``not_estimable_reason`` for degenerate data.

    Raises
    ------
    SurvivalDataError
        Invalid times (0, negative, missing), events, or covariates (not numeric,
        missing, wrong number of rows).
    ValueError
        Unknown distribution or engine, bad names, tolerance or max_iter.

    Examples
    --------
    >>> fit = fit_aft([6, 9, 11, 14, 20, 25, 31], [1, 1, 1, 0, 1, 1, 0], None,
    ...               distribution="loglogistic", tolerance=1e-12, max_iter=100)
    >>> round(fit.coef[0], 6), round(fit.log_scale, 6), round(fit.loglik, 6)
    (2.803505, -0.872404, -19.6018)
    >>> fit_aft([3, 4, 6], [0, 0, 0], None, distribution="weibull", tolerance=1e-9,
    ...         max_iter=30).not_estimable_reason
    'no events'
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {distribution!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if not (isinstance(tolerance, int | float) and 0 < tolerance < 1):
        raise ValueError(f"tolerance must be a number in (0, 1), got {tolerance!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    t, e = check_survival_data(time, event)
    if np.any(t == 0):
        raise SurvivalDataError(
            f"time must be > 0 for an accelerated failure time model (log time), as in "
            f"survreg; {int(np.sum(t == 0))} of {t.size} times are 0")
    values, labels = _design(covariates, names, t.size)
    names_all = (INTERCEPT, *labels)
    d = _Data(np.column_stack([np.ones(t.size), values]), np.log(t), e.astype(bool),
              distribution)
    label = _lifelines_label(distribution, tolerance) if engine == "lifelines" else NETTER_ENGINE
    if t.size == 0:
        return _empty(distribution, names_all, 0, 0, label, "no subjects")
    reason = _not_estimable(d, names_all)
    if reason is not None:
        return _empty(distribution, names_all, t.size, int(e.sum()), label, reason)
    if engine == "lifelines":
        return _fit_lifelines(d, names_all, tolerance, max_iter)
    return _fit_netter(d, names_all, tolerance, max_iter)
