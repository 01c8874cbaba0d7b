"""Live 2D view in headless Chromium: frames shown per second, server ms per frame, steps/s.

Run: `make bench` (or .venv/bin/python bench/bench_live.py [--seconds 8]).
Frames are counted in the page: how often the boundary image's pixels change.
Targets on a 2-core machine: >= 20 frames/s at >= 250 steps/s (speed "normal");
>= 10 frames/s at >= 1,500 steps/s (speed "fastest").
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import FRAME_COUNTER_JS, chromium, chromium_missing_reason, streamlit_server  # noqa: E402


def measure(page, seconds: float) -> dict:
    counter = page.locator("#epoch-counter")
    page.evaluate(FRAME_COUNTER_JS, "boundary-live")
    time.sleep(1.0)  # let the counter see a first frame
    f0 = page.evaluate("window.__frames.changes")
    s0, t0 = int(counter.get_attribute("data-step")), time.perf_counter()
    train, draw, frame = [], [], []
    end = t0 + seconds
    while time.perf_counter() < end:
        time.sleep(0.25)
        train.append(float(counter.get_attribute("data-train-ms")))
        draw.append(float(counter.get_attribute("data-draw-ms")))
        frame.append(float(counter.get_attribute("data-frame-ms")))
    f1 = page.evaluate("window.__frames.changes")
    s1, t1 = int(counter.get_attribute("data-step")), time.perf_counter()
    return {"fps_shown": (f1 - f0) / (t1 - t0), "steps_per_s": (s1 - s0) / (t1 - t0),
            "train_ms": statistics.median(train), "draw_ms": statistics.median(draw),
            "server_frame_ms": statistics.median(frame)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    reason = chromium_missing_reason()
    if reason:
        print("cannot run:", reason)
        return 2
    results = {}
    with streamlit_server() as (base, _), chromium() as browser:
        for speed in ("normal", "fastest"):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/playground_2d?speed={speed}")
            page.wait_for_selector("#epoch-counter", timeout=60_000)
            page.get_by_role("button", name="▶ Play").click()
            page.wait_for_function("() => { const e = document.querySelector('#epoch-counter'); return e && +e.dataset.step > 50; }",
                                   timeout=60_000)
            results[speed] = measure(page, args.seconds)
            page.close()
    targets = {"normal": (20, 250), "fastest": (10, 1500)}
    print(f"{'speed':8} {'frames/s shown':>15} {'steps/s':>9} {'train ms':>9} {'draw ms':>8} {'frame ms':>9}  target")
    ok = True
    for speed, r in results.items():
        fps_min, steps_min = targets[speed]
        met = r["fps_shown"] >= fps_min and r["steps_per_s"] >= steps_min
        ok &= met
        print(f"{speed:8} {r['fps_shown']:15.1f} {r['steps_per_s']:9.0f} {r['train_ms']:9.1f} {r['draw_ms']:8.1f} "
              f"{r['server_frame_ms']:9.1f}  >= {fps_min} fps & >= {steps_min} steps/s: {'met' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
