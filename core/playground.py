"""A 2D run: config -> data -> noisy labels -> model -> trainer, plus one rendered frame.

The page keeps a Run2D in session state and calls advance(), draw_boundary() and draw_curves()
in its loop; the tests drive the same functions without Streamlit (draw() = both drawings).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from core import budget
from core.boundary import evaluate_grid, unit_segments
from core.config import STEPS_PER_SECOND, Playground2DConfig
from core.data2d import DATASETS, Dataset2D, make_dataset, split
from core.inside import WeightPath
from core.models import build_model, linear_boundary
from core.noise import apply_label_noise, parse_pairs
from core.pull import trainer_pull
from core.render import BoundaryPainter, Frame, history_images
from core.trainer import Trainer, TrainData, predict

FRAME_CLOCK = budget.FRAME_CLOCK


@dataclass
class Upload:
    """Points a user uploaded as CSV (already validated by data2d.parse_points_csv)."""
    X: np.ndarray
    y: np.ndarray
    name: str = "upload.csv"
    file_id: str = ""  # which upload: a second file with the same name is another data set


@dataclass
class Run2D:
    config: Playground2DConfig
    dataset: Dataset2D
    trainer: Trainer
    # steps done vs wanted in the last frame, short_frames in a row (core/budget.record), times in ms
    timings: dict = field(default_factory=lambda: {"train_ms": 0.0, "eval_ms": 0.0, "boundary_ms": 0.0, "draw_ms": 0.0,
                                                   "steps": 0, "wanted": 0, "short_frames": 0})
    painter: BoundaryPainter | None = None
    upload: Upload | None = None  # the points it was built from, when the data set is an upload
    # Where a divergence goes back to: (trainer checkpoint, its optimizer) from the last frame start whose
    # train loss had not yet exploded (core/playground.EXPLODED), and the lowest train loss seen.
    good: tuple | None = None
    best_loss: float = float("inf")
    path: WeightPath = field(default_factory=WeightPath)  # logistic regression's way through (w1, w2)

    @property
    def bounds(self):
        return self.dataset.bounds()


def load_dataset(config: Playground2DConfig, upload: Upload | None = None) -> Dataset2D:
    if config.dataset == "upload":
        if upload is None:
            raise ValueError("no uploaded data")
        return split(upload.X, upload.y, config.test_fraction, config.seed)
    return make_dataset(config.dataset, n_samples=config.n_samples, input_noise=config.input_noise,
                        test_fraction=config.test_fraction, seed=config.seed, n_classes=config.class_count())


def centres_inputs(config: Playground2DConfig) -> bool:
    """Whether the model subtracts the training mean before its first layer. Always, but for logistic
    regression without bias on data drawn around (0, 0): its line w·x = 0 goes through the data's own
    origin. (The exam scores are centred all the same: no bias there is no bias in standardised units.)"""
    no_bias = config.model == "logistic" and not config.bias
    spec = DATASETS.get(config.dataset)
    return not no_bias or (spec is not None and spec.centred)


def build_run(config: Playground2DConfig, upload: Upload | None = None,
              dataset: Dataset2D | None = None) -> Run2D:
    if dataset is None:
        dataset = load_dataset(config, upload)
    pairs = parse_pairs(config.noise_pairs, dataset.n_classes) if config.noise_kind == "pairs" else ()
    noisy = apply_label_noise(dataset.y_train, dataset.n_classes, config.noise_kind,
                              config.noise_rate, seed=config.seed + 1, pairs=pairs)
    X = dataset.X_train
    # float64 statistics: the float32 mean of a constant column can miss it by an ulp while its std
    # is 0, and (x - mean) / 1e-6 then feeds the net huge inputs (1e14 for a column of 1e15s)
    X64 = X.double()
    if centres_inputs(config):
        mean, scale = X64.mean(0), X64.std(0) if len(X) > 1 else torch.ones(2)
    else:  # scaled about (0, 0), by the root mean square: a constant column of 1e15s is scaled by 1e15
        mean, scale = torch.zeros(2, dtype=torch.float64), X64.pow(2).mean(0).sqrt()
    model = build_model(config.model, 2, dataset.n_classes, config.seed, mean=mean, std=scale,
                        depth=config.depth, width=config.width, last_width=config.last_width,
                        activation=config.activation, bias=config.bias)
    data = TrainData(X, noisy.labels, noisy.flipped, dataset.X_test, dataset.y_test)
    trainer = Trainer(model, data, loss=config.loss, loss_params=config.loss_kwargs,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, seed=config.seed,
                      numpy_steps=True)
    trainer.evaluate()
    run = Run2D(config, dataset, trainer, upload=upload if config.dataset == "upload" else None)
    run.path.record(0, model)
    return run


def update_run(run: Run2D | None, config: Playground2DConfig, upload: Upload | None = None) -> tuple[Run2D, str]:
    """Bring a run in line with a new config: 'same', 'live' (applied in place), 'model' or 'data' (rebuilt)."""
    if run is None:
        return build_run(config, upload), "new"
    old = run.config
    if old.data_key() != config.data_key() or (config.dataset == "upload" and run.upload is not upload):
        return build_run(config, upload), "data"
    if old.model_key() != config.model_key():
        return build_run(config, upload, dataset=run.dataset), "model"
    if old == config:
        return run, "same"
    t = run.trainer
    if config.lr != t.lr:
        t.set_lr(config.lr)
        t.resume_after_divergence()  # a new learning rate is the cure; training may go on
    t.configure(loss=config.loss, loss_params=config.loss_kwargs, optimizer=config.optimizer,
                batch_size=config.batch_size, weight_decay=config.weight_decay, wd_mode=config.wd_mode)
    run.config = config
    return run, "live"


def steps_per_frame(config: Playground2DConfig, fps: float) -> int:
    return max(1, round(STEPS_PER_SECOND[config.speed] / fps))


def advance(run: Run2D, steps: int, seconds: float | None = budget.FRAME_SECONDS,
            clock: budget.Clock | None = None, min_train_share: float = 0.0) -> int:
    """One frame: up to `steps` steps within `seconds` (training + evaluation; None = no limit).

    Evaluation runs every frame: at the heaviest reachable setting (5,000 points, depth 6,
    width 64) it costs ~5 ms, and the frame's drawing needs those logits anyway."""
    return advance_lockstep([run], steps, seconds, clock, min_train_share)


