"""Reconstruct patient-level data from a published Kaplan-Meier figure (Guyot et al. 2012).

Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. *BMC Med Res
Methodol* 2012;12:9.  The algorithm is implemented here from the paper's description.

Modules
-------
inputs
    Read the digitised curves (``arm,time,survival`` or the header-less two-column
    export of digitising tools), the numbers at risk and the optional total events.
cleaning
    Make a digitised curve usable (sorted, monotone, starting at (0, 1)), logging every
    change, and check the numbers at risk; inconsistencies become warnings.
guyot
    The algorithm for one arm: censorings per interval, events by inverting the
    Kaplan-Meier formula at each digitised step, one row per patient.
diagnostics
    Reconstructed vs published numbers at risk and events, RMSE and maximum absolute
    difference between the curves, the overlay figure and a Markdown summary.
write
    ADSL and ADTTE frames in the shape of netter's data layer, and the output files.
pipeline
    :func:`reconstruct`: inputs to a :class:`~netter.reconstruct.pipeline.Reconstruction`;
    :func:`write_reconstruction`: everything ``netter reconstruct`` writes.
digitiser
    A simulated person digitising a Kaplan-Meier curve (for round trips and examples).
agreement
    Compare a reconstruction with the patient-level data it came from (both analysed by
    the endpoint composer).
roundtrip
    Patient data -> simulated digitising -> reconstruction -> agreement, over seeds.
examples
    The example inputs shipped in ``data/examples/reconstruction/``.
report
    The Markdown summary written beside a reconstruction.
command
    ``netter reconstruct``.

Examples
--------
>>> import numpy as np
>>> from netter.reconstruct.guyot import guyot
>>> fit = guyot([0, 1, 2], [1.0, 0.8, 0.6], [0, 1.5], [10, 8])
>>> int(fit.patient_event.sum()), fit.patient_time.size
(4, 10)
"""

__all__ = ["Reconstruction", "reconstruct", "write_reconstruction"]


def __getattr__(name: str):
    """The pipeline's names, imported on first use: ``netter`` builds its command line
    from :mod:`netter.reconstruct.command` without importing pandas and SciPy."""
    if name in __all__:
        from netter.reconstruct import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
