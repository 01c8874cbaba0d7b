"""Server time of one live 2D frame: the canvas's data (core/frame_data + ui/live_canvas) against the
old PIL picture sent as an inline JPEG (core/playground.draw_boundary + ui/common.live_image).

Run: .venv/bin/python bench/bench_frame_server.py [--frames 100]
Both run inside a Streamlit script run (AppTest), into an st.empty() placeholder as the play loop
does, on one torch thread; "element call" is the encoding and enqueueing alone, "frame" adds the
model's evaluation on the grid and the points (the same for both), and bytes are what a frame sends
(on average: the canvas's JS module rides with some frames only, ui/live_view.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCRIPT = '''
import time, torch
torch.set_num_threads(1)
import streamlit as st
from core.runs.config import Playground2DConfig
from core.runs.playground import build_run, draw_boundary
from core.pictures.frame_data import run_frame
from core.pictures.render import PlotBox
from ui import live_view
from ui.live_view import image_tag, live_image
N = st.session_state["frames"]
run = build_run(Playground2DConfig())
run.trainer.step(100)
run.trainer.evaluate()
slot_a, slot_b = st.empty(), st.empty()
res = {}
for name in ("canvas", "jpeg") * 2:  # twice: the first round warms up
    total = call = 0.0
    size = 0
    for i in range(N):
        t0 = time.perf_counter()
        if name == "canvas":
            data = run_frame(run)
            t1 = time.perf_counter()
            panels = [live_view.panel("boundary-live", data, label="boundary")]
            size += live_view.show(slot_a, panels, key="live", before="<div>status</div>")
        else:
            img = draw_boundary(run, frame=PlotBox())
            t1 = time.perf_counter()
            live_image(slot_b, img, "boundary-live", "boundary", before="<div>status</div>")
            size += len(image_tag(img, "boundary-live", "boundary"))
        t2 = time.perf_counter()
        total += t2 - t0
        call += t2 - t1
    res[name] = (total / N * 1e6, call / N * 1e6, size // N)
st.session_state["res"] = res
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=100)
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_string(SCRIPT, default_timeout=600)
    at.session_state["frames"] = args.frames
    at.run()
    if at.exception:
        print(at.exception)
        return 1
    print(f"{'live frame':12} {'frame µs':>9} {'element call µs':>16} {'bytes/frame':>11}")
    for name, (total, call, size) in at.session_state["res"].items():
        print(f"{name:12} {total:9.0f} {call:16.0f} {size:11d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
