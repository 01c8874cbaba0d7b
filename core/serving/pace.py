"""Serving a class: each live frame's time budget, and the pace of training by the clock.

Below, in this order: the frame budget (chunks of steps until a deadline), then the pace (how many
steps a frame owes, frame turns among sessions, fair share of the cores).

Training pace by the clock, not by the frame: a lesson's speed holds when frames come slower.

On a busy classroom server a student gets fewer frames per second; if every frame trained a fixed
number of steps, the lesson would slow down with the class. A Pace owes steps for the wall time
since its last frame (speed × seconds, fractions carried over), so a slow frame trains more steps.
A long stall (a paused tab, a server hiccup) is not paid back in one burst: at most CATCH_UP_S
seconds of steps per frame. The frame's time budget (above) still bounds the work.
"""
from __future__ import annotations

import gc
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Sequence


# The shared server's budget: training per live frame is bounded by time, one BLAS/OpenMP thread.
#
# A frame trains in chunks of steps until a deadline. The first chunk of every frame is ONE step,
# so a model made bigger since the last frame (depth, width, full batch) is measured before it can
# overrun; each next chunk is sized from the last chunk's measured time per step, growing at most
# GROWTH-fold. A small model still does all the steps it wants; a big one does fewer, and the page
# says so after SLOW_FRAMES frames in a row. Several runs in lockstep share one deadline and all
# do the same number of steps. Pause and other widgets act at the next element update, so a
# bounded frame is also what makes them responsive.

FRAME_SECONDS = 0.1   # CPU time of a live frame: training, evaluation, boundary drawing (2D, Compare)
# Frame budgets and timings count this thread's CPU time, not wall time: a class shares one process
# (one GIL), where wall time inflates with every other student's frames and would starve them all.
FRAME_CLOCK = time.thread_time
PROCESS_CORES = 1.0   # what one server process can use: its Python code holds one GIL
GROWTH = 4            # a chunk is at most this many times the previous one
FILL = 0.8            # a chunk aims at this share of the time left (measurements are noisy)
# A budget this short is filled by one guessed chunk, not half of it first: each step() call has a
# fixed cost (checkpoint, fast-path views, finiteness check) that a busy class's few-millisecond
# frames cannot pay three times.
ONE_CHUNK_BELOW_S = 0.01
SLOW_FRAMES = 10      # frames in a row short of the wanted steps before the page says so

Clock = Callable[[], float]


@dataclass
class FrameResult:
    done: int          # steps done in this frame
    wanted: int | None  # steps asked for (None: as many as the time allows)
    seconds: float     # training time spent (clock units)
    per_step: float | None = None  # the last chunk's time per step: the next frame's first guess


def run_chunks(step: Callable[[int], int], wanted: int | None, seconds: float | None,
               clock: Clock = time.perf_counter, per_step_guess: float | None = None) -> FrameResult:
    """Call step(k) (returns steps done; 0 = stop, e.g. diverged) until `wanted` steps are done or
    `seconds` have passed. At least one step is tried, so every frame makes progress.
    seconds=None: no deadline (wanted steps in one call).
    per_step_guess: the same model's time per step in the last frame; the first chunk then fills
    half the budget at once (all of a budget under ONE_CHUNK_BELOW_S) instead of starting from one
    step (each call has a fixed cost)."""
    start = clock()
    if seconds is None:
        if wanted is None:
            raise ValueError("either wanted steps or a time budget")
        return FrameResult(step(wanted) if wanted > 0 else 0, wanted, clock() - start)
    deadline = start + seconds
    done, chunk, per_step = 0, 0, None
    while wanted is None or done < wanted:
        now = clock()
        left = deadline - now
        if done and (left <= 0 or (per_step is not None and per_step > left)):
            break  # the next step would end after the deadline
        if per_step is None:
            first_share = 1.0 if left < ONE_CHUNK_BELOW_S else 0.5
            k = max(1, int(left * FILL * first_share / per_step_guess)) if per_step_guess else 1
        else:
            k = max(1, min(int(left * FILL / per_step) if per_step > 0 else chunk * GROWTH, chunk * GROWTH))
        if wanted is not None:
            k = min(k, wanted - done)
        n = step(k)
        elapsed = clock() - now
        if n <= 0:
            break
        done += n
        chunk, per_step = n, elapsed / n
    return FrameResult(done, wanted, clock() - start, per_step)


