"""A 2D run: config -> data -> noisy labels -> model -> trainer, plus one rendered frame.

The page keeps a Run2D in session state, brings it in line with its settings (core/runs.update with
build_run) and advances it (core/runs.advance); draw_boundary() and draw_curves() are its pictures for
exports and tests (the live page draws core/frame_data's canvas data).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch

from core.serving import pace
from core.pictures.render import BoundaryPainter, PlotBox, evaluate_grid, history_images, unit_segments
from core.runs.config import STEPS_PER_SECOND, Playground2DConfig
from core.data.data2d import DATASETS, Dataset2D, make_dataset, split
from core.learning.models import apply_features, build_model, linear_boundary, PLAIN_FEATURES
from core.data.edits import EditError, apply_fitting, parse_prefix
from core.data.noise import apply_label_noise, parse_pairs
from core.lessons.pull import trainer_pull
from core.runs import Run
from core.learning.trainer import Trainer, TrainData, predict

FRAME_CLOCK = pace.FRAME_CLOCK


@dataclass
class Upload:
    """Points a user uploaded as CSV (already validated by data2d.parse_points_csv)."""
    X: np.ndarray
    y: np.ndarray
    name: str = "upload.csv"
    file_id: str = ""  # which upload: a second file with the same name is another data set


@dataclass(kw_only=True)
class Run2D(Run):
    """A 2D run (core/runs.Run) and its cached boundary painter; `data` is its Dataset2D."""
    painter: BoundaryPainter | None = None
    bounds: tuple = ()  # the plane shown: the data's, padded (computed once)
    base: TrainData | None = None  # the training data before the hand edits (core/data/edits.py)

    def edited(self, text: str) -> tuple[TrainData, EditError | None]:
        return edited_train_data(self.data, self.base, text, self.bounds)

    def edit_count(self, data: TrainData | None = None) -> int:
        edited = (self.trainer.data if data is None else data).edited
        return 0 if edited is None else int(edited.sum())

    def use_edited(self, data: TrainData, config: Playground2DConfig) -> None:
        self.trainer.set_train_data(data)
        self.trainer.evaluate()
        self.painter = None  # (its cached points)
        self.timings.pop("regions", None)


def edited_train_data(dataset: Dataset2D, base: TrainData, text: str, bounds) -> tuple[TrainData, EditError | None]:
    """The run's training data after the hand edits `text` (core/data/edits.py), on its unedited data `base`:
    (data, the first edit that did not fit, if any: it and the later ones are left out)."""
    edits, problem = parse_prefix(text)
    if not edits:
        return dataclasses.replace(base, edited=torch.zeros(base.n_train, dtype=torch.bool)), problem
    done, misfit = apply_fitting(base.X_train.numpy(), base.y_given.numpy(), dataset.y_train.numpy(),
                                 base.flipped.numpy(), edits, bounds, dataset.n_classes)
    return dataclasses.replace(base, X_train=torch.from_numpy(done.X), y_given=torch.from_numpy(done.y),
                               flipped=torch.from_numpy(done.flipped), edited=torch.from_numpy(done.edited)), \
        misfit or problem


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


def build_run(config: Playground2DConfig, upload: Upload | None = None, old: Run2D | None = None,
              dataset: Dataset2D | None = None) -> Run2D:
    """A new run of `config`: on old's data when given (a new model), else on `dataset` or the config's own."""
    dataset = old.data if old is not None else dataset if dataset is not None else load_dataset(config, upload)
    pairs = parse_pairs(config.noise_pairs, dataset.n_classes) if config.noise_kind == "pairs" else ()
    noisy = apply_label_noise(dataset.y_train, dataset.n_classes, config.noise_kind,
                              config.noise_rate, seed=config.seed + 1, pairs=pairs)
    X = dataset.X_train
    # float64 statistics: the float32 mean of a constant column can miss it by an ulp while its std
    # is 0, and (x - mean) / 1e-6 then feeds the net huge inputs (1e14 for a column of 1e15s)
    # The statistics are the FEATURES' (x₁², sin x₁, ...; the point itself by default): the model applies them
    # before its standardisation (core.learning.models.Standardize).
    features = config.feature_keys()
    X64 = X.double() if features == PLAIN_FEATURES else apply_features(features, X.double())
    n_in = X64.shape[1]
    if centres_inputs(config):
        mean, scale = X64.mean(0), X64.std(0) if len(X) > 1 else torch.ones(n_in)
    else:  # scaled about (0, 0), by the root mean square: a constant column of 1e15s is scaled by 1e15
        mean, scale = torch.zeros(n_in, dtype=torch.float64), X64.pow(2).mean(0).sqrt()
    model = build_model(config.model, 2, dataset.n_classes, config.seed, mean=mean, std=scale,
                        depth=config.depth, width=config.width, last_width=config.last_width,
                        activation=config.activation, bias=config.bias, features=features)
    base = TrainData(X, noisy.labels, noisy.flipped, dataset.X_test, dataset.y_test)
    bounds = dataset.bounds()
    # the hand edits of a link (core/data/edits.py): the same rows a run edited live trains on (its model's
    # statistics stay the unedited data's, as a live edit keeps them)
    data, edit_problem = edited_train_data(dataset, base, config.edits, bounds)
    trainer = Trainer(model, data, loss=config.loss, loss_params=config.loss_kwargs,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, seed=config.seed,
                      numpy_steps=True)
    trainer.evaluate()
    run = Run2D(config=config, data=dataset, trainer=trainer, upload=upload if config.dataset == "upload" else None,
                bounds=bounds, base=base, edit_problem=edit_problem)
    run.path.record(0, model)
    return run


def steps_per_frame(config: Playground2DConfig, fps: float) -> int:
    return max(1, round(STEPS_PER_SECOND[config.speed] / fps))


def draw_boundary(run: Run2D, resolution: int = 70, frame: PlotBox = PlotBox(), unit_lines: bool = False,
                  pull: bool = False):
    """The live boundary frame (PIL image) of a run; its time goes to run.timings["boundary_ms"].
    unit_lines: also each first-layer unit's line w·x + b = 0 (where a ReLU unit switches on).
    pull: train points sized by their pull |∂ℓ/∂z| (core/lessons/pull.py), on one scale for every loss."""
    t0 = FRAME_CLOCK()
    t, d = run.trainer, run.trainer.data
    grid = evaluate_grid(t.model, run.bounds, resolution)
    train_logits, test_logits = t.current_logits()
    pred_train, pred_test = predict(train_logits), predict(test_logits)
    if run.painter is None or run.painter.frame != frame:
        run.painter = BoundaryPainter(run.bounds, X_train=d.X_train.numpy(), y_train=d.y_given.numpy(),
                                      flipped=d.flipped.numpy(), X_test=d.X_test.numpy(),
                                      y_test=d.y_test.numpy(), frame=frame,
                                      edited=None if d.edited is None else d.edited.numpy())
    image = run.painter.paint(grid, wrong_train=(pred_train != d.y_given).numpy(),
                              wrong_test=(pred_test != d.y_test).numpy(), line=linear_boundary(t.model),
                              unit_lines=unit_segments(t.model, run.bounds) if unit_lines else None,
                              pull=trainer_pull(t) if pull else None)
    run.timings["boundary_ms"] = (FRAME_CLOCK() - t0) * 1000
    return image


def draw_curves(run: Run2D, size: tuple[int, int] = (420, 170)):
    """(loss curves, accuracy curves) as PIL images."""
    return history_images(run.trainer.history, bool(run.trainer.data.flipped.any()), size=size)


def draw(run: Run2D, resolution: int = 70, frame: PlotBox = PlotBox(),
         curve_size: tuple[int, int] = (420, 170)):
    """(boundary image, loss-curve image, accuracy-curve image) as PIL images."""
    t0 = FRAME_CLOCK()
    boundary = draw_boundary(run, resolution, frame)
    loss_img, acc_img = draw_curves(run, curve_size)
    run.timings["draw_ms"] = (FRAME_CLOCK() - t0) * 1000
    return boundary, loss_img, acc_img
