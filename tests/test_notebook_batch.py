"""``python -m netter.report notebooks``: several notebooks, each in a fresh kernel forked
from one warm process.  The pages equal those of one kernel per notebook, nothing one
notebook does reaches another, each kernel has its own environment, and a failure is
one clear error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from netter.errors import NetterError
from netter.report.__main__ import _job
from netter.report.kernels import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="forked kernels need os.fork")

PLOT = """# %% [markdown]
# # A figure, a table, a stream

# %%
import os

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

print("tag", os.environ.get("NETTER_TAG"), "cwd", os.path.basename(os.getcwd()))
fig, ax = plt.subplots(figsize=(2, 1.5))
ax.plot([0, 1, 2], [1.0, 0.5, 0.25])
plt.show()
display(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
"""

LEAKER = """# %%
import json
import os

import pandas as pd

pd.set_option("display.max_rows", 3)
os.environ["NETTER_LEAK"] = "leaked"
json.NETTER_LEAK = "leaked"
secret = "leaked"
print("set")
"""

VICTIM = """# %%
import json
import os

import pandas as pd

print("option", pd.get_option("display.max_rows"), "env", os.environ.get("NETTER_LEAK"),
      "module", getattr(json, "NETTER_LEAK", None), "global", "secret" in globals())
"""


def _scripts(tmp_path):
    for name, text in (("plot", PLOT), ("leaker", LEAKER), ("victim", VICTIM)):
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    (tmp_path / "work").mkdir()


def _batch(tmp_path, out, *jobs, workers=1):
    argv = [sys.executable, "-m", "netter.report", "notebooks", "--workers", str(workers),
            "--cwd", str(tmp_path / "work"), "--timeout", "120"]
    for script, *env in jobs:
        argv += ["--job", str(tmp_path / f"{script}.py"), str(tmp_path / out / f"{script}.html"),
                 *env]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def test_pages_equal_one_kernel_per_notebook_and_nothing_leaks(tmp_path):
    _scripts(tmp_path)
    single = subprocess.run(
        [sys.executable, "-m", "netter.report", "notebook", str(tmp_path / "plot.py"),
         "--out", str(tmp_path / "single" / "plot.html"), "--cwd", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300, env=_env(NETTER_TAG="t1"))
    assert single.returncode == 0, single.stderr
    for workers in (1, 2):
        run = _batch(tmp_path, f"batch{workers}", ("leaker",), ("plot", "NETTER_TAG=t1"),
                     ("victim",), workers=workers)
        assert run.returncode == 0, run.stderr
        assert run.stdout.count("    notebook ") == 3
    single_page = (tmp_path / "single" / "plot.html").read_bytes()
    for workers in (1, 2):
        assert (tmp_path / f"batch{workers}" / "plot.html").read_bytes() == single_page
        victim = (tmp_path / f"batch{workers}" / "victim.html").read_text(encoding="utf-8")
        assert "option 60 env None module None global False" in victim
    page = single_page.decode("utf-8")
    assert "tag t1 cwd work" in page and "data:image/png;base64" in page and "<table" in page


def _env(**extra):
    import os

    return {**os.environ, **extra}


def test_each_kernel_has_its_own_environment(tmp_path):
    _scripts(tmp_path)
    run = _batch(tmp_path, "out", ("plot", "NETTER_TAG=first"))
    assert run.returncode == 0, run.stderr
    assert "tag first cwd work" in (tmp_path / "out" / "plot.html").read_text(encoding="utf-8")
    (tmp_path / "again.py").write_text(PLOT, encoding="utf-8")
    run = _batch(tmp_path, "out", ("plot", "NETTER_TAG=a"), ("again", "NETTER_TAG=b"),
                 workers=2)
    assert run.returncode == 0, run.stderr
    assert "tag a cwd" in (tmp_path / "out" / "plot.html").read_text(encoding="utf-8")
    assert "tag b cwd" in (tmp_path / "out" / "again.html").read_text(encoding="utf-8")


def test_a_failing_notebook_is_one_error_and_no_kernel_is_left(tmp_path):
    _scripts(tmp_path)
    (tmp_path / "broken.py").write_text("# %%\nraise ValueError('bad value 17')\n",
                                        encoding="utf-8")
    run = _batch(tmp_path, "out", ("plot",), ("broken",), ("victim",))
    assert run.returncode == 1
    assert "broken.py: ValueError: bad value 17" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out" / "broken.html").exists()
    # the kernels were forks of the batch process (its command line names tmp_path):
    # none outlives it
    assert _processes_naming(str(tmp_path)) == []


def _processes_naming(text: str) -> list[int]:
    from pathlib import Path

    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("words, message", [
    (["only-a-script.py"], "give SCRIPT OUT"),
    (["a.py", "a.html", "NOEQUALS"], "'NOEQUALS' is not NAME=VALUE"),
    (["a.py", "a.html", "1BAD=x"], "'1BAD=x' is not NAME=VALUE"),
])
def test_job_syntax_errors(words, message):
    with pytest.raises(NetterError, match=message):
        _job(words)


def test_job_keeps_values_with_equals_and_empty_values():
    job = _job(["a.py", "out/a.html", "NETTER_ANALYSIS=", "X=a=b"])
    assert job.env == {"NETTER_ANALYSIS": "", "X": "a=b"}
    assert str(job.script) == "a.py" and str(job.html_out) == "out/a.html"


def test_output_does_not_depend_on_the_kernels_flush_timing(tmp_path):
    """A cell printing on both sides of a pause longer than the kernel's 0.2 s flush
    interval arrives as two stream messages; the page shows one output, as when fast."""
    (tmp_path / "work").mkdir()
    (tmp_path / "slow.py").write_text(
        "# %%\nimport time\nprint('before')\ntime.sleep(0.6)\nprint('after')\n",
        encoding="utf-8")
    (tmp_path / "fast.py").write_text("# %%\nprint('before')\nprint('after')\n",
                                      encoding="utf-8")
    run = _batch(tmp_path, "out", ("slow",), ("fast",))
    assert run.returncode == 0, run.stderr
    slow = (tmp_path / "out" / "slow.html").read_text(encoding="utf-8")
    fast = (tmp_path / "out" / "fast.html").read_text(encoding="utf-8")
    assert "<pre>before\nafter\n</pre>" in slow
    assert slow.split("output_stdout")[1] == fast.split("output_stdout")[1]