def advance_lockstep(runs: list[Run2D], steps: int, seconds: float | None = budget.FRAME_SECONDS,
                     clock: budget.Clock | None = None, min_train_share: float = 0.0) -> int:
    """Every run advances by the same number of steps; the time budget is for all runs together,
    and covers the frame's evaluations and drawings as measured in the last frames (budget.note_drawing).
    min_train_share: training keeps at least this share of `seconds` (a student's small fair share
    on a busy server must not go entirely to evaluating and drawing)."""
    clock = clock or FRAME_CLOCK
    t0 = clock()
    if seconds is not None:
        fixed = sum(r.timings.get("eval_ms", 0.0) + max(r.timings.get("boundary_ms", 0.0),
                                                        r.timings.get("draw_peak_ms", 0.0)) for r in runs) / 1000
        seconds = max(seconds * min_train_share, seconds - fixed, 0.0)
    # A divergence goes back to sane weights (a lower lr must start from there), but first the frame is
    # replayed step by step so the curves show the loss climbing (_show_the_climb). 2D models are small,
    # so this extra copy per frame is cheap.
    starts = [r.trainer.checkpoint() if r.trainer.diverged is None else None for r in runs]
    for run, start in zip(runs, starts):
        _keep_if_good(run, start)
    # the last frame's time per step is a fair first guess while the models and batches are the same
    cost_key = tuple((id(r.trainer.model), r.trainer.batch_size, r.trainer.loss_key,
                      id(r.trainer.optimization.optimizer)) for r in runs)
    guess = runs[0].timings.get("per_step") if runs[0].timings.get("cost_key") == cost_key else None
    result = budget.run_chunks(budget.lockstep_step([r.trainer for r in runs]), steps, seconds, clock,
                               per_step_guess=guess)
    runs[0].timings.update(per_step=result.per_step, cost_key=cost_key)
    frame = runs[0].timings["frames"] = runs[0].timings.get("frames", 0) + 1
    for run, start in zip(runs, starts):
        t = run.trainer
        every = getattr(run, "eval_every", 1)  # a member evaluated one frame in `every` (a regression band's)
        if every > 1 and (frame + run.eval_phase) % every and t.diverged is None and start is not None:
            continue  # its last evaluation's time, spread over its turns, is already in eval_ms
        e0 = clock()
        if t.diverged is None:
            t.evaluate()
        if start is not None and t.diverged is not None:  # in this frame's steps or its evaluation
            _show_the_climb(run, start, steps)
        elif start is None:
            t.evaluate()  # paused by an earlier divergence: the same weights, measured again
        run.path.record(t.steps, t.model)
        run.timings["eval_ms"] = (clock() - e0) * 1000 / every
    if all(r.trainer.diverged is not None for r in runs):
        result = budget.FrameResult(0, result.wanted, result.seconds)  # every step was rolled back
    for run in runs:
        budget.record(run.timings, result)
    train_ms = (clock() - t0) * 1000
    for run in runs:
        run.timings["train_ms"] = train_ms
    return result.done


