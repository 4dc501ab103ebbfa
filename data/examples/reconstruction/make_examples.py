"""Regenerate the example inputs of ``netter reconstruct`` in this folder (seeded).

Run from the repository root::

    .venv/bin/python data/examples/reconstruction/make_examples.py

The digitising is simulated (netter.reconstruct.digitiser) on the PFS curves of the
synthetic trial's primary cut-off; seeds and rules are in netter.reconstruct.examples.
"""

from pathlib import Path

from netter.reconstruct.examples import write_examples

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

if __name__ == "__main__":
    for path in write_examples(ROOT / "data" / "synthetic" / "primary", HERE):
        print(path.relative_to(ROOT))
