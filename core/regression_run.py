"""A regression run (issue #13): 1D data (core/data1d.py), a model (core/regression_models.py) and the
shared trainer with the regression task (core/tasks.py), advanced by core/playground.advance_lockstep
like the 2D page's runs; the quantile band is three more runs (pinball at τ = 0.1, 0.5, 0.9) stepped in
lockstep with it on the same data and initial weights."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from core import playground
from core.data1d import Regression1D, make_regression_data, regression_from_xy
from core.inside import WeightPath
from core.regression_config import QUANTILE_BAND, RegressionConfig
from core.regression_losses import loss_params_text
from core.regression_models import REGRESSION_MODELS, build_regression_model, fit_least_squares
from core.tasks import REGRESSION
from core.trainer import TrainData, Trainer


@dataclass(frozen=True, eq=False)
class Upload1D:
    """Uploaded (x, y) points (core/data1d.parse_xy_csv), once per file."""
    x: np.ndarray
    y: np.ndarray
    name: str
    file_id: str


@dataclass
class RegressionRun:
    config: RegressionConfig
    data: Regression1D
    trainer: Trainer
    band: list = field(default_factory=list)  # RegressionRuns of the quantile band (pinball τ), when on
    timings: dict = field(default_factory=lambda: {"train_ms": 0.0, "eval_ms": 0.0, "boundary_ms": 0.0,
                                                   "draw_ms": 0.0, "steps": 0, "wanted": 0, "short_frames": 0})
    good: tuple | None = None   # core/playground's divergence bookkeeping
    best_loss: float = float("inf")
    path: WeightPath = field(default_factory=WeightPath)  # (records logistic regression only: stays empty)
    upload: Upload1D | None = None  # the uploaded points it was built from
    # evaluated on one frame in eval_every (at phase eval_phase): the band's members take turns, as only
    # their predictions are drawn every frame (core/playground.advance_lockstep)
    eval_every: int = 1
    eval_phase: int = 0
    residual_half: float = 0.0  # the residual chart's y range, ± this (core/regression_frames.py keeps it)

    @property
    def runs(self) -> list:
        """This run and its band's: what advances in lockstep."""
        return [self] + self.band


def load_data(config: RegressionConfig, upload=None) -> Regression1D:
    common = dict(test_fraction=config.test_fraction, seed=config.seed, outlier_fraction=config.outlier_fraction,
                  outlier_size=config.outlier_size, outlier_side=config.outlier_side)
    if config.dataset == "upload":
        if upload is None:
            raise ValueError("no uploaded data")
        return regression_from_xy(upload.x, upload.y, **common)
    return make_regression_data(config.dataset, n=config.n_samples, noise=config.noise, df=config.df, **common)


def train_data(d: Regression1D, leak: bool) -> TrainData:
    """The trainer's data: targets in place of labels, the outlier mask in place of flipped labels; with
    `leak` the test points are trained on too (and stay the test set: the test loss then flatters)."""
    if leak:
        x = torch.cat([d.x_train, d.x_test])
        return TrainData(x, torch.cat([d.y_train, d.y_test]),
                         torch.cat([d.outliers, torch.zeros(len(d.y_test), dtype=torch.bool)]), d.x_test, d.y_test)
    return TrainData(d.x_train, d.y_train, d.outliers, d.x_test, d.y_test)


def _member(config: RegressionConfig, d: Regression1D, loss: str, loss_params: dict) -> RegressionRun:
    x = d.x_train.double()
    mean, std = float(x.mean()), float(x.std()) if len(x) > 1 else 1.0
    model = build_regression_model(config.model, config.seed, mean, std if std > 0 else 1.0, degree=config.degree,
                                   depth=config.depth, width=config.width, activation=config.activation)
    trainer = Trainer(model, train_data(d, config.leak), loss=loss, loss_params=loss_params,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size, seed=config.seed,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, task=REGRESSION)
    trainer.evaluate()
    return RegressionRun(config, d, trainer)


def build_regression_run(config: RegressionConfig, upload=None, data: Regression1D | None = None) -> RegressionRun:
    d = data if data is not None else load_data(config, upload)
    run = _member(config, d, config.loss, config.loss_kwargs)
    if config.band:
        run.band = [_member(config, d, "pinball", {"tau": tau}) for tau in QUANTILE_BAND]
        for phase, member in enumerate(run.band):
            member.eval_every, member.eval_phase = len(run.band), phase
    run.upload = upload if config.dataset == "upload" else None
    return run


def update_regression_run(run: RegressionRun | None, config: RegressionConfig, upload=None) -> tuple[RegressionRun, str]:
    """As core/playground.update_run: 'new', 'data', 'model' (rebuilt), 'same' or 'live' (applied in place:
    the loss, its parameters, the optimizer, the learning rate and the batch size change while playing)."""
    if run is None:
        return build_regression_run(config, upload), "new"
    old = run.config
    if old.data_key() != config.data_key() or (config.dataset == "upload" and run.upload is not upload):
        return build_regression_run(config, upload), "data"
    if old.model_key() != config.model_key():
        return build_regression_run(config, upload, data=run.data), "model"
    if old == config:
        return run, "same"
    for member in run.runs:
        t = member.trainer
        if config.lr != t.lr:
            t.set_lr(config.lr)
            t.resume_after_divergence()
        t.configure(optimizer=config.optimizer, batch_size=config.batch_size, weight_decay=config.weight_decay,
                    wd_mode=config.wd_mode)
        member.config = config
    t = run.trainer
    if config.loss == t.loss_key and config.loss_kwargs != t.loss_params:  # marked like a new loss or lr
        t.history.mark(t.steps, "rloss_param", loss_params_text(config.loss, t.loss_params),
                       loss_params_text(config.loss, config.loss_kwargs))
    t.configure(loss=config.loss, loss_params=config.loss_kwargs)
    return run, "live"


def advance(run: RegressionRun, steps: int, seconds: float | None = None, min_train_share: float = 0.0) -> int:
    """Up to `steps` steps of the run and its band, in lockstep, within `seconds` (None: no limit)."""
    return playground.advance_lockstep(run.runs, steps, seconds, min_train_share=min_train_share)


def solve_least_squares(run: RegressionRun) -> bool:
    """Set a model that is linear in its parameters (linear, polynomial, constant) to the exact MSE minimiser
    on its training data (leaked test points included): where plain gradient descent on MSE is heading,
    reached at once (a degree-15 polynomial takes gradient descent ages). Recorded as a point of the run's
    history at the same step. False (nothing changed) for the MLP."""
    t = run.trainer
    if not REGRESSION_MODELS[run.config.model].linear_in_params:
        return False
    fit_least_squares(t.model, t.data.X_train, t.data.y_given)
    t.forget_logits()
    t.history.mark(t.steps, "solved", "gd", "lstsq")
    t.evaluate()
    return True


@torch.no_grad()
def predict(run: RegressionRun, x: np.ndarray) -> np.ndarray:
    """The model's ŷ at the points x (float64 in, float64 out)."""
    model = run.trainer.model
    model.eval()
    return model(torch.as_tensor(np.asarray(x, dtype=np.float32).reshape(-1, 1))).double().numpy()


def band_coverage(run: RegressionRun) -> float | None:
    """Share of the test points between the band's lowest and highest quantile curves (nominal: 0.9 − 0.1)."""
    if not run.band:
        return None
    x = run.data.x_test.numpy().reshape(-1)
    lo, hi = predict(run.band[0], x), predict(run.band[-1], x)
    y = run.data.y_test.numpy()
    return float(((y >= np.minimum(lo, hi)) & (y <= np.maximum(lo, hi))).mean())
