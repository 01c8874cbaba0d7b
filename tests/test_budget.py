"""The shared server's budget: time-bounded frames, one BLAS thread,
history weights within a memory budget, MNIST views once per trained state.

Time is a fake clock that each (real) training step moves on by a fixed cost, so the expected
step counts are computed by hand and nothing depends on this machine's speed. Costs are powers
of two (1/64 s) so the clock's sums are exact.
"""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
import torch

from core.serving import pace
from core.serving.pace import ONE_CHUNK_BELOW_S, FrameResult, lockstep_step, record, run_chunks, too_slow
from core.runs.config import Playground2DConfig
from core.app.run_store import RunStore, tensor_bytes, weights_of
from core.data.mnist_data import ImageData
from core.runs.mnist_run import (EVAL_PIECE, MnistConfig, build_mnist_run, calibration, confusion, eval_due, flipped_examples,
                            live_frame, misclassified, pca_slice, state_key, train_for, train_lockstep)
from core.runs.playground import build_run
from core.runs import advance, advance_lockstep
from core.learning.trainer import History

ROOT = Path(__file__).resolve().parents[1]
TICK = 1 / 64  # seconds per step of the fake clock: exact in binary
SMALL = Playground2DConfig(n_samples=60, width=6, depth=1, batch_size=8, lr=0.05)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def slow_steps(trainer, clock: FakeClock, cost: float, calls: list | None = None):
    """Make each real step of `trainer` cost `cost` seconds of the fake clock; log chunk sizes."""
    real = trainer.step

    def step(n=1):
        done = real(n)
        clock.now += cost * n
        if calls is not None:
            calls.append(n)
        return done
    trainer.step = step


def counting_step(clock: FakeClock, cost: float, calls: list, fail_at: int | None = None):
    """A bare step function: k steps cost k*cost; returns 0 (diverged) on its fail_at-th call."""
    def step(k):
        calls.append(k)
        clock.now += cost * k
        return 0 if fail_at is not None and len(calls) == fail_at else k
    return step


# ---- core/serving/pace.py: run_chunks ---------------------------------------------------------------------


def test_heavy_steps_stop_at_the_deadline():
    clock, calls = FakeClock(), []
    # 1 step (1/64), then 7/64 left: 0.8*7 = 5.6 steps fit, capped at 4x1; then 3/64 left: 2 steps;
    # then 1/64 left: one more step fits exactly; then 0 left.
    result = run_chunks(counting_step(clock, TICK, calls), wanted=96, seconds=8 * TICK, clock=clock)
    assert calls == [1, 4, 2, 1]
    assert result == FrameResult(done=8, wanted=96, seconds=8 * TICK, per_step=TICK)


def test_last_frames_time_per_step_sizes_the_first_chunk():
    clock, calls = FakeClock(), []
    # the guess (1/64 a step) fills half the budget at once: 0.8*8/2 = 3 steps, then as before
    result = run_chunks(counting_step(clock, TICK, calls), wanted=96, seconds=8 * TICK, clock=clock,
                        per_step_guess=TICK)
    assert calls == [3, 4, 1] and result.done == 8 and result.per_step == TICK
    assert clock.now <= 8 * TICK


def test_a_short_budget_is_filled_by_one_guessed_chunk():
    """A busy class's frames train a few milliseconds: one step() call, not three (each has a fixed cost)."""
    clock, calls = FakeClock(), []
    step = ONE_CHUNK_BELOW_S / 10
    result = run_chunks(counting_step(clock, step, calls), wanted=96, seconds=5 * step, clock=clock,
                        per_step_guess=step)
    assert calls[0] == 4 and result.done == 5  # 0.8 * 5 steps at once, then the one that still fits
    assert clock.now <= 5 * step + 1e-12


def test_a_step_that_would_end_after_the_deadline_is_not_started():
    clock, calls = FakeClock(), []
    # 3/8 s per step, 1 s budget: after two steps 1/4 s is left, less than a step
    result = run_chunks(counting_step(clock, 0.375, calls), wanted=None, seconds=1.0, clock=clock)
    assert calls == [1, 1] and result.done == 2 and clock.now == 0.75


def test_small_steps_do_everything_wanted_in_growing_chunks():
    clock, calls = FakeClock(), []
    result = run_chunks(counting_step(clock, 1 / 8192, calls), wanted=96, seconds=0.125, clock=clock)
    assert calls == [1, 4, 16, 64, 11]  # grows 4x per chunk, the last one is what is left
    assert result.done == 96


