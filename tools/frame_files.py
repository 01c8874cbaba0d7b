"""Which project files one live 2D frame passes through, from the play loop to the canvas.

Run: .venv/bin/python tools/frame_files.py
Opens the 2D page headless (Streamlit's AppTest), presses Play for one frame and records, with
sys.settrace, every project file whose code runs inside ui/play_loop.py's loop (ui/live_canvas.js,
run in the browser, comes on top).
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.common import RunTurn  # noqa: E402


def in_play_loop(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "play_loop" and frame.f_code.co_filename.endswith("ui/play_loop.py"):
            return True
        frame = frame.f_back
    return False


def main() -> None:
    seen: list[str] = []
    checks = {"n": 0}

    def trace(frame, event, arg):
        path = frame.f_code.co_filename
        if event == "call" and path.startswith(str(ROOT)) and "/.venv/" not in path and path != __file__ \
                and in_play_loop(frame):
            rel = str(Path(path).relative_to(ROOT))
            if rel not in seen:
                seen.append(rel)

    def one_frame(turn) -> bool:  # the loop checks twice a frame: the third check ends it
        checks["n"] += 1
        return checks["n"] > 2

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/1_playground_2d.py").run()
    RunTurn.superseded = one_frame
    threading.settrace(trace)
    at.button(key="p2d.play_button").click().run()
    threading.settrace(None)
    print(f"{len(seen)} Python files in one frame of the play loop (+ ui/live_canvas.js in the browser):")
    for path in seen:
        print("  ", path)


if __name__ == "__main__":
    main()