def lockstep_step(trainers: Sequence) -> Callable[[int], int]:
    """One step function for several trainers: each live one advances k steps per call, so all
    that have not diverged keep equal step counts; 0 once every one has diverged."""
    def step(k: int) -> int:
        progressed = [t.step(k) for t in trainers if t.diverged is None]
        return k if any(progressed) else 0
    return step


DRAW_MEMORY = 0.9  # per frame: a costly drawing keeps room in the next frames' budgets for a while


def note_drawing(timings: dict, ms: float) -> None:
    """A frame's drawing time (draw_ms), and the decaying peak (draw_peak_ms) the next frames' training
    leaves room for: a side view or region count redrawn a few times a second is not in every frame, but
    the frame it lands in must still fit."""
    timings["draw_ms"] = ms
    timings["draw_peak_ms"] = max(ms, DRAW_MEMORY * timings.get("draw_peak_ms", 0.0))


@contextmanager
def drawing(timings: dict):
    """A frame's drawing, timed into the run's timings (note_drawing), with the whole frame's time."""
    start = FRAME_CLOCK()
    yield
    note_drawing(timings, (FRAME_CLOCK() - start) * 1000)
    timings["frame_ms"] = timings["draw_ms"] + timings["train_ms"]


def record(timings: dict, result: FrameResult) -> None:
    """Steps done vs wanted in a run's timings; short_frames counts frames in a row that fell short."""
    timings["steps"] = result.done
    timings["wanted"] = result.wanted
    short = result.wanted is not None and result.done < result.wanted
    timings["short_frames"] = timings.get("short_frames", 0) + 1 if short else 0


def too_slow(timings: dict) -> bool:
    """True when the model has been too big for the chosen live speed for SLOW_FRAMES frames."""
    return timings.get("short_frames", 0) >= SLOW_FRAMES


# ---- threads ----
_limit_lock = threading.Lock()
_limiter = None  # kept: threadpoolctl restores the old limits when its limiter is closed


def limit_threads() -> None:
    """One BLAS (numpy's OpenBLAS) and OpenMP thread for this process, set once.

    torch.set_num_threads(1) leaves numpy's BLAS pool alone, so one session's numpy steps
    could take every core of the shared server."""
    global _limiter
    with _limit_lock:
        if _limiter is None:
            from threadpoolctl import OpenBLASController, threadpool_limits
            # threadpoolctl lets only one thread set OpenBLAS's (process-wide) pool, by default the
            # first that tried; Streamlit runs scripts in their own threads: take control here.
            OpenBLASController.clear_controlling_thread(force=True)
            _limiter = threadpool_limits(limits=1)


# ---- garbage collection ----
_frozen = False


def freeze_startup_objects() -> None:
    """Move the objects the libraries made at import (hundreds of thousands with torch) out of the
    collector's reach, once per process. A full collection walks them all while holding the GIL,
    and meanwhile no student's frame moves. (Streamlit's own collection after every script run is off in
    .streamlit/config.toml, runner.postScriptGC, for the same reason.)"""
    global _frozen
    with _limit_lock:
        if not _frozen:
            import torch._dynamo  # noqa: F401  torch.optim imports it on the first optimizer: do it now
            gc.collect()
            gc.freeze()
            _frozen = True


CATCH_UP_S = 0.5  # the most wall time one frame pays steps for
TRAIN_SHARE = 0.5  # of a frame's budget, what training keeps whatever drawing costs
# In a busy process (more players than cores), the part of a session's fair slice of the cores that
# trains; the rest shows frames. Chosen so that a full class (15 per core) still trains faster than a
# lesson needs and still sees its frames move; bench/bench_classroom.py measures both.
BUSY_TRAIN_SHARE = 0.375


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

    def wait(self, until: Callable[[], bool] | None = None, poll: float = 0.01) -> None:
        """Sleep until the next frame is due, or until until() (asked every `poll` s) is true: a loop that
        ends for it then ends at once, not a frame later."""
        self._next += self.period
        delay = self._next - self.clock()
        if delay <= 0:
            self._next = self.clock()
            return
        while delay > 0 and not (until is not None and until()):
            self.sleep(delay if until is None else min(delay, poll))
            delay = self._next - self.clock()


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