def test_a_step_longer_than_the_budget_still_happens_once():
    clock, calls = FakeClock(), []
    result = run_chunks(counting_step(clock, 0.25, calls), wanted=10, seconds=0.125, clock=clock)
    assert calls == [1] and result.done == 1


def test_divergence_stops_the_frame_and_keeps_the_steps_before():
    clock, calls = FakeClock(), []
    result = run_chunks(counting_step(clock, 1 / 8192, calls, fail_at=3), wanted=96, seconds=0.125, clock=clock)
    assert calls == [1, 4, 16] and result.done == 5


def test_no_deadline_means_one_call():
    clock, calls = FakeClock(), []
    assert run_chunks(counting_step(clock, 1.0, calls), wanted=7, seconds=None, clock=clock).done == 7
    assert calls == [7]
    with pytest.raises(ValueError):
        run_chunks(counting_step(clock, 1.0, calls), wanted=None, seconds=None, clock=clock)


def test_short_frames_are_counted_until_a_full_one():
    timings = {}
    for i in range(pace.SLOW_FRAMES):
        assert not too_slow(timings)
        record(timings, FrameResult(done=3, wanted=96, seconds=0.1))
    assert too_slow(timings) and timings["short_frames"] == pace.SLOW_FRAMES
    assert (timings["steps"], timings["wanted"]) == (3, 96)
    record(timings, FrameResult(done=96, wanted=96, seconds=0.01))
    assert not too_slow(timings) and timings["short_frames"] == 0
    record(timings, FrameResult(done=5, wanted=None, seconds=0.4))  # time-budgeted pages want no count
    assert timings["short_frames"] == 0


# ---- the 2D page's advance and the Compare page's lockstep ------------------------------------------


def test_advance_bounds_a_heavy_frame():
    run = build_run(SMALL)
    clock, calls = FakeClock(), []
    slow_steps(run.trainer, clock, TICK, calls)
    done = advance(run, 96, seconds=8 * TICK, clock=clock)
    assert done == 8 and calls == [1, 4, 2, 1]
    assert run.trainer.steps == 8
    assert run.timings["steps"] == 8 and run.timings["wanted"] == 96 and run.timings["short_frames"] == 1
    assert clock.now == 8 * TICK
    assert len(run.trainer.history) == 2 and run.trainer.history.step[-1] == 8  # evaluated after the steps


def test_advance_leaves_time_for_the_evaluation_measured_last_frame():
    run = build_run(SMALL)
    clock = FakeClock()
    slow_steps(run.trainer, clock, TICK)
    evaluate = run.trainer.evaluate

    def slow_evaluate():
        clock.now += 2 * TICK
        return evaluate()
    run.trainer.evaluate = slow_evaluate
    assert advance(run, 96, seconds=8 * TICK, clock=clock) == 8  # the first frame knows no evaluation cost
    assert run.timings["eval_ms"] == 2 * TICK * 1000
    clock.now = 0.0
    assert advance(run, 96, seconds=8 * TICK, clock=clock) == 6  # 8 ticks less 2 for the evaluation
    assert clock.now == 8 * TICK


def test_advance_does_every_wanted_step_of_a_small_model():
    run = build_run(SMALL)
    clock = FakeClock()
    slow_steps(run.trainer, clock, 1 / 8192)
    assert advance(run, 96, seconds=0.1, clock=clock) == 96
    assert run.trainer.steps == 96 and run.timings["short_frames"] == 0


def test_advance_without_budget_and_after_divergence():
    run = build_run(SMALL)
    assert advance(run, 5, seconds=None) == 5 and run.trainer.steps == 5
    run.trainer.configure(loss="exponential", optimizer="sgd")
    run.trainer.set_lr(1e30)
    run.trainer.step(10)
    assert run.trainer.diverged is not None
    assert advance(run, 5) == 0 and run.trainer.steps == 5


def test_a_diverging_frame_rolls_back_to_its_start():
    """Chunks must not change what a divergence keeps: the weights from before the frame, so that a
    lower learning rate can cure it (the steps before the NaN were already heading there)."""
    run = build_run(SMALL.replace(dataset="xor", model="logistic", loss="exponential", optimizer="sgd"))
    assert advance(run, 3, seconds=None) == 3
    before = [p.detach().clone() for p in run.trainer.model.parameters()]
    run.trainer.set_lr(1e30)
    clock, calls = FakeClock(), []
    slow_steps(run.trainer, clock, 1 / 8192, calls)
    assert advance(run, 20, seconds=0.1, clock=clock) == 0
    assert len(calls) >= 2  # several chunks ran (a single call would roll back by itself)
    d = run.trainer.diverged
    assert d is not None and d.restored_step == 3 and run.trainer.steps == 3
    assert all(torch.equal(p, b) for p, b in zip(run.trainer.model.parameters(), before))
    assert run.trainer.history.step[-1] == 3  # no point beyond the restored step


