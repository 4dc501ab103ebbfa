"""Scaled Schoenfeld residuals against time, from the saved results (figure kind
``schoenfeld``).

The residuals and the ``cox.zph`` test come from the endpoint's ``ph_test`` (results
JSON); nothing statistical is computed here.  The smooth is presentation only: a
LOWESS curve (statsmodels, fraction :data:`LOWESS_FRAC`, deterministic) through the
saved residuals, as R ``plot(cox.zph(fit))`` draws a spline.  The dashed line is the
Cox model's log hazard ratio (a flat smooth along it is proportional hazards).

Examples
--------
>>> from netter.results import PhTestResult, SchoenfeldResult
>>> ph = PhTestResult(1.2, 1, 0.27, "km", "efron", None, residuals=SchoenfeldResult(
...     time=(1.0, 2.0, 3.0, 4.0), x=(0.0, 0.2, 0.4, 0.6), arms=("B",),
...     y=((-1.0, 0.5, 0.2, 1.0),)))
>>> zph_caption(ph)
'Proportional-hazards test (cox.zph, km transform): χ² = 1.20, df 1, p=0.270'
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from plotnine import (
    aes,
    geom_hline,
    geom_line,
    geom_point,
    ggplot,
    labs,
)

from netter.figures.theme import GREY, SINGLE, journal_theme
from netter.results import EndpointResult, PhTestResult
from netter.tables import fmt

#: Fraction of the points in each LOWESS window.
LOWESS_FRAC = 2 / 3


def zph_caption(ph: PhTestResult) -> str:
    """The test's line under the figure."""
    if ph.chisq is None:
        return f"Proportional-hazards test not computed: {ph.not_estimable_reason}"
    return (f"Proportional-hazards test (cox.zph, {ph.transform} transform): "
            f"χ² = {fmt.number(ph.chisq, 2)}, df {ph.df}, {fmt.p_equation(ph.p_value)}")


def _smooth(time, y) -> pd.DataFrame:
    from statsmodels.nonparametric.smoothers_lowess import lowess

    fit = lowess(y, time, frac=LOWESS_FRAC, it=0, return_sorted=True)
    return pd.DataFrame({"time": fit[:, 0], "y": fit[:, 1]})


def schoenfeld_figure(endpoint: EndpointResult, *, unit: str = "months",
                      width: float = SINGLE, stratified: bool = False) -> Figure:
    """Scaled Schoenfeld residuals of the first compared arm against time.

    Parameters
    ----------
    endpoint : EndpointResult
        Its ``ph_test`` (or ``ph_test_stratified``) must carry ``residuals``.
    unit : str
        Time unit of the axis.
    width : float
        Width in inches.
    stratified : bool
        Draw the stratified model's residuals.

    Raises
    ------
    ValueError
        The results hold no residuals (model not estimable).
    """
    ph = endpoint.ph_test_stratified if stratified else endpoint.ph_test
    if ph is None or ph.residuals is None:
        raise ValueError(f"{endpoint.paramcd}: no Schoenfeld residuals in the results")
    res = ph.residuals
    points = pd.DataFrame({"time": res.time, "y": res.y[0]})
    cox = endpoint.cox_stratified if stratified else endpoint.cox
    plot = (ggplot(points, aes("time", "y"))
            + geom_point(size=0.6, alpha=0.5, color=GREY)
            + geom_line(data=_smooth(res.time, res.y[0]), color="black", size=0.9)
            + labs(x=f"Time ({unit})", y=f"Beta(t) for {res.arms[0]}",
                   caption=zph_caption(ph))
            + journal_theme(width, 0.8 * width))
    if cox is not None and cox.coef is not None:
        plot += geom_hline(yintercept=cox.coef, linetype="dashed", color=GREY)
    return plot.draw()
