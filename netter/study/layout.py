"""Where a study's data are: one ADaM folder per declared cut-off.

``DATA`` holds one subfolder per cut-off (``DATA/<cutoff>/adsl.csv`` ...), the layout
``netter simulate`` writes.  A study with a single cut-off may instead point ``DATA``
at the ADaM files themselves.  Without ``DATA``, the study's own ``data`` folder is
used.

Examples
--------
>>> import tempfile
>>> from netter.study.model import CutoffDef, Study, ArmDef
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "adsl.csv").write_text("USUBJID,TRT01P\\n")
>>> study = Study(id="s", title="S", path=None, arm_var="TRT01P",
...               arms=(ArmDef("a", "a"), ArmDef("b", "b")), reference="b",
...               cutoffs=(CutoffDef("final", None),))
>>> cutoff_folder(study, root, "final") == root
True
"""

from __future__ import annotations

import os
from pathlib import Path

from netter.study.model import Study
from netter.study.toml import StudyError

#: ADaM dataset stems that mark a folder as holding ADaM files.
_ADAM_STEMS = ("adsl", "adtte", "adrs")


def data_root(study: Study, data: str | os.PathLike | None = None) -> Path:
    """The data folder: ``data`` when given, else the study's ``data``.

    Raises
    ------
    StudyError
        Neither is set.
    """
    if data is not None:
        return Path(data)
    if study.data is None:
        raise StudyError(f"{study.path}: no data folder: give one (--data, DATA=) or set "
                         "`data` in the study")
    return study.data


def _holds_adam(folder: Path) -> bool:
    return folder.is_dir() and any(p.stem.lower() in _ADAM_STEMS for p in folder.iterdir())


def cutoff_folder(study: Study, data: str | os.PathLike | None, cutoff: str) -> Path:
    """The ADaM folder of cut-off ``cutoff``: ``DATA/<cutoff>``, or ``DATA`` itself for a
    study with one cut-off whose ADaM files sit directly in ``DATA``.

    Raises
    ------
    StudyError
        ``cutoff`` is not declared, or its folder does not exist (the message names the
        folder expected and what the data folder holds).
    """
    try:
        study.cutoff(cutoff)
    except KeyError:
        declared = ", ".join(c.name for c in study.cutoffs)
        raise StudyError(f"{study.path}: no cut-off {cutoff!r} (declared: {declared})") from None
    root = data_root(study, data)
    folder = root / cutoff
    if folder.is_dir():
        return folder
    if len(study.cutoffs) == 1 and _holds_adam(root):
        return root
    if not root.is_dir():
        raise StudyError(f"{root}: no such data folder")
    held = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir())) or "no subfolders"
    names = ", ".join(c.name for c in study.cutoffs)
    raise StudyError(f"{root}: no folder {cutoff}/ for cut-off {cutoff!r}; the data folder "
                     f"holds one subfolder per cut-off ({names}) and has {held}")