def test_lockstep_keeps_equal_step_counts_under_the_budget():
    runs = [build_run(SMALL.replace(loss=loss)) for loss in ("cross_entropy", "focal", "mae")]
    clock = FakeClock()
    for run in runs:
        slow_steps(run.trainer, clock, TICK)
    # one step of all three costs 3 ticks: 1 round, then 5/64 left fits int(0.8*5/3) = 1 more round,
    # then 2/64 left < 3/64: stop
    assert advance_lockstep(runs, 96, seconds=8 * TICK, clock=clock) == 2
    assert [r.trainer.steps for r in runs] == [2, 2, 2]
    assert all(r.timings["steps"] == 2 and r.timings["wanted"] == 96 for r in runs)
    clock.now = 0.0
    small = [build_run(SMALL), build_run(SMALL.replace(optimizer="sgd"))]
    for run in small:
        slow_steps(run.trainer, clock, 1 / 8192)
    assert advance_lockstep(small, 50, seconds=0.1, clock=clock) == 50
    assert [r.trainer.steps for r in small] == [50, 50]


def test_lockstep_goes_on_for_the_runs_that_did_not_diverge():
    runs = [build_run(SMALL), build_run(SMALL)]
    bad = runs[1].trainer
    bad.configure(loss="exponential", optimizer="sgd")
    bad.set_lr(1e30)
    assert advance_lockstep(runs, 12, seconds=None) == 12
    assert bad.diverged is not None and bad.steps == 0 and runs[0].trainer.steps == 12
    step = lockstep_step([bad])
    assert step(3) == 0  # every run diverged: the frame stops


# ---- threads ------------------------------------------------------------------------------------------


