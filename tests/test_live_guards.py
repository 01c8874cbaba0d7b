"""Every live page (2D, Regression, MNIST, Compare) has the same play-loop guards: one test per guard,
parametrised over the four pages (AppTest, reached through app.py as a visitor reaches them).

  1. a newer script run ends the loop, and the paused page is not one frame stale;
  2. a newer script run waits for the frame in progress (the page's RunTurn lock) before it touches the run;
  3. a busy process gives each page its fair share: the page counts as a player while its loop runs, and
     not after it (however it ends), and its training gets the busy budget;
  4. frames take turns in the process (core.serving.pace.FRAME_TURN), each under the page's RunTurn lock.

Nothing here compares a time or depends on the CPU: a newer script run is played by RunTurn.superseded (as
tests/test_pages_mnist.py's frames_then_pause does), a frame in progress by holding its lock from the test,
and every wait is on an event or a lock, with a bound that only a broken page reaches.
"""
from __future__ import annotations

import contextlib
import inspect
import math
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

import core.runs.mnist_run
import core.runs
from core.serving import pace
from core.serving.pace import FRAME_TURN, Pace, fair_share, players
from tests.support import MNIST_DIR, MNIST_TEST_FILES, need_data
from ui.common import RunTurn
from ui.live_view import shown_payload

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 120  # one script run (AppTest)
BOUND_S = 120  # the most a test waits for a script thread to reach a lock: only a broken page gets there
FRAMES = 3


@dataclass(frozen=True)
class Live:
    path: str
    state: str  # the page's session keys: f"{state}.run", ".playing", ".run_lock", ...
    counter: str  # the id of the element whose data-step shows the run's step
    query: dict  # small, fast settings
    mnist: bool = False  # needs the MNIST test split


PAGES = [
    pytest.param(Live("pages/1_playground_2d.py", "p2d", "epoch-counter", {"n_samples": "100"}), id="2d"),
    pytest.param(Live("pages/6_regression.py", "reg", "reg-counter", {"n_samples": "60"}), id="regression"),
    pytest.param(Live("pages/2_mnist.py", "mn", "mnist-counter", {"n_train": "1000", "hidden": "32"}, mnist=True),
                 id="mnist"),
    pytest.param(Live("pages/3_compare.py", "cmp", "compare-counter", {"kind": "2d", "runs": "2", "n_samples": "100"}),
                 id="compare"),
]


# ---- helpers ------------------------------------------------------------------------------------------------


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_page(page: Live, monkeypatch, tmp_path) -> AppTest:
    """The page as a visitor reaches it (the landing page first, the link's settings kept), paused."""
    if page.mnist:  # the official test split only, from shared/; nothing else on the machine
        need_data(all((MNIST_DIR / f).is_file() for f in MNIST_TEST_FILES),
                  f"MNIST test split not found in {MNIST_DIR}")
        empty = tmp_path / "data"
        empty.mkdir()
        monkeypatch.setenv("PLAYGROUND_EXTRA_DATA_DIRS", str(MNIST_DIR))
        monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(empty))
        monkeypatch.setenv("FASHION_MNIST_SYSTEM_DIR", str(empty / "no-fashion"))
        monkeypatch.setattr(core.runs.mnist_run, "EVAL_EVERY_SECONDS", 1e9)  # no live evaluation: every frame trains
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(page.query)
    at.run()
    assert_ok(at)
    at.switch_page(page.path).run()
    assert_ok(at)
    assert not at.session_state[f"{page.state}.playing"]
    return at


def play_button(at: AppTest, page: Live):
    return at.button(key=f"{page.state}.play_button")


def steps_of(held) -> int:
    """The step of a page's run (Compare: of its runs, which step in lockstep)."""
    runs = held["runs"] if isinstance(held, dict) else [held]
    steps = {r.trainer.steps for r in runs}
    assert len(steps) == 1, steps
    return steps.pop()


def session_steps(at: AppTest, page: Live) -> int:
    return steps_of(at.session_state[f"{page.state}.run"])


def shown_step(at: AppTest, page: Live) -> int:
    """The data-step of the page's counter, as the page drew it last (Markdown for MNIST and Compare, the live
    canvas's status line for 2D and Regression)."""
    texts = [m.value for m in at.markdown] + [shown_payload(e).get("before", "") for e in at.get("bidi_component")]
    found = [int(s) for text in texts for s in re.findall(rf'id="{page.counter}" data-step="(\d+)"', text)]
    assert len(found) == 1, f"#{page.counter}: {found}"
    return found[0]


def frame_turn_held() -> bool:
    return FRAME_TURN.held()


