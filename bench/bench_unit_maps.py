"""Server time of the "each unit over the plane" thumbnails (core/pictures/unit_maps.py) for the widest net the
page offers: every unit of its first two hidden layers (2 × 64) on a 40 × 40 grid, coloured.

Run: .venv/bin/python bench/bench_unit_maps.py [--repeats 5]
Prints the best of the repeats; the page's budget is 100 ms.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.lessons.inside import layers_of  # noqa: E402
from core.learning.models import build_model  # noqa: E402
from core.pictures.unit_maps import colour_indices, unit_maps  # noqa: E402

BOUNDS = (-1.0, 1.0, -1.0, 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    model = build_model("mlp", 2, 2, seed=0, depth=6, width=64)
    layers, act = layers_of(model)
    unit_maps(layers, act, BOUNDS)  # warm-up
    times = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        maps = unit_maps(layers, act, BOUNDS, 40)
        [colour_indices(m, act) for m in maps]
        times.append(time.perf_counter() - t)
    units = sum(m.shape[0] for m in maps)
    print(f"unit maps, {units} units at 40×40: best {min(times) * 1e3:.1f} ms, "
          f"median {sorted(times)[len(times) // 2] * 1e3:.1f} ms of {args.repeats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