def test_threads_limited_after_setup():
    """In a fresh process: raise numpy's BLAS pool to 4, then the pages' limit brings it to 1."""
    code = (
        "import json, numpy, threading\n"
        "from threadpoolctl import threadpool_info, threadpool_limits\n"
        "threadpool_limits(4)\n"
        "before = [i['num_threads'] for i in threadpool_info() if i['internal_api'] == 'openblas']\n"
        "from core.serving.pace import limit_threads\n"
        "limit_threads(); limit_threads()\n"
        "after = {}\n"
        "t = threading.Thread(target=lambda: after.update(n=[i['num_threads'] for i in threadpool_info() "
        "if i['user_api'] == 'blas']))\n"
        "t.start(); t.join()\n"  # another thread (Streamlit runs each script in its own) sees the limit
        "print(json.dumps({'before': before, 'after': after['n']}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["before"] == [4]  # numpy's OpenBLAS is there and was at 4
    assert seen["after"] == [1]


def test_setup_page_limits_threads(monkeypatch):
    """The pages' setup_page limits the pool from Streamlit's script thread (not the main thread)."""
    from streamlit.testing.v1 import AppTest
    from threadpoolctl import OpenBLASController, threadpool_info, threadpool_limits

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    monkeypatch.setattr(pace, "_limiter", None)
    raised = threadpool_limits(2)
    OpenBLASController.clear_controlling_thread(force=True)  # as in a fresh server: nobody holds it
    try:
        assert blas_threads() == [2]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert blas_threads() == [1]
        assert pace._limiter is not None
    finally:
        OpenBLASController.clear_controlling_thread(force=True)
        raised.restore_original_limits()
        OpenBLASController.clear_controlling_thread(force=True)


# ---- run history within a memory budget ---------------------------------------------------------------


def curve(*points) -> History:
    h = History()
    for step, value in points:
        h.step.append(step)
        h.epoch.append(step / 10)
        for m in h.values:
            h.values[m].append(value)
    return h


def model_of(n: int) -> torch.nn.Module:
    """A model with n float32 weights + 1 bias, trained one step so that its weights have grads."""
    m = torch.nn.Linear(n, 1)
    m(torch.ones(1, n)).sum().backward()
    assert m.weight.grad is not None
    return m


def test_history_weights_have_no_grad_and_are_cpu_and_follow_the_live_model():
    store = RunStore()
    model = model_of(100)
    r = store.add("2d", "t", {"lr": "0.1"}, curve((0, 1.0)), model)
    assert set(r.weights) == {"weight", "bias"}
    for t in r.weights.values():
        assert t.device.type == "cpu" and not t.requires_grad and t.grad is None
    with torch.no_grad():
        model.weight.add_(1.0)  # training updates in place: the record sees the live weights, no copy
    assert torch.equal(r.weights["weight"], model.weight.detach())
    assert r.weights["weight"].data_ptr() == model.weight.data_ptr()
    assert r.live and store.held_bytes() == 0  # a live run's weights are its model's


def test_record_does_not_keep_the_model_alive():
    store = RunStore()
    model = model_of(1000)
    trained = model.weight.detach().clone()
    alive = weakref.ref(model)
    r = store.add("mnist", "t", {}, curve((0, 1.0)), model)
    del model
    gc.collect()
    assert alive() is None  # nor its gradients
    assert not r.live and torch.equal(r.weights["weight"], trained)
    assert store.held_bytes() == 1001 * 4


def test_store_drops_the_oldest_weights_beyond_the_budget():
    store = RunStore(weights_limit=2500 * 4)  # room for two replaced runs of 1,001 floats
    live = model_of(1000)
    records = [store.add("2d", f"run {i}", {"seed": str(i)}, curve((0, 0.5), (10, 0.25 + i)), model_of(1000))
               for i in range(4)]  # each model is dropped at once: a replaced run
    first = store.add("2d", "live", {}, curve((0, 1.0)), live)
    gc.collect()
    store.enforce_limit()
    assert [r.weights is None for r in records] == [True, True, False, False]
    assert [r.weights_dropped for r in records] == [True, True, False, False]
    assert first.weights is not None and first.live  # the live run is never dropped
    assert store.held_bytes() == 2 * 1001 * 4 <= store.weights_limit
    old = records[0]  # curves and settings stay
    assert old.params == {"seed": "0"} and old.history.step == [0, 10] and old.final()["test_acc"] == 0.25
    assert store.get(old.id) is old and len(store) == 5


def test_weights_bytes_count_shared_storage_once():
    w = torch.zeros(10)
    assert tensor_bytes([w, w[:5], w.view(2, 5)]) == 40
    assert tensor_bytes([w, torch.zeros(3)]) == 52
    m = model_of(7)
    assert tensor_bytes(weights_of(m).values()) == 8 * 4


# ---- MNIST: time-bounded frames and views once per trained state ---------------------------------------


def synthetic_images(n_train=300, n_test=120, seed=0) -> ImageData:
    g = torch.Generator().manual_seed(seed)
    return ImageData("mnist", torch.randn(n_train, 784, generator=g), torch.randint(0, 10, (n_train,), generator=g),
                     torch.randn(n_test, 784, generator=g), torch.randint(0, 10, (n_test,), generator=g),
                     torch.zeros(n_train, 28, 28, dtype=torch.uint8), torch.zeros(n_test, 28, 28, dtype=torch.uint8),
                     0.1, 0.3, tuple("0123456789"), "synthetic", False)


@pytest.fixture
def mnist_run():
    config = MnistConfig(n_train=500, hidden="16", batch_size=32, noise_kind="symmetric", noise_rate=0.3)
    return build_mnist_run(config, synthetic_images())


def test_mnist_frame_is_bounded_by_time(mnist_run):
    clock, calls = FakeClock(), []
    slow_steps(mnist_run.trainer, clock, TICK, calls)
    assert train_for(mnist_run, 8 * TICK, evaluate=False, clock=clock) == 8
    assert calls == [1, 4, 2, 1] and clock.now == 8 * TICK
    clock.now, calls[:] = 0.0, []
    assert train_for(mnist_run, 100.0, max_steps=3, evaluate=False, clock=clock) == 3 and sum(calls) == 3


def test_mnist_live_frames_evaluate_in_parts_when_due(mnist_run):
    """A due evaluation is spread over frames, each within its budget, without training meanwhile; the
    point it records is the whole evaluation's of the same weights."""
    clock = FakeClock()
    run = mnist_run
    slow_steps(run.trainer, clock, TICK)
    logits = run.trainer.logits
    row_cost = TICK / 64

    pieces = []

    def slow_logits(X):  # each row costs a 64th of a step
        clock.now += row_cost * len(X)
        pieces.append(len(X))
        return logits(X)
    run.trainer.logits = slow_logits
    run.last_eval_at, run.eval_seconds = 0.0, 2.0
    points, steps = len(run.trainer.history), run.trainer.steps
    live_frame(run, 0.25, clock, wall=clock)
    assert len(run.trainer.history) == points and clock.now == 0.25  # not due: training only
    clock.now = 8.0  # due: an evaluation may take a quarter of the time
    assert eval_due(run, clock)
    steps = run.trainer.steps
    rows = sum(run.trainer.evaluator.train_idx.shape) + len(run.trainer.data.y_test)
    frames = 0
    while len(run.trainer.history) == points:
        start = clock.now
        assert live_frame(run, 0.25, clock, wall=clock) == 0 and run.trainer.steps == steps
        assert clock.now - start <= 0.25 + 1e-9
        frames += 1
        assert frames < 100
    assert frames >= rows * row_cost / 0.25  # more rows than one frame holds: in parts
    assert sum(pieces) == rows and sum(p != EVAL_PIECE for p in pieces) <= 2  # a few shapes: each part's tail
    assert run.last_eval_at == clock.now and not eval_due(run, clock)
    whole = run.trainer.evaluator.measure(run.trainer.logits_batched, run.trainer.objective)[0]
    assert run.trainer.history.last("test_loss") == pytest.approx(whole["test_loss"], rel=1e-5)
    assert run.trainer.history.last("train_acc") == whole["train_acc"]
    live_frame(run, 0.25, clock, wall=clock)
    assert run.trainer.steps > steps  # training again


def test_mnist_evaluation_in_parts_starts_again_when_the_weights_change(mnist_run):
    run = mnist_run
    run.last_eval_at = float("-inf")
    run.trainer.step(1)
    clock = FakeClock()
    live_frame(run, 0.0, clock, wall=clock)  # one row: the evaluation has begun
    assert run.pending is not None and not run.pending.done
    first = run.pending
    run.trainer.step(1)  # e.g. the Step button while playing
    live_frame(run, 0.0, clock, wall=clock)
    assert run.pending is not first and run.pending.state == state_key(run)


def test_mnist_lockstep_is_bounded_and_equal():
    data = synthetic_images()
    runs = [build_mnist_run(MnistConfig(n_train=500, hidden="16", loss=loss), data)
            for loss in ("cross_entropy", "mae")]
    clock = FakeClock()
    for run in runs:
        slow_steps(run.trainer, clock, TICK)
    # a round of both costs 2 ticks: 1 round, then int(0.8*6/2) = 2, then 2/64 left: 1 round fits
    assert train_lockstep(runs, 8 * TICK, clock=clock) == 4
    assert [r.trainer.steps for r in runs] == [4, 4]


def test_mnist_frames_train_the_steps_the_speed_owes_and_no_more(mnist_run):
    """A playing frame stops at the steps its speed owes (core/serving/pace.py), however much time is left; the time
    budget still bounds a frame that owes more than fits."""
    clock = FakeClock()
    slow_steps(mnist_run.trainer, clock, TICK)
    assert live_frame(mnist_run, 64 * TICK, clock, wall=clock, max_steps=6) == 6 and clock.now == 6 * TICK
    data = synthetic_images()
    runs = [build_mnist_run(MnistConfig(n_train=500, hidden="16", loss=loss), data)
            for loss in ("cross_entropy", "mae")]
    for run in runs:
        slow_steps(run.trainer, clock, TICK)
    assert train_lockstep(runs, 64 * TICK, clock=clock, wall=clock, max_steps=5) == 5
    assert train_lockstep(runs, 8 * TICK, clock=clock, wall=clock, max_steps=1000) == 4  # the budget bounds it


def test_views_computed_once_per_trained_state(mnist_run, monkeypatch):
    import core.runs.mnist_run as mr
    run = mnist_run
    calls = {"logits": 0, "pca": 0, "grid": 0}
    logits = run.trainer.logits_batched

    def spy_logits(X, *a, **k):
        calls["logits"] += 1
        return logits(X, *a, **k)
    run.trainer.logits_batched = spy_logits
    for name, key in (("pca_plane", "pca"), ("plane_grid", "grid")):
        real = getattr(mr, name)
        monkeypatch.setattr(mr, name, lambda *a, _real=real, _key=key, **k: (calls.__setitem__(_key, calls[_key] + 1),
                                                                             _real(*a, **k))[1])

    def views():  # what one paused rerun of the page shows
        return (confusion(run), calibration(run), misclassified(run), flipped_examples(run), pca_slice(run))
    first = views()
    assert calls == {"logits": 2, "pca": 1, "grid": 1}  # test set once, flipped examples once
    for _ in range(3):  # paused reruns: nothing is recomputed
        again = views()
    assert calls == {"logits": 2, "pca": 1, "grid": 1}
    assert again[0] is first[0] and again[4] is first[4]
    train_for(run, 100.0, max_steps=2, evaluate=False)
    views()
    assert calls == {"logits": 4, "pca": 1, "grid": 2}  # a new state: per-state views again, the PCA plane not
    # new weights without a step (an imported file, a reopened run) are a new state too
    key = state_key(run)
    run.trainer.model.load_state_dict({k: v + 0.01 for k, v in run.trainer.model.state_dict().items()})
    assert state_key(run) != key
    views()
    assert calls == {"logits": 6, "pca": 1, "grid": 3}


# ---- the history page and reopen when weights were dropped ----------------------------------------------


def test_history_page_says_which_weights_were_dropped_and_reopen_retrains():
    from streamlit.testing.v1 import AppTest
    from core.i18n import translate
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    first = at.session_state["p2d.run"]
    assert first.trainer.steps > 0
    at.slider(key="w2d.width").set_value(8).run()  # a new run replaces the first one
    at.button(key="p2d.step_button").click().run()  # and joins the history once trained
    del first
    gc.collect()
    store: RunStore = at.session_state["runs.store"]
    store.weights_limit = 0  # any replaced run's weights are over budget
    old, live = sorted(store.list("2d"), key=lambda r: r.id)
    at.switch_page("pages/4_runs.py").run()
    assert not at.exception
    assert old.weights is None and old.weights_dropped and live.weights is not None  # the live run is kept
    note = translate("budget.weights_dropped_note", "en", runs=f"#{old.id}")
    assert note in [c.value for c in at.caption]
    table = at.dataframe[0].value
    column = translate("budget.col.weights", "en")
    assert dict(zip(table["#"], table[column])) == {old.id: translate("budget.weights.dropped", "en"),
                                                     live.id: translate("budget.weights.kept", "en")}
    at.selectbox(key="runs.pick@en").set_value(old.id).run()
    assert translate("budget.reopen_retrains", "en") in [c.value for c in at.caption]
    at.button(key="runs.reopen_button").click().run()
    assert not at.exception
    assert translate("budget.reopen_retrains", "en") in [i.value for i in at.info]
    reopened = at.session_state["p2d.run"]
    assert reopened.trainer.steps == 0 and at.session_state["p2d.config"].width == 16  # its settings, from the seed


def test_paused_reruns_build_no_download_payloads(monkeypatch):
    """Weights, JSON, CSV and PNG are built when a download button is clicked, not on every rerun."""
    from streamlit.testing.v1 import AppTest
    import ui.runs
    built = []
    for name in ("curves_csv", "run_json", "png_bytes", "_weights_bytes"):
        monkeypatch.setattr(ui.runs, name, lambda *a, _name=name, **k: built.append(_name) or b"")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/1_playground_2d.py").run()
    for _ in range(3):
        at.button(key="p2d.step_button").click().run()
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"Curves (CSV)", "Run (JSON)", "Boundary (PNG)", "Weights (.pt)"} <= labels  # the panel is there
    assert built == []