class FrameLog:
    """What each frame of a page's play loop sees, recorded in Pace.allowance (called once a frame, after the steps
    owed, before training) and in the page's training call (core.runs.advance_lockstep: 2D, Regression, Compare;
    core.runs.mnist_run.train_lockstep: MNIST). fail = (frame number, exception): the training of that frame raises it."""

    def __init__(self, monkeypatch, state: str):
        self.frames: list[dict] = []
        self.fail: tuple[int, BaseException] | None = None
        self.raised: list[BaseException] = []
        original = Pace.allowance

        def allowance_spy(pace, *args, **kwargs):
            out = original(pace, *args, **kwargs)
            self.frames.append({"players": players(), "frame_turn": frame_turn_held(),
                                "run_lock": st.session_state[f"{state}.run_lock"].locked(), "budget": out,
                                "trained": []})
            return out
        monkeypatch.setattr(Pace, "allowance", allowance_spy)
        for module, name in ((core.runs, "advance_lockstep"), (core.runs.mnist_run, "train_lockstep")):
            monkeypatch.setattr(module, name, self._spy(getattr(module, name)))

    def _spy(self, train):
        signature = inspect.signature(train)

        def spy(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            if self.frames:
                self.frames[-1]["trained"].append((bound.arguments["seconds"], bound.arguments.get("min_train_share")))
                if self.fail is not None and len(self.frames) == self.fail[0]:
                    self.raised.append(self.fail[1])
                    raise self.fail[1]
            return train(*args, **kwargs)
        return spy

    def end_after(self, monkeypatch, frames: int) -> None:
        """A Play ends after `frames` frames (counted here, whatever checks the loop makes) as when a newer script
        run supersedes it."""
        monkeypatch.setattr(RunTurn, "superseded", lambda turn: len(self.frames) >= frames)


class Background:
    """fn() in a thread (a script run that will wait for a lock the test holds); join() re-raises its error."""

    def __init__(self, fn):
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()

    def _run(self, fn) -> None:
        try:
            fn()
        except BaseException as err:  # re-raised in the test's thread
            self.error = err

    def join(self) -> None:
        self.thread.join(BOUND_S + TIMEOUT)
        assert not self.thread.is_alive(), "the script run did not end"
        if self.error is not None:
            raise self.error


class FrameFailed(RuntimeError):
    pass


# ---- 1. a newer script run ends the loop; the paused page is not stale ------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_a_newer_script_run_ends_the_loop_and_the_paused_page_is_not_one_frame_stale(page, monkeypatch, tmp_path):
    """A fast rerun (Pause) starts while the loop waits for its frame's turn: the loop must see it there and not
    train that frame, or the paused page (drawn by the newer run) shows a step the model has already left.
    Played by RunTurn.superseded: False until FRAMES frames have trained, then True from the check the loop
    makes holding its turn (turn.lock held), as when the newer run's token arrived while it waited."""
    at = open_page(page, monkeypatch, tmp_path)
    newer: dict[int, int | None] = {}  # turn -> the run's step when the newer script run arrived (None: never in turn)
    checks: dict[tuple[int, bool], int] = {}

    def superseded(turn) -> bool:
        key = id(turn)
        if key in newer:
            return True
        in_turn = turn.lock.locked()  # the check inside the frame's turn, before it computes
        n = checks[key, in_turn] = checks.get((key, in_turn), 0) + 1
        if in_turn and n > FRAMES:
            newer[key] = steps_of(st.session_state[f"{page.state}.run"])  # what the newer run's paused page shows
            return True
        if not in_turn and n > 2 * FRAMES + 5:  # bounded: a loop that never checks in its turn
            newer[key] = None
            return True
        return False
    monkeypatch.setattr(RunTurn, "superseded", superseded)

    play_button(at, page).click().run()
    assert_ok(at)
    assert at.session_state[f"{page.state}.playing"]
    (arrived_at,) = newer.values()
    assert arrived_at is not None, "the play loop never checked, in its frame's turn, for a newer script run"
    steps = session_steps(at, page)
    assert steps > 0  # the frames trained (each at least one step)
    assert steps == arrived_at, (f"a frame trained after a newer script run had started: the paused page shows step "
                                 f"{arrived_at}, the model is at {steps}")
    assert shown_step(at, page) == steps  # the last frame drawn is the model as it is

    play_button(at, page).click().run()  # Pause
    assert_ok(at)
    assert not at.session_state[f"{page.state}.playing"]
    assert session_steps(at, page) == steps
    assert shown_step(at, page) == steps


# ---- 2. a newer script run waits for the frame in progress --------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_a_newer_script_run_waits_for_the_frame_in_progress(page, monkeypatch, tmp_path):
    """While a frame of an older script run holds the session's run lock (RunTurn.lock, f"{state}.run_lock"), a new
    script run of the page does not touch the run (core.runs.update): it waits, and updates it under that lock
    once the frame is done. The lock is the session's own, seen through a wrapper; the test holds it."""
    at = open_page(page, monkeypatch, tmp_path)
    frame = threading.Lock()  # the session's run lock; held below as by a frame in progress
    events: list = []
    progress = threading.Event()  # the new script run wanted the lock, or touched the run

    class SeenLock:
        def acquire(self, *args, **kwargs):
            events.append("lock wanted")
            progress.set()
            return frame.acquire(*args, **kwargs)

        def release(self) -> None:
            frame.release()

        def locked(self) -> bool:
            return frame.locked()

        def __enter__(self):
            self.acquire()
            return self

        def __exit__(self, *exc) -> None:
            self.release()
    at.session_state[f"{page.state}.run_lock"] = SeenLock()
    original = core.runs.update

    def update(*args, **kwargs):
        events.append(("update", frame.locked()))
        progress.set()
        return original(*args, **kwargs)
    monkeypatch.setattr(core.runs, "update", update)

    frame.acquire()
    rerun = None
    try:
        rerun = Background(at.run)  # a new script run of the page (a widget change, a click)
        assert progress.wait(BOUND_S), "the new script run neither took the run lock nor updated the run"
        # it is blocked in acquire() now: nothing more can happen before the frame is done
        assert events == ["lock wanted"], f"the new script run touched the run before it had the lock: {events}"
    finally:
        events.append("frame done")
        frame.release()
        if rerun is not None:
            rerun.join()
    assert_ok(at)
    assert events[:3] == ["lock wanted", "frame done", ("update", True)], events
    assert ("update", False) not in events, events
    assert not frame.locked()


# ---- 3. a busy process gives each page its fair share ---------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_each_page_plays_as_a_player_with_its_fair_share_and_leaves_however_its_loop_ends(page, monkeypatch, tmp_path):
    """Another session plays in the process (more players than cores: a busy process). While the page's loop runs it
    counts as one more player, each frame's training gets the busy allowance (Pace.allowance: the session's fair part, all
    of it training), and the count is back when the loop ends: by a newer script run, by an error in a frame, by a
    stop (a closed tab: Streamlit's StopException at the next element update)."""
    at = open_page(page, monkeypatch, tmp_path)
    log = FrameLog(monkeypatch, page.state)
    log.end_after(monkeypatch, FRAMES)
    before = players()
    others = math.floor(pace.PROCESS_CORES)  # with this page: more players than the process has cores

    def check(frames: int, players_in_frame: int) -> None:
        assert len(log.frames) == frames, log.frames
        for f in log.frames:
            assert f["players"] == players_in_frame, f"the playing page is not counted as a player: {f}"
            seconds, share = f["budget"]
            assert share == 1.0, f"not the busy budget: {f}"  # the session's fair part of the cores, all of it training
            assert f["trained"], f"a frame did not train: {f}"
            assert all(s == seconds and t in (None, share) for s, t in f["trained"]), \
                f"the page's training did not get its frame's fair share {f['budget']}: {f['trained']}"

    with contextlib.ExitStack() as other_sessions:
        for _ in range(others):
            other_sessions.enter_context(fair_share())
        assert players() == before + others

        play_button(at, page).click().run()  # ends as a newer script run ends it
        assert_ok(at)
        check(FRAMES, before + others + 1)
        assert players() == before + others

        log.frames.clear()
        failed = FrameFailed("a frame failed")
        log.fail = (2, failed)
        at.run()  # still playing: the loop starts again, and its second frame raises
        assert log.raised == [failed] and len(at.exception) == 1  # (the app shows errors redacted)
        check(2, before + others + 1)
        assert players() == before + others

        log.frames.clear()
        stopped = StopException()
        log.fail = (2, stopped)
        at.run()  # the loop ends by Streamlit's stop
        assert_ok(at)
        assert log.raised == [failed, stopped]
        check(2, before + others + 1)
        assert players() == before + others
    assert players() == before
    assert not frame_turn_held() and not at.session_state[f"{page.state}.run_lock"].locked()


# ---- 4. frames take turns in the process ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_each_frame_takes_its_turn_in_the_process(page, monkeypatch, tmp_path):
    """Each frame computes holding core.serving.pace.FRAME_TURN (one frame at a time in the process) and the page's RunTurn
    lock; while another session's frame holds FRAME_TURN, the page's first frame waits for it."""
    at = open_page(page, monkeypatch, tmp_path)
    log = FrameLog(monkeypatch, page.state)
    log.end_after(monkeypatch, FRAMES)
    assert not frame_turn_held()
    button = play_button(at, page).click()

    FRAME_TURN.__enter__()  # another session's frame computes
    play = None
    try:
        play = Background(button.run)
        deadline = time.monotonic() + BOUND_S  # a bound only: a page that waits gets here at once
        while not FRAME_TURN.waiting() and not log.frames and play.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert FRAME_TURN.waiting() == 1, "the page's frame did not wait for its turn"
        assert not log.frames, "a frame computed while another session's frame held the turn"
    finally:
        FRAME_TURN.__exit__(None, None, None)
        if play is not None:
            play.join()
    assert_ok(at)
    assert at.session_state[f"{page.state}.playing"]
    assert len(log.frames) == FRAMES, log.frames
    assert all(f["frame_turn"] for f in log.frames), "a frame computed without FRAME_TURN"
    assert all(f["run_lock"] for f in log.frames), "a frame computed without the page's RunTurn lock"
    assert not frame_turn_held() and not at.session_state[f"{page.state}.run_lock"].locked()
