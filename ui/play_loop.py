"""The one play loop of every live page (2D, Regression, Compare, MNIST).

One long script run: a widget change interrupts it (rerun) and the run object in session state
carries on; a closed tab stops it (Streamlit raises at the next element update). While it plays,
the session counts as a player (fair_share), each frame computes in turn with every other
session's (FRAME_TURN) and with this session's newer script runs (RunTurn), and the loop ends at
the frame after a newer script run of the page has started. Each frame's server CPU time is shown
in a hidden marker (#frame-cpu: updated with the curves, and at once for a new longest frame), which
bench/bench_hostile.py reads.
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from core.serving.budget import FRAME_CLOCK
from core.serving.pace import FRAME_TURN, Pace, Ticker, fair_share
from ui.common import RunTurn


def play_loop(turn: RunTurn, fps: float, frame: Callable[[bool], None], stop: Callable[[], bool],
              on_stop: Callable[[], None] | None = None, marker=None) -> None:
    """Call frame(curves_due) fps times a second until stop() (then on_stop(), e.g. a message, and a
    rerun that shows the paused page) or a newer script run. `marker`: an st.empty() for #frame-cpu."""
    ticker = Ticker(fps)
    marker = marker if marker is not None else st.empty()
    longest = 0.0
    with fair_share():
        while not turn.superseded():
            if stop():
                if on_stop is not None:
                    on_stop()
                st.rerun()
            curves = ticker.curves_due()  # curves change slowly: 5 times a second, less in a full class
            with FRAME_TURN, turn.lock:  # one frame computes at a time in this process (core/serving/pace.py)
                if turn.superseded():  # (while this thread waited for its turn)
                    break
                start = FRAME_CLOCK()
                frame(curves)
                ms = (FRAME_CLOCK() - start) * 1000
            if curves or ms > longest:  # a few times a second, not one more element update every frame
                longest = max(longest, ms)
                marker.html(f'<span id="frame-cpu" data-last-ms="{ms:.1f}" data-longest-ms="{longest:.1f}" '
                            'style="display:none"></span>')
            ticker.wait()


def play_paced(turn: RunTurn, fps: float, steps_per_second: float, train: Callable[[int, float, float], None],
               show: Callable[[bool], None], stop: Callable[[], bool], on_stop: Callable[[], None] | None = None) -> None:
    """play_loop with steps owed by the clock (a busy server shows fewer frames, not a slower lesson):
    each frame calls train(steps owed, CPU seconds, least share of them for training) within this session's
    fair share of the process while others play (core/serving/pace.py), then show(curves_due)."""
    pace = Pace(steps_per_second, fps)

    def frame(curves: bool) -> None:
        steps = pace.due()
        seconds, train_share = pace.allowance()
        train(steps, seconds, train_share)
        show(curves)
    play_loop(turn, fps, frame, stop, on_stop)
