"""Parametric survival models for extrapolation, as R ``flexsurv`` / ``survreg``.

Seven families, each fitted per arm (intercept only) or jointly with covariates (the
arm's indicators) acting on the *location* parameter, as ``flexsurvreg`` does by
default.  Parameters are on flexsurv's real-line scale (``res.t``):

===============  ==========================  =========================================
distribution     parameters                  model
===============  ==========================  =========================================
exponential      ``log_rate``                ``S = exp(-rate t)``
weibull          ``log_shape``, ``log_scale``  ``S = exp(-(t / scale)^shape)``
gompertz         ``shape``, ``log_rate``     ``h = rate exp(shape t)``
lognormal        ``meanlog``, ``log_sdlog``  ``log T ~ N(meanlog, sdlog^2)``
loglogistic      ``log_shape``, ``log_scale``  ``S = 1 / (1 + (t / scale)^shape)``
gengamma         ``mu``, ``log_sigma``, ``Q``  Prentice (1974), flexsurv ``gengamma``
splineK          ``gamma0`` ... ``gamma{K+1}``  ``log H = s(log t)``, K internal knots
===============  ==========================  =========================================

The location parameter (``log_rate``, ``log_scale``, ``log_rate``, ``meanlog``,
``log_scale``, ``mu``, ``gamma0``) is the one covariates shift: a coefficient ``beta``
multiplies the rate by ``exp(beta)`` (exponential, Gompertz: proportional hazards), the
time scale by ``exp(beta)`` (Weibull, log-normal, log-logistic, generalised gamma:
accelerated failure time; Weibull is also PH with hazard ratio
``exp(-shape beta)``), or the cumulative hazard by ``exp(beta)`` (splines: proportional
hazards).

Mapping to R ``survreg`` (``log T = b + sigma W``, its coefficients ``b`` and
``Log(scale)``): exponential ``log_rate = -b`` and covariate coefficients ``-b_j``;
Weibull ``log_scale = b``, ``log_shape = -Log(scale)``; log-normal ``meanlog = b``,
``log_sdlog = Log(scale)``; log-logistic ``log_scale = b``, ``log_shape = -Log(scale)``;
covariate coefficients equal survreg's except for the exponential.  The
log-likelihood is that of the times (the density of ``T``), as survreg's and
flexsurv's.

The Royston-Parmar spline (flexsurv ``flexsurvspline(k = K, scale = "hazard")``):
``s(x) = gamma0 + gamma1 x + sum_j gamma_{j+1} v_j(x)`` with ``x = log t``,
``v_j(x) = (x - k_j)_+^3 - l_j (x - k_min)_+^3 - (1 - l_j)(x - k_max)_+^3`` and
``l_j = (k_max - k_j) / (k_max - k_min)``; boundary knots at the smallest and largest
log event time, internal knots at the ``j / (K + 1)`` quantiles (R's type 7) of the
log event times.  The hazard is ``s'(x) exp(s(x)) / t``: the likelihood is minus
infinity where ``s' <= 0`` at an event.

Gompertz with ``shape < 0`` has a cure fraction ``exp(rate / shape)``: its mean is
infinite.  The generalised gamma with ``Q = 0`` exactly is the log-normal.

Engines
-------
``engine="netter"`` (default), recorded as ``"netter likelihood"``
    The log-likelihood is written with ``autograd`` (lifelines' own dependency), so its
    gradient and Hessian are exact.  :class:`FitControl` chooses the maximiser:
    ``"newton"`` (Newton-Raphson with step halving and, away from the maximum, the
    absolute eigenvalues of the Hessian; stops when a step changes the log-likelihood by
    at most ``tolerance`` relative and moves every parameter by at most
    ``sqrt(tolerance) (1 + |parameter|)``) or ``"bfgs"`` (scipy's BFGS with
    ``gtol = tolerance``), each at most ``max_iter`` iterations.  Standard errors are
    from the inverse of the exact observed information.
``engine="lifelines"``, recorded as ``"lifelines <Fitter> <version> (...)"``
    lifelines' ``ExponentialFitter``, ``WeibullFitter``, ``LogNormalFitter``,
    ``LogLogisticFitter``, ``GeneralizedGammaFitter``, ``SplineFitter`` (its basis is
    Royston-Parmar's, knots passed as ``exp`` of ours) and, as lifelines has no
    Gompertz, a ``ParametricUnivariateFitter`` subclass written here; intercept-only
    models only (lifelines' regression fitters exist for three families).  Its
    estimates are mapped exactly onto the parameters above.  BFGS with
    ``gtol = tolerance`` (``fit_options``), started at netter's estimate's
    neighbourhood is *not* used: lifelines starts from its own initial point, so the
    cross-check is honest.

Where lifelines falls short (lifelines 0.30.3, against R on the five intercept-only
reference cases of ``tests/reference/parametric.R``: lung and the synthetic final OS
and primary PFS per arm; largest parameter difference, BFGS ``gtol`` 1e-5 / 1e-8 /
1e-10, with the ladder above):

- exponential 5.5e-7 at every ``gtol`` (closed form); Weibull 3.1e-6 / 5.1e-7 / 3.1e-6;
  log-normal 4.4e-5 / 7.4e-9 / 3.6e-5 (at 1e-10 BFGS stops with "precision loss" and
  the ladder loosens it); log-logistic 4.5e-6 / 1.0e-6 / 1.0e-6; Gompertz (the class
  written here, whose bounds must be unset: lifelines' default bounds every parameter
  to be positive, which pins a Gompertz fit at ``shape = log_rate = 0``) 3.5e-5 /
  1.1e-9 / 1.1e-9.  So 1e-6 is reached only in a window of ``gtol`` that depends on
  the data, and log-logistic sits on the boundary.
- ``GeneralizedGammaFitter`` raises ``ConvergenceError`` at every ``gtol`` on the
  21-event PFS arm.
- ``SplineFitter`` starts every coefficient at 0.01, where ``s'(log t)`` can be
  negative at an event: with one knot it ends 630 from R's estimate on the final OS of
  the experimental arm (not converged); with two and three knots it raises
  ``ConvergenceError`` on 2 to 4 of the 5 cases.
- autograd_gamma differentiates the incomplete gamma function in its shape by a
  central difference, so the autograd Hessian of the generalised gamma is off by
  2-3 % in the standard errors; netter uses second differences of the log-likelihood
  with a Richardson step for that family (agreeing with R's ``optimHess`` to 1e-4).
- lifelines has no Gompertz, and no covariates for exponential, Gompertz or splines.

Hence the default engine is netter's own; the lifelines engine is kept as a cross-check
(``tests/stats/test_parametric.py`` compares the two).

Examples
--------
>>> fit = fit_parametric([5, 8, 12, 20, 24, 30, 41, 50], [1, 1, 0, 1, 1, 0, 1, 1],
...                      distribution="weibull", control=FitControl())
>>> [p.name for p in fit.parameters], fit.engine
(['log_shape', 'log_scale'], 'netter likelihood (newton)')
>>> round(fit.loglik, 6), fit.n_parameters, round(fit.aic, 4)
(-25.858242, 2, 55.7165)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from autograd import grad, hessian
from autograd.scipy.special import gammaln
from autograd.scipy.stats import norm as anorm
from autograd_gamma import gammainccln, gammaincln

from netter.errors import SurvivalDataError
from netter.stats.distributions import normal_quantile
from netter.stats.km import check_survival_data

#: Families other than splines.
BASE_DISTRIBUTIONS = ("exponential", "weibull", "gompertz", "lognormal", "loglogistic",
                      "gengamma")
#: Every distribution name accepted (``splineK``: K internal knots).
DISTRIBUTIONS = (*BASE_DISTRIBUTIONS, "spline1", "spline2", "spline3")
ENGINES = ("netter", "lifelines")
METHODS = ("newton", "bfgs")
NETTER_ENGINE = "netter likelihood"

_PARAMS = {
    "exponential": ("log_rate",),
    "weibull": ("log_shape", "log_scale"),
    "gompertz": ("shape", "log_rate"),
    "lognormal": ("meanlog", "log_sdlog"),
    "loglogistic": ("log_shape", "log_scale"),
    "gengamma": ("mu", "log_sigma", "Q"),
}
#: Index of the location parameter (the one covariates shift).
_LOCATION = {"exponential": 0, "weibull": 1, "gompertz": 1, "lognormal": 0,
             "loglogistic": 1, "gengamma": 0}
#: Labels for tables and figures.
LABELS = {"exponential": "Exponential", "weibull": "Weibull", "gompertz": "Gompertz",
          "lognormal": "Log-normal", "loglogistic": "Log-logistic",
          "gengamma": "Generalised gamma", "spline1": "Spline, 1 knot",
          "spline2": "Spline, 2 knots", "spline3": "Spline, 3 knots"}
_HALVINGS = 60


@dataclass(frozen=True)
class FitControl:
    """How the likelihood is maximised (chosen by the caller's profile).

    Attributes
    ----------
    method : {"newton", "bfgs"}
        Maximiser of the netter engine (module documentation).
    tolerance : float
        Relative change of the log-likelihood (Newton) or gradient norm (BFGS, and the
        lifelines engine) at which the fit stops.
    max_iter : int
        Most iterations.

    Examples
    --------
    >>> FitControl(method="bfgs", tolerance=1e-8, max_iter=500).method
    'bfgs'
    """

    method: str = "newton"
    tolerance: float = 1e-10
    max_iter: int = 200

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if not (isinstance(self.tolerance, int | float) and 0 < self.tolerance < 1):
            raise ValueError(f"tolerance must be in (0, 1), got {self.tolerance!r}")
        if isinstance(self.max_iter, bool) or not isinstance(self.max_iter, int) \
                or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")


@dataclass(frozen=True)
class Parameter:
    """One parameter on the fitting (real-line) scale, with its Wald interval."""

    name: str
    estimate: float
    se: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class ParametricFit:
    """Result of :func:`fit_parametric`.

    Attributes
    ----------
    distribution : str
        One of :data:`DISTRIBUTIONS`.
    parameters : tuple of Parameter
        The family's parameters (module table), then one coefficient per covariate.
    covariance : tuple of tuple of float, or None
        Inverse observed information of all parameters.
    loglik : float
        Log-likelihood of the times at the estimate.
    aic, bic : float
        ``-2 loglik + 2 p`` and ``-2 loglik + p log n``, with ``n`` the number of
        subjects (as flexsurv and R ``BIC``).
    n, events : int
        Subjects and events.
    knots : tuple of float
        Spline knots on the log-time scale (boundary knots included); ``()`` otherwise.
    covariates : tuple of str
        Names of the covariates (their coefficients end ``parameters``).
    converged : bool
        The maximiser met ``tolerance`` within ``max_iter``.
    iterations : int
        Iterations used.
    engine : str
        ``"netter likelihood (newton)"`` style label, or lifelines' fitter.
    conf_level : float
        Level of the parameter intervals.
    """

    distribution: str
    parameters: tuple[Parameter, ...]
    covariance: tuple[tuple[float, ...], ...] | None
    loglik: float
    aic: float
    bic: float
    n: int
    events: int
    knots: tuple[float, ...]
    covariates: tuple[str, ...]
    converged: bool
    iterations: int
    engine: str
    conf_level: float

    @property
    def n_parameters(self) -> int:
        """Number of estimated parameters."""
        return len(self.parameters)

    @property
    def theta(self) -> np.ndarray:
        """Estimates as an array (family parameters, then covariate coefficients)."""
        return np.array([p.estimate for p in self.parameters])

    def model(self) -> Model:
        """The fitted model as a :class:`Model` (curves, hazards, means)."""
        return Model(self.distribution, self.knots, len(self.covariates))


# --- the families ---------------------------------------------------------------------

def _spline_basis(x, knots):
    """Columns ``1, x, v_1(x), ...`` of the Royston-Parmar basis and their derivatives."""
    kmin, kmax = knots[0], knots[-1]
    cols, dcols = [anp.ones_like(x), x], [anp.zeros_like(x), anp.ones_like(x)]
    for kj in knots[1:-1]:
        lam = (kmax - kj) / (kmax - kmin)
        a, b, c = (anp.maximum(x - kj, 0.0), anp.maximum(x - kmin, 0.0),
                   anp.maximum(x - kmax, 0.0))
        cols.append(a**3 - lam * b**3 - (1 - lam) * c**3)
        dcols.append(3 * (a**2 - lam * b**2 - (1 - lam) * c**2))
    return cols, dcols


@dataclass(frozen=True)
class Model:
    """A parametric family with its knots: log density, log survival and hazard.

    ``theta`` is the full parameter vector (family parameters, then covariate
    coefficients); ``x`` the covariate matrix (``None`` for none).

    Examples
    --------
    >>> m = Model("exponential")
    >>> float(m.survival(np.array([2.0]), np.array([math.log(0.5)]))[0])
    0.36787944117144233
    """

    distribution: str
    knots: tuple[float, ...] = ()
    n_covariates: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """Family parameter names."""
        if self.distribution.startswith("spline"):
            return tuple(f"gamma{j}" for j in range(len(self.knots)))
        return _PARAMS[self.distribution]

    @property
    def location(self) -> int:
        """Index of the parameter covariates shift."""
        return 0 if self.distribution.startswith("spline") else _LOCATION[self.distribution]

    def _params(self, theta, x):
        k = len(self.names)
        base = [theta[j] for j in range(k)]
        if self.n_covariates and x is not None:
            base[self.location] = base[self.location] + anp.dot(x, theta[k:])
        return base

    def log_parts(self, theta, t, x=None):
        """``(log f(t), log S(t))`` elementwise (autograd-differentiable)."""
        p = self._params(theta, x)
        lt = anp.log(t)
        dist = self.distribution
        if dist == "exponential":
            lr = p[0] * anp.ones_like(t)
            log_s = -anp.exp(lr) * t
            return lr + log_s, log_s
        if dist == "weibull":
            la, lb = p[0], p[1] * anp.ones_like(t)
            a = anp.exp(la)
            z = a * (lt - lb)
            log_s = -anp.exp(z)
            return la - lb + z - lt + lb + log_s, log_s
        if dist == "gompertz":
            a, lb = p[0] * anp.ones_like(t), p[1] * anp.ones_like(t)
            at = a * t
            # expm1(a t) / a, continuous at a = 0 (a series where |a t| is tiny)
            small = anp.abs(at) < 1e-8
            safe_a = anp.where(small, 1.0, a)
            ratio = anp.where(small, t * (1 + at / 2), anp.expm1(anp.where(small, 0.0, at))
                              / safe_a)
            log_s = -anp.exp(lb) * ratio
            return lb + at + log_s, log_s
        if dist == "lognormal":
            mu, ls = p[0] * anp.ones_like(t), p[1]
            z = (lt - mu) / anp.exp(ls)
            return anorm.logpdf(z) - ls - lt, anorm.logcdf(-z)
        if dist == "loglogistic":
            la, lb = p[0], p[1] * anp.ones_like(t)
            z = anp.exp(la) * (lt - lb)
            log_s = -anp.logaddexp(0.0, z)
            return la - lt + z + 2 * log_s, log_s
        if dist == "gengamma":
            mu, ls, q = p[0] * anp.ones_like(t), p[1], p[2]
            sigma = anp.exp(ls)
            w = (lt - mu) / sigma
            if q == 0:  # the log-normal limit, as flexsurv
                return anorm.logpdf(w) - ls - lt, anorm.logcdf(-w)
            shape = q ** -2
            u = shape * anp.exp(q * w)
            log_f = (anp.log(anp.abs(q)) + shape * anp.log(shape) - ls - lt
                     - gammaln(shape) + shape * (q * w - anp.exp(q * w)))
            log_s = gammainccln(shape, u) if q > 0 else gammaincln(shape, u)
            return log_f, log_s
        # spline
        gam = p
        cols, dcols = _spline_basis(lt, anp.array(self.knots))
        s = sum(g * c for g, c in zip(gam, cols, strict=True))
        ds = sum(g * c for g, c in zip(gam[1:], dcols[1:], strict=True))
        log_s = -anp.exp(s)
        log_ds = anp.log(anp.where(ds > 0, ds, 1e-300))
        log_f = anp.where(ds > 0, log_ds + s - lt + log_s, -anp.inf)
        return log_f, log_s

    def loglik(self, theta, t, event, x=None):
        """Log-likelihood of ``(t, event)`` at ``theta``."""
        log_f, log_s = self.log_parts(theta, t, x)
        return anp.sum(anp.where(event, log_f, log_s))

    def survival(self, t, theta, x=None):
        """``S(t)``; ``S(0) = 1``."""
        t = np.asarray(t, dtype=float)
        pos = np.where(t > 0, t, 1.0)
        with np.errstate(all="ignore"):
            s = np.exp(self.log_parts(np.asarray(theta, dtype=float), pos, x)[1])
        return np.where(t > 0, s, 1.0)

    def hazard(self, t, theta, x=None):
        """``h(t) = f(t) / S(t)`` for ``t > 0``."""
        t = np.asarray(t, dtype=float)
        with np.errstate(all="ignore"):
            log_f, log_s = self.log_parts(np.asarray(theta, dtype=float), t, x)
            return np.exp(log_f - log_s)

    def mean(self, theta, x=None) -> float | None:
        """Mean survival time (``None`` where infinite).

        Closed forms where they exist; otherwise the integral of ``S`` to infinity
        (Gompertz with ``shape > 0``, splines whose last slope is positive).
        """
        theta = np.asarray(theta, dtype=float)
        p = [float(v) for v in self._params(theta, None if x is None else np.asarray(x))]
        dist = self.distribution
        if dist == "exponential":
            return math.exp(-p[0])
        if dist == "weibull":
            return math.exp(p[1] + math.lgamma(1 + math.exp(-p[0])))
        if dist == "lognormal":
            return math.exp(p[0] + math.exp(2 * p[1]) / 2)
        if dist == "loglogistic":
            a = math.exp(p[0])
            return math.exp(p[1]) * (math.pi / a) / math.sin(math.pi / a) if a > 1 else None
        if dist == "gengamma":
            mu, sigma, q = p[0], math.exp(p[1]), p[2]
            if q == 0:
                return math.exp(mu + sigma**2 / 2)
            if q < 0 and q <= -1 / sigma:
                return None
            shape = q ** -2
            return math.exp(mu + sigma / q * math.log(q * q)
                            + math.lgamma(shape + sigma / q) - math.lgamma(shape))
        if dist == "gompertz" and p[0] <= 0:
            return None
        if dist.startswith("spline") and _spline_slope(p, self.knots,
                                                       self.knots[-1] + 1.0) <= 0:
            return None  # beyond the last knot log H is linear in log t with this slope
        return _integral_to_infinity(lambda u: self.survival(u, theta, x))


def _spline_slope(gam, knots, x):
    cols, dcols = _spline_basis(np.array([x]), np.array(knots))
    return sum(g * c for g, c in zip(gam[1:], dcols[1:], strict=True))[0]


def _integral_to_infinity(surv) -> float | None:
    from scipy import integrate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value, _ = integrate.quad(lambda u: float(surv(np.array([u]))[0]), 0, np.inf,
                                  limit=500, epsabs=1e-10, epsrel=1e-10)
    return float(value) if math.isfinite(value) else None


def spline_knots(time, event, n_internal: int) -> tuple[float, ...]:
    """flexsurvspline's default knots on the log-time scale.

    Boundary knots at the smallest and largest log event time; internal knots at the
    ``j / (K + 1)`` quantiles (type 7) of the log event times.

    Raises
    ------
    SurvivalDataError
        Fewer than two distinct event times (no boundary knots).

    Examples
    --------
    >>> [round(k, 4) for k in spline_knots([1, 2, 4, 8, 9], [1, 1, 1, 1, 0], 1)]
    [0.0, 1.0397, 2.0794]
    """
    t, e = check_survival_data(time, event)
    lt = np.log(t[e == 1])
    if np.unique(lt).size < 2:
        raise SurvivalDataError("a spline needs at least two distinct event times")
    probs = np.arange(1, n_internal + 1) / (n_internal + 1)
    inner = np.quantile(lt, probs)
    return (float(lt.min()), *(float(v) for v in inner), float(lt.max()))


def n_family_parameters(distribution: str) -> int:
    """Number of parameters of a family without covariates.

    >>> n_family_parameters("gengamma"), n_family_parameters("spline2")
    (3, 4)
    """
    if distribution.startswith("spline"):
        return int(distribution[6:]) + 2
    return len(_PARAMS[distribution])


# --- fitting --------------------------------------------------------------------------

def _start(dist: str, t: np.ndarray, e: np.ndarray, knots) -> np.ndarray:
    """Starting values from the data's exponential rate and log-time moments."""
    rate = e.sum() / t.sum()
    lt = np.log(t)
    m, sd = float(lt.mean()), float(max(lt.std(), 1e-3))
    if dist == "exponential":
        return np.array([math.log(rate)])
    if dist == "weibull":
        return np.array([0.0, -math.log(rate)])
    if dist == "gompertz":
        return np.array([1e-3 * rate, math.log(rate)])
    if dist == "lognormal":
        return np.array([m, math.log(sd)])
    if dist == "loglogistic":
        return np.array([math.log(math.pi / (sd * math.sqrt(3))), m])
    if dist == "gengamma":
        return np.array([-math.log(rate), 0.0, 1.0])  # the exponential
    # spline: the exponential, log H = log rate + log t
    out = np.zeros(len(knots))
    out[0], out[1] = math.log(rate), 1.0
    return out


def _newton(f, theta, tolerance, max_iter):
    g, h = grad(f), hessian(f)
    value = f(theta)
    for it in range(1, max_iter + 1):
        score, hess = g(theta), h(theta)
        info = -hess
        if not (np.all(np.isfinite(info)) and np.all(np.isfinite(score))):
            return theta, value, it, False      # eigh raises on NaN; the caller falls back
        w, v = np.linalg.eigh((info + info.T) / 2)
        if not np.all(np.isfinite(w)):
            return theta, value, it, False
        w = np.maximum(np.abs(w), 1e-8 * max(1.0, np.abs(w).max()))
        step = v @ ((v.T @ score) / w)
        new, factor = theta + step, 1.0
        new_value = f(new)
        for _ in range(_HALVINGS):
            if np.isfinite(new_value) and new_value >= value - 1e-12 * abs(value):
                break
            factor /= 2
            new = theta + factor * step
            new_value = f(new)
        else:
            return theta, value, it, False
        done = (factor == 1.0 and abs(new_value - value) <= tolerance * (abs(value) + tolerance)
                and np.all(np.abs(step) <= math.sqrt(tolerance) * (1 + np.abs(theta))))
        theta, value = new, new_value
        if done:
            return theta, value, it, True
    return theta, value, max_iter, False


def _bfgs(f, theta, tolerance, max_iter):
    from scipy.optimize import minimize

    g = grad(f)
    res = minimize(lambda th: -f(th), theta, jac=lambda th: -g(th), method="BFGS",
                   options={"gtol": tolerance, "maxiter": max_iter})
    return res.x, -res.fun, int(res.nit), bool(res.success)


def _design(covariates, names, n):
    if covariates is None:
        return None, ()
    x = np.asarray(covariates, dtype=float)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.shape[0] != n:
        raise SurvivalDataError(f"{n} times but {x.shape[0]} covariate rows")
    if not np.all(np.isfinite(x)):
        raise SurvivalDataError("covariates must be finite")
    labels = (tuple(str(v) for v in names) if names is not None
              else tuple(f"x{j + 1}" for j in range(x.shape[1])))
    if len(labels) != x.shape[1]:
        raise ValueError(f"{len(labels)} names for {x.shape[1]} covariates")
    return x, labels


def min_events(distribution: str, n_covariates: int = 0) -> int:
    """Fewest events :func:`fit_parametric` accepts: one more than the parameters.

    >>> min_events("weibull"), min_events("spline3", 1)
    (3, 7)
    """
    return n_family_parameters(distribution) + n_covariates + 1


def fit_parametric(time, event, covariates=None, *, distribution: str, control: FitControl,
                   names=None, knots=None, conf_level: float = 0.95,
                   engine: str = "netter") -> ParametricFit:
    """Fit one parametric family by maximum likelihood.

    Parameters
    ----------
    time, event : array_like
        Follow-up times (> 0) and 1/0 event indicators.
    covariates : array_like of shape (n, p), optional
        Covariates on the location parameter (e.g. arm indicators).
    distribution : str
        One of :data:`DISTRIBUTIONS`.
    control : FitControl
        Maximiser, tolerance and iterations (the caller's profile).
    names : sequence of str, optional
        Covariate names.
    knots : sequence of float, optional
        Spline knots on the log-time scale, boundary knots included (default
        :func:`spline_knots`).
    conf_level : float
        Level of the parameters' Wald intervals.
    engine : {"netter", "lifelines"}
        Likelihood maximiser (module documentation; lifelines: no covariates).

    Returns
    -------
    ParametricFit

    Raises
    ------
    SurvivalDataError
        Invalid data, a time of 0, fewer events than :func:`min_events`, knots outside
        the range of the log event times or not increasing.

    Examples
    --------
    >>> fit = fit_parametric([2, 3, 5, 7, 11, 13, 17], [1, 1, 1, 0, 1, 1, 0],
    ...                      distribution="exponential", control=FitControl())
    >>> round(math.exp(fit.parameters[0].estimate), 6)  # events / total time
    0.086207
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}, "
                         f"got {distribution!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    t, e = check_survival_data(time, event)
    if np.any(t <= 0):
        raise SurvivalDataError(f"times must be > 0 for a parametric model; "
                                f"{int(np.sum(t <= 0))} of {t.size} are 0")
    x, labels = _design(covariates, names, t.size)
    need = min_events(distribution, len(labels))
    if int(e.sum()) < need:
        raise SurvivalDataError(
            f"too few events to fit {distribution}: {int(e.sum())} events, at least "
            f"{need} needed")
    knot_tuple: tuple[float, ...] = ()
    if distribution.startswith("spline"):
        k = int(distribution[6:])
        if knots is None:
            knot_tuple = spline_knots(t, e, k)
        else:
            knot_tuple = tuple(float(v) for v in knots)
            lt = np.log(t[e == 1])
            if len(knot_tuple) != k + 2:
                raise SurvivalDataError(f"{distribution} needs {k + 2} knots (boundary "
                                        f"included), got {len(knot_tuple)}")
            inner = knot_tuple[1:-1]
            if inner and (min(inner) <= lt.min() or max(inner) >= lt.max()):
                raise SurvivalDataError(
                    f"internal knots (log time) {[round(v, 4) for v in inner]} lie outside "
                    f"the log event times ({lt.min():.4f}, {lt.max():.4f})")
            if np.any(np.diff(knot_tuple) <= 0):
                raise SurvivalDataError(f"knots must increase: {knot_tuple}")
        if len(set(knot_tuple)) != len(knot_tuple):
            raise SurvivalDataError(
                f"{distribution}: knots coincide (too few distinct event times): "
                f"{[round(v, 4) for v in knot_tuple]}")
    if engine == "lifelines":
        if x is not None:
            raise ValueError("the lifelines engine fits intercept-only models")
        from netter.stats._parametric_lifelines import fit_lifelines

        theta, cov, loglik, label, converged = fit_lifelines(
            distribution, t, e, knot_tuple, control)
        return _result(distribution, theta, cov, loglik, t.size, int(e.sum()), knot_tuple,
                       labels, converged, 0, label, conf_level)
    model = Model(distribution, knot_tuple, len(labels))
    ev = e.astype(bool)

    def f(theta):
        return model.loglik(theta, t, ev, x)

    start = _start(distribution, t, e, knot_tuple)
    if x is not None:
        start = np.r_[start, np.zeros(x.shape[1])]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if distribution == "gengamma":  # from the Weibull (Q = 1) fit: a better start
            w = fit_parametric(t, e, x, distribution="weibull", control=control,
                               names=labels or None)
            a, lb = w.parameters[0].estimate, w.parameters[1].estimate
            start = np.r_[lb, -a, 1.0, [p.estimate for p in w.parameters[2:]]]
        elif distribution.startswith("spline"):  # from the Weibull: log H = a (x - log b)
            w = fit_parametric(t, e, x, distribution="weibull", control=control,
                               names=labels or None)
            a, lb = math.exp(w.parameters[0].estimate), w.parameters[1].estimate
            start[0], start[1] = -a * lb, a
            if x is not None:
                start[len(knot_tuple):] = [-a * p.estimate for p in w.parameters[2:]]
        if control.method == "newton":
            theta, value, it, ok = _newton(f, start, control.tolerance, control.max_iter)
        else:
            theta, value, it, ok = _bfgs(f, start, control.tolerance, control.max_iter)
        if distribution == "gengamma":
            info = -_richardson_hessian(f, theta)
        else:
            info = -np.asarray(hessian(f)(theta))
    return _result(distribution, theta, _inverse(info), float(value), t.size, int(e.sum()),
                   knot_tuple, labels, ok, it, f"{NETTER_ENGINE} ({control.method})",
                   conf_level)


def _richardson_hessian(f, theta, h0=3e-3):
    """Hessian by central second differences with one Richardson extrapolation.

    For the generalised gamma: autograd_gamma differentiates the incomplete gamma
    function in its shape by a central difference, so autograd's Hessian is off by
    2-3 % in the standard errors (21-event PFS arm: SE of mu 0.3746 against 0.3735 from
    these differences and from R's optimHess).
    """
    k = theta.size

    def second(h):
        s = h * np.maximum(np.abs(theta), 0.1)
        out = np.empty((k, k))
        for i in range(k):
            for j in range(i, k):
                ei, ej = np.zeros(k), np.zeros(k)
                ei[i], ej[j] = s[i], s[j]
                out[i, j] = out[j, i] = (f(theta + ei + ej) - f(theta + ei - ej)
                                         - f(theta - ei + ej) + f(theta - ei - ej)
                                         ) / (4 * s[i] * s[j])
        return out

    return (4 * second(h0 / 2) - second(h0)) / 3


def _inverse(info):
    try:
        w = np.linalg.eigvalsh((info + info.T) / 2)
        if not np.all(np.isfinite(info)) or w.min() <= 0:
            return None
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return None


def _result(distribution, theta, cov, loglik, n, events, knots, labels, converged, it,
            engine, conf_level) -> ParametricFit:
    model = Model(distribution, knots, len(labels))
    names = (*model.names, *labels)
    if cov is not None and not (np.all(np.isfinite(cov)) and np.all(np.diag(cov) > 0)):
        cov = None  # lifelines' Hessian may be indefinite at a point short of the maximum
    z = float(normal_quantile((1 + conf_level) / 2))
    params = []
    for j, name in enumerate(names):
        se = None if cov is None else math.sqrt(cov[j][j])
        est = float(theta[j])
        params.append(Parameter(name, est, se, None if se is None else est - z * se,
                                None if se is None else est + z * se))
    k = len(names)
    return ParametricFit(
        distribution=distribution, parameters=tuple(params),
        covariance=None if cov is None else tuple(tuple(float(v) for v in r) for r in cov),
        loglik=float(loglik), aic=-2 * loglik + 2 * k, bic=-2 * loglik + k * math.log(n),
        n=n, events=events, knots=tuple(knots), covariates=tuple(labels),
        converged=bool(converged), iterations=int(it), engine=engine,
        conf_level=conf_level)
