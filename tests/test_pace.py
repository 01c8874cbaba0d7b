"""Training pace by the clock and the fair share of a busy server (core/serving/pace.py)."""
from __future__ import annotations

import threading
import time

import pytest

from core.serving.pace import (BUSY_TRAIN_SHARE, busy, CATCH_UP_S, TRAIN_SHARE, Pace, Ticker, TurnLock, curve_period, fair_share,
                       players)


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_first_frame_is_one_frames_worth_then_the_clock_decides():
    clock = FakeClock()
    pace = Pace(300, fps=25, clock=clock)
    assert pace.due() == 12  # 300 / 25
    clock.t += 0.04
    assert pace.due() == 12
    clock.t += 0.1  # a slow frame (busy server): more steps, the lesson's speed holds
    assert pace.due() == 30


def test_fractions_carry_over_so_slow_speeds_keep_their_rate():
    clock = FakeClock()
    pace = Pace(60, fps=25, clock=clock)  # 2.4 steps a frame
    total = pace.due()
    for _ in range(99):
        clock.t += 0.04
        total += pace.due()
    assert total == pytest.approx(60 * 4.0, abs=3)  # 100 frames = 4 s of a 60 steps/s lesson


def test_a_long_stall_is_not_paid_back_in_one_burst():
    clock = FakeClock()
    pace = Pace(300, fps=25, clock=clock)
    pace.due()
    clock.t += 30.0
    assert pace.due() == int(300 * CATCH_UP_S)
    clock.t -= 5.0  # a clock that went back never owes negative steps
    assert pace.due() == 1


def test_the_frame_budget_is_whole_alone_and_a_fair_part_of_the_cores_in_a_busy_process():
    clock = FakeClock()
    pace = Pace(300, fps=25, clock=clock)
    pace.due()
    clock.t += 0.08
    pace.due()
    # the cores go round: the whole frame budget, evaluation and drawing inside, half kept for training
    assert pace.allowance(0.1, 1.0, n_players=1) == (0.1, TRAIN_SHARE)
    assert pace.allowance(0.1, 2.0, n_players=2) == (0.1, TRAIN_SHARE)
    assert pace.allowance(0.1, 1.0, n_players=0) == (0.1, TRAIN_SHARE)
    # 15 players on one core: a third of 1/15 core for the 0.08 s just paid for, all of it training
    seconds, share = pace.allowance(0.1, 1.0, n_players=15)
    assert share == 1.0 and seconds == pytest.approx(BUSY_TRAIN_SHARE / 15 * 0.08)
    assert pace.allowance(0.1, 2.0, n_players=30)[0] == pytest.approx(seconds)  # per core, the same class
    # a slow frame owes more wall time, so more training (the lesson's pace per wall second holds)
    clock.t += 0.16
    pace.due()
    assert pace.allowance(0.1, 1.0, n_players=15)[0] == pytest.approx(2 * seconds)
    # a long stall pays at most CATCH_UP_S of steps, and never more than the frame budget
    clock.t += 60
    pace.due()
    assert pace.allowance(0.1, 1.0, n_players=15)[0] == pytest.approx(BUSY_TRAIN_SHARE / 15 * CATCH_UP_S)
    assert pace.allowance(0.1, 3.0, n_players=4)[0] == 0.1
    assert not busy(1.0, n_players=1) and busy(1.0, n_players=2) and not busy(2.0, n_players=2)  # 1/3 × 3/4 × 0.5 s: more than a frame


def test_fair_share_counts_players_and_releases_on_exceptions():
    base = players()
    started, release = threading.Barrier(4), threading.Event()

    def play():
        with fair_share():
            started.wait(5)
            release.wait(5)

    threads = [threading.Thread(target=play) for _ in range(3)]
    for t in threads:
        t.start()
    started.wait(5)
    assert players() == base + 3
    release.set()
    for t in threads:
        t.join(5)
    assert players() == base
    with pytest.raises(RuntimeError):
        with fair_share():
            assert players() == base + 1
            raise RuntimeError("a rerun ends the live loop by an exception")
    assert players() == base


def test_curves_are_redrawn_less_often_while_many_play():
    assert curve_period(n_players=1) == 0.2
    assert curve_period(n_players=0) == 0.2
    assert curve_period(n_players=3) == pytest.approx(0.6)
    assert curve_period(n_players=30) == 2.0  # a full class: every 2 s


def test_turn_lock_serves_frames_first_come_first_served():
    lock, order, arrived = TurnLock(), [], []
    lock.__enter__()  # a frame is computing: the others queue behind it

    def frame(i):
        arrived.append(i)
        with lock:
            order.append(i)

    threads = []
    for i in range(5):
        t = threading.Thread(target=frame, args=(i,))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 5
        while lock.waiting() < i + 1 and time.monotonic() < deadline:  # queued before the next arrives
            time.sleep(0.001)
    assert lock.waiting() == 5
    lock.__exit__(None, None, None)
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4] and lock.waiting() == 0
    with pytest.raises(RuntimeError):  # a rerun ends a frame by an exception: the turn passes on
        with lock:
            raise RuntimeError
    with lock:
        pass


def ticking(fps: float = 25):
    """A Ticker on a fake clock that its sleeps move on, and the list of those sleeps."""
    clock, slept = FakeClock(), []

    def sleep(s):
        slept.append(round(s, 6))
        clock.t += s

    return Ticker(fps=fps, clock=clock, sleep=sleep), clock, slept


def test_ticker_keeps_the_frame_rhythm_without_bursts_and_spaces_the_curves():
    ticker, clock, slept = ticking()
    clock.t += 0.01  # a frame's work
    ticker.wait()
    assert slept == [0.03]  # the rest of the 40 ms period
    clock.t += 0.1  # a slow frame: no sleep, and the next period starts from now (no burst)
    ticker.wait()
    clock.t += 0.01
    ticker.wait()
    assert slept == [0.03, 0.03]
    # curves: due curve_period() (0.2 s for one player) after the last drawing, here the start
    assert ticker.curves_due() is False  # 0.18 s since the start
    clock.t += 0.03
    assert ticker.curves_due() is True and ticker.curves_due() is False


def test_a_ticker_wait_ends_early_once_asked_and_keeps_the_period_otherwise():
    """The play loop's wait ends within a poll once a click's rerun waits (ui/live_view.rerun_waiting)."""
    ticker, clock, slept = ticking()
    ticker.wait(until=lambda: False)
    assert slept == [0.01] * 4  # the whole 40 ms period, in polls
    slept.clear()
    start = clock.t
    ticker.wait(until=lambda: clock.t - start >= 0.015)  # asked 15 ms into the period
    assert slept == [0.01, 0.01] and round(clock.t - start, 6) == 0.02
    slept.clear()
    ticker.wait(until=lambda: True)  # already asked: no sleep at all
    assert slept == []
