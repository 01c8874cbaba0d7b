"""Training pace by the clock, not by the frame: a lesson's speed holds when frames come slower.

On a busy classroom server a student gets fewer frames per second; if every frame trained a fixed
number of steps, the lesson would slow down with the class. A Pace owes steps for the wall time
since its last frame (speed × seconds, fractions carried over), so a slow frame trains more steps.
A long stall (a paused tab, a server hiccup) is not paid back in one burst: at most CATCH_UP_S
seconds of steps per frame. The frame's time budget (core/serving/budget.py) still bounds the work.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable

from core.serving.budget import FRAME_SECONDS, PROCESS_CORES

CATCH_UP_S = 0.5  # the most wall time one frame pays steps for
TRAIN_SHARE = 0.5  # of a frame's budget, what training keeps whatever drawing costs
# In a busy process (more players than cores), the part of a session's fair slice of the cores that
# trains; the rest shows frames. Chosen so that a full class (15 per core) still trains faster than a
# lesson needs and still sees its frames move; bench/bench_classroom.py measures both.
BUSY_TRAIN_SHARE = 0.375

Clock = Callable[[], float]


class Pace:
    def __init__(self, steps_per_second: float, fps: float, clock: Clock = time.perf_counter):
        self.rate = steps_per_second
        self.fps = fps
        self.clock = clock
        self._last: float | None = None
        self._carry = 0.0
        self.elapsed = 1.0 / fps  # wall seconds the last due() paid steps for

    def due(self) -> int:
        """Steps owed now: one frame's worth on the first call, then speed × elapsed (≥ 1)."""
        now = self.clock()
        elapsed = 1.0 / self.fps if self._last is None else min(now - self._last, CATCH_UP_S)
        self._last = now
        self.elapsed = max(elapsed, 0.0)
        owed = self.rate * max(elapsed, 0.0) + self._carry
        steps = max(1, int(owed))
        self._carry = max(0.0, owed - steps)
        return steps

    def allowance(self, seconds: float = FRAME_SECONDS, cores: float = PROCESS_CORES,
               n_players: int | None = None) -> tuple[float, float]:
        """(CPU seconds, min_train_share) for this frame's core.runs.advance, after due().
        While the cores go round: the whole frame budget, evaluation and drawing included, half of it
        kept for training. In a busy process: BUSY_TRAIN_SHARE of this session's fair part of the
        cores for the wall time just paid for, all of it training (the rest is for its frames), so one
        student at "fastest" cannot starve the class and a full class still sees frames."""
        n = players() if n_players is None else n_players
        if not busy(cores, n):
            return seconds, TRAIN_SHARE
        return min(seconds, BUSY_TRAIN_SHARE * cores / n * self.elapsed), 1.0


class Ticker:
    """A live loop's rhythm: a frame every 1/fps s (sleeping the rest of the period; a loop that fell
    behind starts afresh instead of catching up in a burst), and whether the curves are due."""

    def __init__(self, fps: float, clock: Clock = time.perf_counter, sleep: Callable[[float], None] = time.sleep):
        self.period, self.clock, self.sleep = 1.0 / fps, clock, sleep
        self._next = self._curves_at = clock()

    def curves_due(self) -> bool:
        """True at most every curve_period() s (the caller then redraws them)."""
        now = self.clock()
        if now - self._curves_at < curve_period():
            return False
        self._curves_at = now
        return True

    def wait(self) -> None:
        """Sleep until the next frame is due."""
        self._next += self.period
        delay = self._next - self.clock()
        if delay > 0:
            self.sleep(delay)
        else:
            self._next = self.clock()


# ---- fair share: every playing session in this process gets its part of the cores ----
_players_lock = threading.Lock()
_players = 0


@contextmanager
def fair_share():
    """Count this session as playing while its live loop runs (the loop ends by an exception:
    a rerun or a closed tab, so the count must be released in a finally)."""
    global _players
    with _players_lock:
        _players += 1
    try:
        yield
    finally:
        with _players_lock:
            _players -= 1


def players() -> int:
    return _players


def busy(cores: float = PROCESS_CORES, n_players: int | None = None) -> bool:
    """More sessions play in this process than it has cores: each frame is paid for by the others."""
    return (players() if n_players is None else n_players) > cores


def curve_period(base: float = 0.2, longest: float = 2.0, n_players: int | None = None) -> float:
    """Seconds between redraws of the live curves (two pictures, drawn on the server's CPU): `base`
    for one student, longer while many play in this process, at most `longest` (a full class
    redrawing its curves often takes CPU its frames need, and the frames come first)."""
    n = players() if n_players is None else n_players
    return min(longest, base * max(1, n))


# ---- taking turns: one live frame computes at a time in this process ----
class TurnLock:
    """A first-come, first-served lock. Live frames compute (train, evaluate, build the frame) one
    at a time: when 30 script threads fight for the GIL instead, every small numpy/torch call that
    releases it waits for the others, and the process does half the frames for the same CPU
    (bench/bench_classroom.py). In turn, each gets an equal share: no student starves the class."""

    def __init__(self):
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Event] = deque()

    def __enter__(self) -> "TurnLock":
        with self._lock:
            if not self._busy:
                self._busy = True
                return self
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the holder hands the lock over directly: no race to re-take it
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False

    def waiting(self) -> int:
        return len(self._waiting)

    def held(self) -> bool:
        with self._lock:
            return self._busy


FRAME_TURN = TurnLock()  # the live 2D and Compare frames of every session in this process
