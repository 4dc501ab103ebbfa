"""Named method profiles: every method choice in netter comes from one of these.

A profile fixes what R, SAS, lifelines and statsmodels silently disagree on: the
transform of the pointwise Kaplan-Meier confidence interval, the handling of tied
event times in Cox models, the rule for a median on a flat segment at exactly the
requested quantile, the variance estimator and the confidence level.  Every
result records the name of the profile that produced it.

Examples
--------
>>> get_profile("r").conf_type
'log'
>>> get_profile("sas", conf_level=0.9).conf_level
0.9
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from netter.errors import NetterError


@dataclass(frozen=True)
class Profile:
    """A bundle of method choices.

    Attributes
    ----------
    name : str
        ``"r"`` or ``"sas"``.
    conf_type : str
        Pointwise KM CI transform: ``"log"`` (R ``conf.type="log"``), ``"log-log"``
        (SAS ``CONFTYPE=LOGLOG``), or ``"plain"``.
    ties : str
        Cox partial-likelihood tie handling: ``"efron"`` or ``"breslow"``.
    median_rule : str
        ``"midpoint"``: where S(t) equals the quantile exactly over a flat segment,
        take the midpoint of that segment (R ``quantile.survfit`` and SAS LIFETEST).
    variance : str
        KM variance estimator; ``"greenwood"`` in both profiles.
    conf_level : float
        Two-sided confidence level.
    """

    name: str
    conf_type: str
    ties: str
    median_rule: str = "midpoint"
    variance: str = "greenwood"
    conf_level: float = 0.95


PROFILES: dict[str, Profile] = {
    "r": Profile(name="r", conf_type="log", ties="efron"),
    "sas": Profile(name="sas", conf_type="log-log", ties="breslow"),
}

#: Profile used unless the user or the study names another.
DEFAULT_PROFILE = "r"


def get_profile(name: str = DEFAULT_PROFILE, *, conf_level: float | None = None) -> Profile:
    """Return the named profile, optionally with another confidence level.

    Parameters
    ----------
    name : str
        ``"r"`` or ``"sas"``.
    conf_level : float, optional
        Overrides the profile's 0.95; must lie strictly between 0 and 1.

    Returns
    -------
    Profile

    Examples
    --------
    >>> get_profile("sas").ties
    'breslow'
    """
    if name not in PROFILES:
        raise NetterError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    profile = PROFILES[name]
    if conf_level is not None:
        if not 0.0 < conf_level < 1.0:
            raise NetterError(f"conf_level must lie in (0, 1), got {conf_level!r}")
        profile = replace(profile, conf_level=float(conf_level))
    return profile
