"""The shared server's budget: longest live frame and history memory.

Run: .venv/bin/python bench/bench_budget.py [--frames 50] [--runs 30]
1. Server time of live 2D frames at the heaviest reachable settings (depth 6, width 64, 2,000 and
   5,000 points, full batch, speed "fastest", each optimizer): training + evaluation (advance) +
   drawing (draw_boundary; the curves every 5th frame, as the page does). One frame is drawn before
   timing, as the page shows one before Play. Target: the longest frame < 150 ms.
2. A Compare frame of 4 such runs (2,000 points) in lockstep + their drawings. Target < 150 ms.
3. History memory after N MNIST-size runs (784-2048-2048-2048-2048-10 MLP, Adam, one step each)
   registered like ui/runs.track while each replaces the last: tensor bytes held by the store
   (target <= core.app.run_store.WEIGHTS_LIMIT_BYTES) and the process RSS growth (target: budget + the
   live run's weights, gradients and Adam state + 150 MB of allocator slack).
One BLAS/OpenMP thread, as on the server (core.serving.pace.limit_threads). Takes about 1-2 minutes.
The load average is printed before and after: with more runnable processes than cores the
longest frames show the scheduler's delays, not the budget (compare the medians then).
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from core.serving.pace import FRAME_SECONDS, limit_threads  # noqa: E402
from core.runs.config import Playground2DConfig  # noqa: E402
from core.app.run_store import WEIGHTS_LIMIT_BYTES, RunStore, tensor_bytes  # noqa: E402
from core.data.mnist_data import ImageData  # noqa: E402
from core.runs.mnist_run import MnistConfig, build_mnist_run, train_for  # noqa: E402
from core.learning.engines import OPTIMIZERS  # noqa: E402
from core.runs.playground import build_run, draw_boundary, draw_curves, load_dataset, steps_per_frame  # noqa: E402
from core.runs import advance, advance_lockstep  # noqa: E402
from core.pictures.render import RUN_COLOURS, PlotBox, curves_image  # noqa: E402

FRAME_TARGET_MS = 150.0
FPS_2D, CURVE_EVERY, FPS_COMPARE = 25, 5, 12  # as in pages/1_playground_2d.py and pages/3_compare.py
COMPARE_FRAME = PlotBox(width=320, height=320, left=34, bottom=22)
MB = 2**20


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def heavy(n_samples: int, optimizer: str) -> Playground2DConfig:
    return Playground2DConfig(depth=6, width=64, n_samples=n_samples, batch_size=5000, speed="fastest",
                              optimizer=optimizer, lr=0.001)


def frames_2d(config: Playground2DConfig, frames: int) -> tuple[float, float, int, int]:
    """(longest frame ms, median ms, steps per frame wanted, fewest steps done in a frame)."""
    run = build_run(config)
    draw_boundary(run)  # the frame shown before Play (builds the painter)
    wanted = steps_per_frame(config, FPS_2D)
    times, done = [], []
    for i in range(1, frames + 1):
        t0 = time.perf_counter()
        done.append(advance(run, wanted, seconds=FRAME_SECONDS))
        draw_boundary(run)
        if i % CURVE_EVERY == 0:
            draw_curves(run)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[-1], times[len(times) // 2], wanted, min(done)


def frames_compare(n_runs: int, frames: int) -> tuple[float, float, int, list[int]]:
    configs = [heavy(2000, opt) for opt in list(OPTIMIZERS)[:n_runs]]
    dataset = load_dataset(configs[0])
    runs = [build_run(c, dataset=dataset) for c in configs]
    for run in runs:
        draw_boundary(run, resolution=50, frame=COMPARE_FRAME)
    wanted = steps_per_frame(configs[0], FPS_COMPARE)
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        advance_lockstep(runs, wanted)
        for run in runs:
            draw_boundary(run, resolution=50, frame=COMPARE_FRAME)
        series = {f"run {i}": r.trainer.history.values["test_acc"] for i, r in enumerate(runs)}
        curves_image(runs[0].trainer.history.step, series, width=760, height=240, y_range=(0.0, 1.0),
                     styles={f"run {i}": (RUN_COLOURS[i], False) for i in range(len(runs))})
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[-1], times[len(times) // 2], wanted, [r.trainer.steps for r in runs]


def synthetic_images(n_train=512, n_test=256) -> ImageData:
    g = torch.Generator().manual_seed(0)
    return ImageData("mnist", torch.randn(n_train, 784, generator=g), torch.randint(0, 10, (n_train,), generator=g),
                     torch.randn(n_test, 784, generator=g), torch.randint(0, 10, (n_test,), generator=g),
                     torch.zeros(n_train, 28, 28, dtype=torch.uint8), torch.zeros(n_test, 28, 28, dtype=torch.uint8),
                     0.1, 0.3, tuple("0123456789"), "synthetic", False)


def malloc_trim() -> None:
    """Hand freed heap pages back to the OS (glibc), so RSS shows what is really held."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def history_memory(n_runs: int) -> dict:
    data = synthetic_images()
    store = RunStore(limit=30)
    gc.collect()
    malloc_trim()
    rss0 = rss_mb()
    run = None
    for seed in range(n_runs):
        # a seed change: the page's new run replaces the old one in session state
        run = build_mnist_run(MnistConfig(n_train=512, hidden="2048,2048,2048,2048", batch_size=128, seed=seed), data)
        train_for(run, 1e9, max_steps=1, evaluate=False)  # gradients and Adam state exist, as on the page
        if store.find_live(run.trainer.history) is None:  # what ui/runs.track does
            store.add("mnist", f"seed {seed}", run.config.to_query(), run.trainer.history, run.trainer.model)
        else:
            store.enforce_limit()
    gc.collect()
    store.enforce_limit()
    rss_raw = rss_mb() - rss0
    malloc_trim()
    model = run.trainer.model
    weights = tensor_bytes(model.state_dict().values())
    live_total = weights + tensor_bytes(p.grad for p in model.parameters() if p.grad is not None) + tensor_bytes(
        t for s in run.trainer.optimization.optimizer.state.values() for t in s.values() if torch.is_tensor(t))
    return {"held": store.held_bytes(), "kept": sum(r.weights is not None for r in store.list()),
            "dropped": sum(r.weights_dropped for r in store.list()), "records": len(store),
            "rss": rss_mb() - rss0, "rss_raw": rss_raw, "live": live_total, "weights": weights}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    limit_threads()
    ok = True
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    def row(name: str, passed: bool, text: str) -> None:
        nonlocal ok
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}  {name:<44} {text}", flush=True)

    print(f"1. 2D live frames (server time, {args.frames} frames, depth 6 x width 64, full batch, fastest)")
    for n in (2000, 5000):
        for opt in OPTIMIZERS:
            longest, median, wanted, fewest = frames_2d(heavy(n, opt), args.frames)
            row(f"2D {n} points, {opt}", longest < FRAME_TARGET_MS,
                f"longest {longest:6.1f} ms, median {median:5.1f} ms (target < {FRAME_TARGET_MS:.0f}); "
                f"steps/frame wanted {wanted}, fewest done {fewest}")
    print(f"2. Compare frame: 4 runs in lockstep (2,000 points each) + 4 drawings + curves")
    longest, median, wanted, steps = frames_compare(4, args.frames)
    row("Compare, 4 heavy runs", longest < FRAME_TARGET_MS and len(set(steps)) == 1,
        f"longest {longest:6.1f} ms, median {median:5.1f} ms; wanted {wanted} steps/frame; "
        f"total steps per run {steps} (equal: {len(set(steps)) == 1})")
    print(f"3. History memory after {args.runs} MNIST-size runs (784-2048x4-10 MLP, Adam)")
    m = history_memory(args.runs)
    row("store's tensor bytes", m["held"] <= WEIGHTS_LIMIT_BYTES,
        f"{m['held'] / MB:.0f} MB held for {m['kept']} of {m['records']} records, {m['dropped']} dropped "
        f"(budget {WEIGHTS_LIMIT_BYTES / MB:.0f} MB; one record {m['weights'] / MB:.0f} MB; "
        f"holding every model with its gradients would be {args.runs * 2 * m['weights'] / MB:.0f} MB)")
    limit = (WEIGHTS_LIMIT_BYTES + m["live"]) / MB + 150
    row("process RSS growth", m["rss"] <= limit,
        f"{m['rss']:.0f} MB after malloc_trim ({m['rss_raw']:.0f} MB before; target <= {limit:.0f} MB = budget "
        f"+ live run's weights, grads and Adam state {m['live'] / MB:.0f} MB + 150 MB)")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
