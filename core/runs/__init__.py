"""Runs: one Run type and the one update() of every live page (here), each page's settings schema (config: one table that round-trips through the link) and how each task builds its run.

A live run of any page (2D, Regression, MNIST, and each of Compare's runs), the one update() that
brings it in line with new settings, and the one frame of training every live page asks for.

update() rebuilds a run when its data or its model changes and applies the training settings in place
otherwise (loss, its parameters, optimizer, learning rate, batch size, weight decay), so a change shows
while the run plays. A task gives its run type and its build function; nothing else differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from core.serving import pace
from core.learning.models import is_binary_logistic
from core.learning.trainer import Trainer

FRAME_CLOCK = pace.FRAME_CLOCK


class WeightPath:
    """(step, w1, w2, b) of a binary logistic model at each evaluation, in the model's own units (its
    inputs standardised): the optimizer's path through parameter space. Going back (a divergence
    restored, a reset) drops the points after that step; a long run keeps every other point.
    It also keeps the parameter-space view's window (it only grows while the path goes forward) and
    the last minimum of J found (the next search starts there)."""

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self.points: list[tuple[int, float, float, float]] = []
        self.window: tuple[np.ndarray, np.ndarray] | None = None  # (lo, hi) of (w1, w2)
        self.minimum: np.ndarray | None = None

    def record(self, step: int, model) -> None:
        if not is_binary_logistic(model):
            return
        w = model.net.weight.detach().double().numpy()
        b = float(model.net.bias.detach()[0])
        if self.points and self.points[-1][0] >= step:  # going back: the view starts afresh
            self.window, self.minimum = None, None
        while self.points and self.points[-1][0] >= step:
            self.points.pop()
        self.points.append((int(step), float(w[0]), float(w[1]), b))
        if len(self.points) > self.limit:
            self.points = self.points[-1::-2][::-1]  # every other point, the newest kept

    def array(self) -> np.ndarray:
        return np.array(self.points, dtype=float).reshape(-1, 4)


def new_timings() -> dict:
    """Steps done vs wanted in the last frame, short frames in a row (core/serving/pace.py: record), times in ms."""
    return {"train_ms": 0.0, "eval_ms": 0.0, "boundary_ms": 0.0, "draw_ms": 0.0, "steps": 0, "wanted": 0,
            "short_frames": 0}


@dataclass(kw_only=True)
class Run:
    config: Any
    data: Any           # the task's data set (2D points, 1D points, an MNIST subset)
    trainer: Trainer
    upload: Any = None  # the uploaded points it was built from, when its data set is an upload
    timings: dict = field(default_factory=new_timings)
    path: WeightPath = field(default_factory=WeightPath)  # logistic regression's way through (w1, w2)
    # evaluated on one frame in eval_every (at phase eval_phase): a regression band's members take turns
    eval_every: int = 1
    eval_phase: int = 0
    # hand edits of the training data (config.edits, core/data/edits.py): the data before them (None: a task
    # without them) and the first edit that did not fit it (it and the later ones are left out)
    base: Any = None
    edit_problem: Any = None

    @property
    def members(self) -> list["Run"]:
        """The runs that advance in lockstep with this one (itself, and a regression band's)."""
        return [self]

    def same_source(self, source) -> bool:
        """Whether `source` (an upload, or the full data set a subset is drawn from) is what it was built on."""
        return self.config.dataset != "upload" or self.upload is source

    def training(self, config) -> dict:
        """Trainer.configure's settings of `config` for this run."""
        return dict(loss=config.loss, loss_params=config.loss_kwargs, optimizer=config.optimizer,
                    batch_size=config.batch_size, weight_decay=config.weight_decay, wd_mode=config.wd_mode)

    def apply(self, config) -> None:
        """The training settings and hand edits of `config`, in place: the weights and the curves go on."""
        if self.base is not None and config.edits != self.config.edits:
            data, self.edit_problem = self.edited(config.edits)
            t = self.trainer
            t.history.mark(t.steps, "edits", self.edit_count(), self.edit_count(data))  # on the curves
            self.use_edited(data, config)  # (before the settings: a full batch follows the new number of points)
        for member in self.members:
            t = member.trainer
            if config.lr != t.lr:
                t.set_lr(config.lr)
                t.resume_after_divergence()  # a new learning rate is the cure; training may go on
            t.configure(**member.training(config))
            member.config = config


    def edits_problem(self, text: str):
        """Why the hand edits `text` do not fit this run's data (None: they do)."""
        return self.edited(text)[1]

    # A task whose data takes hand edits gives these three.
    def edited(self, text: str) -> tuple[Any, Any]:
        """(The data after the hand edits `text` on `base`, the first edit that did not fit or None)."""
        raise NotImplementedError

    def edit_count(self, data=None) -> int:
        """How many points hand edits changed in `data` (edited() gave it; None: the data trained on now)."""
        raise NotImplementedError

    def use_edited(self, data, config) -> None:
        """Train on from here on the edited data (every member of the run)."""
        raise NotImplementedError


Build = Callable[..., Run]  # build(config, source=None, old=None): `old` only when its data is kept


def update(run: Run | None, config, build: Build, source=None) -> tuple[Run, str]:
    """Bring a run in line with a new config: 'new', 'data' or 'model' (rebuilt; a new model keeps the
    old run's data), 'same', or 'live' (applied in place)."""
    if run is None:
        return build(config, source), "new"
    if run.config.data_key() != config.data_key() or not run.same_source(source):
        return build(config, source), "data"
    if run.config.model_key() != config.model_key():
        return build(config, source, old=run), "model"
    if run.config == config:
        return run, "same"
    run.apply(config)
    return run, "live"


def advance(run: Run, steps: int, seconds: float | None = None,
            clock: pace.Clock | None = None, min_train_share: float = 0.0) -> int:
    """A run (and its lockstep members) by `steps` steps, then an evaluation; while playing, one frame:
    up to `steps` within `seconds` of training and evaluation."""
    return advance_lockstep(run.members, steps, seconds, clock, min_train_share)


def advance_lockstep(runs: list[Run], steps: int, seconds: float | None = pace.FRAME_SECONDS,
                     clock: pace.Clock | None = None, min_train_share: float = 0.0) -> int:
    """Every run advances by the same number of steps; the time budget is for all runs together,
    and covers the frame's evaluations and drawings as measured in the last frames (pace.note_drawing).
    min_train_share: training keeps at least this share of `seconds` (a student's small fair share
    on a busy server must not go entirely to evaluating and drawing)."""
    clock = clock or FRAME_CLOCK
    t0 = clock()
    if seconds is not None:
        fixed = sum(r.timings.get("eval_ms", 0.0) + max(r.timings.get("boundary_ms", 0.0),
                                                        r.timings.get("draw_peak_ms", 0.0)) for r in runs) / 1000
        seconds = max(seconds * min_train_share, seconds - fixed, 0.0)
    # A divergence goes back to sane weights, but first the frame is replayed step by step so the curves
    # show the loss climbing (Trainer.replay_climb): each frame starts from a checkpoint.
    starts = [r.trainer.checkpoint() if r.trainer.diverged is None else None for r in runs]
    for run, start in zip(runs, starts):
        run.trainer.note_frame_start(start)
    # the last frame's time per step is a fair first guess while the models and batches are the same
    cost_key = tuple((id(r.trainer.model), r.trainer.batch_size, r.trainer.loss_key,
                      id(r.trainer.optimization.optimizer)) for r in runs)
    guess = runs[0].timings.get("per_step") if runs[0].timings.get("cost_key") == cost_key else None
    result = pace.run_chunks(pace.lockstep_step([r.trainer for r in runs]), steps, seconds, clock,
                               per_step_guess=guess)
    runs[0].timings.update(per_step=result.per_step, cost_key=cost_key)
    frame = runs[0].timings["frames"] = runs[0].timings.get("frames", 0) + 1
    for run, start in zip(runs, starts):
        t = run.trainer
        every = run.eval_every
        if every > 1 and (frame + run.eval_phase) % every and t.diverged is None and start is not None:
            continue  # its last evaluation's time, spread over its turns, is already in eval_ms
        e0 = clock()
        if t.diverged is None:
            t.evaluate()
        if start is not None and t.diverged is not None:  # in this frame's steps or its evaluation
            t.replay_climb(start, steps)
        elif start is None:
            t.evaluate()  # paused by an earlier divergence: the same weights, measured again
        run.path.record(t.steps, t.model)
        run.timings["eval_ms"] = (clock() - e0) * 1000 / every
    if all(r.trainer.diverged is not None for r in runs):
        result = pace.FrameResult(0, result.wanted, result.seconds)  # every step was rolled back
    for run in runs:
        pace.record(run.timings, result)
    train_ms = (clock() - t0) * 1000
    for run in runs:
        run.timings["train_ms"] = train_ms
    return result.done