def test_a_costly_drawing_keeps_room_in_the_next_frames_budgets():
    """A side view redrawn a few times a second lands in some frames only; the frames after it leave it room."""
    from core.serving.pace import DRAW_MEMORY, note_drawing
    from core.runs.config import Playground2DConfig
    from core.runs.playground import build_run
    timings: dict = {}
    note_drawing(timings, 60.0)
    note_drawing(timings, 5.0)
    assert timings["draw_ms"] == 5.0 and timings["draw_peak_ms"] == pytest.approx(60.0 * DRAW_MEMORY)
    for _ in range(40):
        note_drawing(timings, 5.0)
    assert timings["draw_peak_ms"] == 5.0  # forgotten once it stops coming back
    run = build_run(Playground2DConfig(n_samples=200))
    clock = FakeClock()
    slow_steps(run.trainer, clock, TICK)
    run.timings.update(eval_ms=0.0, boundary_ms=0.0, draw_peak_ms=0.0)
    done_alone = advance(run, 1000, seconds=32 * TICK, clock=clock)
    run.timings.update(eval_ms=0.0, boundary_ms=0.0, draw_peak_ms=16 * TICK * 1000)
    assert advance(run, 1000, seconds=32 * TICK, clock=clock) < done_alone  # half the budget left to train
