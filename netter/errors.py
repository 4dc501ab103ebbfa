"""Exceptions netter raises for bad input; the CLI turns them into a message and exit 1."""


class NetterError(Exception):
    """Base class: an input problem the user can fix (file, variable, value, subject named)."""


class ConfigError(NetterError):
    """A simulation config that cannot be used."""


class AdamError(NetterError):
    """ADaM data that cannot be read or fails validation."""


class SurvivalDataError(NetterError, ValueError):
    """Invalid survival data (negative or missing times, event not 0/1, mismatched lengths).

    Also a ``ValueError``, so numerical callers can catch it as such.  Raised by
    :mod:`netter.stats` (importable from ``netter.stats.km`` too).
    """


class DataWarning(UserWarning):
    """Data that pass validation but look wrong (arm labels differing only in case, ``AVAL``
    that disagrees with its dates, duplicated records).  Issued with :mod:`warnings`; the
    CLI prints each one, and ``--strict`` makes them errors."""
