"""lifelines engine of :func:`netter.stats.parametric.fit_parametric` (a cross-check).

lifelines' univariate fitters, mapped exactly onto netter's (flexsurv's) parameters:

- ``ExponentialFitter``: ``S = exp(-t / lambda_)``: ``log_rate = -log lambda_``;
- ``WeibullFitter``: ``S = exp(-(t / lambda_)^rho_)``: ``log_shape = log rho_``,
  ``log_scale = log lambda_``;
- ``LogNormalFitter``: ``meanlog = mu_``, ``log_sdlog = log sigma_``;
- ``LogLogisticFitter``: ``S = 1 / (1 + (t / alpha_)^beta_)``: ``log_shape = log beta_``,
  ``log_scale = log alpha_``;
- ``GeneralizedGammaFitter``: flexsurv's parameters already (``mu_``, ``ln_sigma_``,
  ``lambda_ = Q``);
- ``SplineFitter`` (knots passed on the time scale): ``phi_j = gamma_j``;
- :class:`GompertzFitter`, written here: ``H = exp(log_rate_) expm1(shape_ t) / shape_``.

The covariance is lifelines' (inverse autograd Hessian) transformed by the diagonal
Jacobian of the mapping.  lifelines fits with BFGS at ``gtol = tolerance``; on
``ConvergenceError`` the ``gtol`` is loosened tenfold up to 1e-5 and the fit is then
``converged=False`` with the ``gtol`` used in its label.

Examples
--------
>>> from netter.stats.parametric import FitControl
>>> theta, cov, loglik, label, ok = fit_lifelines(
...     "exponential", np.array([2.0, 3, 5, 7]), np.array([1, 1, 0, 1]), (), FitControl())
>>> round(float(np.exp(theta[0])), 6), label.split()[1], ok
(0.176471, 'ExponentialFitter', True)
"""

from __future__ import annotations

import warnings

import autograd.numpy as anp
import numpy as np

_LOOSEST = 1e-5


def _gompertz_class():
    from lifelines.fitters import ParametricUnivariateFitter

    class GompertzFitter(ParametricUnivariateFitter):
        """Gompertz: ``h(t) = exp(log_rate_) exp(shape_ t)`` (flexsurv's parameters)."""

        _fitted_parameter_names = ["shape_", "log_rate_"]
        _bounds = [(None, None), (None, None)]  # lifelines defaults to positive

        def _cumulative_hazard(self, params, times):
            a, lb = params
            return anp.exp(lb) * anp.expm1(a * times) / a

        def _create_initial_point(self, Ts, E, *args):
            rate = E.sum() / Ts[0].sum() if isinstance(Ts, tuple) else E.sum() / Ts.sum()
            return np.array([1e-3 * rate, np.log(rate)])

    return GompertzFitter


def _make(distribution, knots):
    import lifelines

    if distribution == "gompertz":
        return _gompertz_class()()
    if distribution.startswith("spline"):
        return lifelines.SplineFitter(np.exp(np.asarray(knots)))
    name = {"exponential": "ExponentialFitter", "weibull": "WeibullFitter",
            "lognormal": "LogNormalFitter", "loglogistic": "LogLogisticFitter",
            "gengamma": "GeneralizedGammaFitter"}[distribution]
    return getattr(lifelines, name)()


def _map(distribution, params: np.ndarray, cov: np.ndarray):
    """lifelines' parameters -> netter's, with the covariance (diagonal Jacobian)."""
    p = params.astype(float)
    if distribution == "exponential":
        theta, jac = np.array([-np.log(p[0])]), np.array([-1 / p[0]])
    elif distribution == "weibull":  # lambda_, rho_
        theta, jac = np.array([np.log(p[1]), np.log(p[0])]), np.array([1 / p[1], 1 / p[0]])
        cov = cov[np.ix_([1, 0], [1, 0])]
    elif distribution == "lognormal":  # mu_, sigma_
        theta, jac = np.array([p[0], np.log(p[1])]), np.array([1.0, 1 / p[1]])
    elif distribution == "loglogistic":  # alpha_, beta_
        theta, jac = np.array([np.log(p[1]), np.log(p[0])]), np.array([1 / p[1], 1 / p[0]])
        cov = cov[np.ix_([1, 0], [1, 0])]
    else:  # gengamma (mu_, ln_sigma_, lambda_), gompertz, splines: already netter's
        theta, jac = p, np.ones_like(p)
    return theta, cov * np.outer(jac, jac)


def fit_lifelines(distribution, t, e, knots, control):
    """Fit with lifelines: ``(theta, covariance, loglik, label, converged)``."""
    import lifelines
    from lifelines.exceptions import ConvergenceError

    gtol, last = control.tolerance, None
    while True:
        fitter = _make(distribution, knots)
        fitter._scipy_fit_method = "BFGS"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitter.fit(t, e, fit_options={"gtol": gtol, "maxiter": control.max_iter})
            break
        except ConvergenceError as err:
            last = err
            if gtol >= _LOOSEST:
                from netter.errors import SurvivalDataError

                raise SurvivalDataError(f"lifelines did not converge: {last}") from None
            gtol = min(gtol * 10, _LOOSEST)
    if distribution == "gengamma":
        order = ["mu_", "ln_sigma_", "lambda_"]
        params = fitter.params_[order].to_numpy()
        cov = fitter.variance_matrix_.loc[order, order].to_numpy()
    else:
        params = fitter.params_.to_numpy()
        cov = fitter.variance_matrix_.to_numpy()
    theta, cov = _map(distribution, params, cov)
    label = (f"lifelines {type(fitter).__name__} {lifelines.__version__} "
             f"(BFGS, gtol={gtol:g})")
    return theta, cov, float(fitter.log_likelihood_), label, gtol == control.tolerance