# A train loss this many times the lowest one seen has exploded: weights from then on are no place to
# restart from, even when still finite (squared hinge at lr 3 climbs 1 -> 4 -> 400 -> 4e16 -> inf).
EXPLODED = 10.0


def _keep_if_good(run: Run2D, start) -> None:
    """Remember the frame's start as the place to go back to after a divergence, unless the loss
    has already exploded by then."""
    loss = run.trainer.history.last("train_loss")
    if start is None or loss is None:
        return
    run.best_loss = min(run.best_loss, loss)
    if loss <= EXPLODED * run.best_loss:
        run.good = (start, run.trainer.optimization.optimizer)


def _show_the_climb(run: Run2D, start, steps: int) -> None:
    """The frame diverged: replay it from its start one step at a time, recording each finite point
    (the climbing loss a lesson promises), then restore the last good weights. The batch order is
    part of the checkpoint, so the replay sees the same batches."""
    t = run.trainer
    t.restore(start)
    for _ in range(steps):
        if t.step(1) == 0:
            break
        t.evaluate()
        if t.diverged is not None:
            break
    d = t.diverged
    if d is None:
        return  # the replay stayed finite (rounding): the frame simply trained
    good = run.good  # unused when the optimizer was rebuilt since: its saved state would not fit
    if good is not None and good[1] is t.optimization.optimizer and good[0].steps <= t.steps:
        t.rollback(good[0], at_step=d.step)


def draw_boundary(run: Run2D, resolution: int = 70, frame: Frame = Frame(), unit_lines: bool = False,
                  pull: bool = False):
    """The live boundary frame (PIL image) of a run; its time goes to run.timings["boundary_ms"].
    unit_lines: also each first-layer unit's line w·x + b = 0 (where a ReLU unit switches on).
    pull: train points sized by their pull |∂ℓ/∂z| (core/pull.py), on one scale for every loss."""
    t0 = FRAME_CLOCK()
    t, d = run.trainer, run.trainer.data
    grid = evaluate_grid(t.model, run.bounds, resolution)
    train_logits, test_logits = t.current_logits()
    pred_train, pred_test = predict(train_logits), predict(test_logits)
    if run.painter is None or run.painter.frame != frame:
        run.painter = BoundaryPainter(run.bounds, X_train=d.X_train.numpy(), y_train=d.y_given.numpy(),
                                      flipped=d.flipped.numpy(), X_test=d.X_test.numpy(),
                                      y_test=d.y_test.numpy(), frame=frame)
    image = run.painter.paint(grid, wrong_train=(pred_train != d.y_given).numpy(),
                              wrong_test=(pred_test != d.y_test).numpy(), line=linear_boundary(t.model),
                              unit_lines=unit_segments(t.model, run.bounds) if unit_lines else None,
                              pull=trainer_pull(t) if pull else None)
    run.timings["boundary_ms"] = (FRAME_CLOCK() - t0) * 1000
    return image


def draw_curves(run: Run2D, size: tuple[int, int] = (420, 170)):
    """(loss curves, accuracy curves) as PIL images."""
    return history_images(run.trainer.history, bool(run.trainer.data.flipped.any()), size=size)


def draw(run: Run2D, resolution: int = 70, frame: Frame = Frame(),
         curve_size: tuple[int, int] = (420, 170)):
    """(boundary image, loss-curve image, accuracy-curve image) as PIL images."""
    t0 = FRAME_CLOCK()
    boundary = draw_boundary(run, resolution, frame)
    loss_img, acc_img = draw_curves(run, curve_size)
    run.timings["draw_ms"] = (FRAME_CLOCK() - t0) * 1000
    return boundary, loss_img, acc_img
