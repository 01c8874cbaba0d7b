"""Which project files one live 2D frame passes through, from the play loop to the canvas.

Run: .venv/bin/python tools/frame_files.py
Opens the 2D page headless (Streamlit's AppTest), presses Play and records, with sys.settrace, every
project file whose code runs inside ui/live_view.py's play loop, over the first frames until one has
redrawn the curves too (ui/live_canvas.js, run in the browser, comes on top).
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.common import RunTurn  # noqa: E402


def in_play_loop(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "play_loop" and frame.f_code.co_filename.endswith("ui/live_view.py"):
            return True
        frame = frame.f_back
    return False


def frame_files(time_limit_s: float = 30.0) -> tuple[list[str], bool]:
    """The project files the 2D page's play loop passes through, in first-call order, over its first
    frames until one has redrawn the curves too (they are due a few times a second), and whether one did.
    The time limit only bounds the loop."""
    seen: list[str] = []
    called: set[str] = set()

    def trace(frame, event, arg):
        path = frame.f_code.co_filename
        if event == "call" and path.startswith(str(ROOT)) and "/.venv/" not in path and path != __file__ \
                and in_play_loop(frame):
            called.add(frame.f_code.co_name)
            rel = str(Path(path).relative_to(ROOT))
            if rel not in seen:
                seen.append(rel)

    deadline = time.monotonic() + time_limit_s

    def stop_after_curves(turn) -> bool:
        return "curves_html" in called or time.monotonic() > deadline

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/1_playground_2d.py").run()
    superseded = RunTurn.superseded
    RunTurn.superseded = stop_after_curves
    threading.settrace(trace)
    try:
        at.button(key="p2d.play_button").click().run()
    finally:
        threading.settrace(None)
        RunTurn.superseded = superseded
    return seen, "curves_html" in called


def main() -> None:
    seen, curves = frame_files()
    print(f"{len(seen)} Python files in the first frames of the play loop, "
          f"{'curves included' if curves else 'NO curves frame within the time limit'} "
          f"(+ ui/live_canvas.js in the browser):")
    for path in seen:
        print("  ", path)


if __name__ == "__main__":
    main()
