"""A regression run: 1D data (core/data/data1d.py), a model (core/learning/regression_models.py) and the shared trainer
with the regression task (core/learning/trainer.py), updated and advanced like every live run (core/runs/__init__.py); the
quantile band is three more runs (pinball at τ = 0.1, 0.5, 0.9) stepped in lockstep with it on the same
data and initial weights."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import torch

from core.data.data1d import Regression1D, make_regression_data, regression_from_xy
from core.data.edits import EditError, apply_fitting, parse_prefix
from core.runs import Run
from core.runs.regression_config import QUANTILE_BAND, RegressionConfig
from core.learning.regression_losses import loss_params_text
from core.learning.regression_models import REGRESSION_MODELS, build_regression_model, fit_least_squares
from core.learning.trainer import REGRESSION, TrainData, Trainer


@dataclass(frozen=True, eq=False)
class Upload1D:
    """Uploaded (x, y) points (core/data1d.parse_xy_csv), once per file."""
    x: np.ndarray
    y: np.ndarray
    name: str
    file_id: str


@dataclass(kw_only=True)
class RegressionRun(Run):
    """A regression run (core/runs.Run; `data` is its Regression1D) and its quantile band: three more runs
    (pinball at τ in QUANTILE_BAND) stepped in lockstep with it, each keeping its own loss."""
    band: list = field(default_factory=list)
    fixed_loss: tuple | None = None  # a band member's (loss, params): the page's loss settings do not reach it
    residual_half: float = 0.0  # the residual chart's y range, ± this (core/pictures/regression_frames.py keeps it)
    base: Regression1D | None = None  # the data before the hand edits (core/data/edits.py); `data` is after them

    @property
    def members(self) -> list:
        return [self] + self.band

    def training(self, config: RegressionConfig) -> dict:
        settings = super().training(config)
        if self.fixed_loss is not None:
            settings["loss"], settings["loss_params"] = self.fixed_loss
        return settings

    def apply(self, config: RegressionConfig) -> None:
        t = self.trainer
        if config.loss == t.loss_key and config.loss_kwargs != t.loss_params:  # marked like a new loss or lr
            t.history.mark(t.steps, "rloss_param", loss_params_text(config.loss, t.loss_params),
                           loss_params_text(config.loss, config.loss_kwargs))
        super().apply(config)

    def edited(self, text: str) -> tuple[Regression1D, EditError | None]:
        return edited_data(self.base, text)

    def edit_count(self, data: Regression1D | None = None) -> int:
        return (self.data if data is None else data).n_train - self.base.n_train  # points added by hand

    def use_edited(self, data: Regression1D, config: RegressionConfig) -> None:
        for member in self.members:  # the band's runs train on the same points
            member.data = data
            member.trainer.set_train_data(train_data(data, config.leak))
            member.trainer.evaluate()


def edited_data(base: Regression1D, text: str) -> tuple[Regression1D, EditError | None]:
    """The data after the hand edits `text` (core/data/edits.py: (x, y) points added to the training set, ringed
    like the outliers; removals), checked against the unedited data's view, which the edited data keeps (a click
    at its edge stays in it): (data, the first edit that did not fit, if any: it and the later ones are left out)."""
    edits, problem = parse_prefix(text, regression=True)
    if not edits:
        return base, problem
    done, misfit = apply_fitting(base.x_train.numpy(), base.y_train.numpy(), base.y_train_clean.numpy(),
                                 base.outliers.numpy(), edits, base.bounds(), None)
    return dataclasses.replace(base, x_train=torch.from_numpy(done.X), y_train=torch.from_numpy(done.y),
                               y_train_clean=torch.from_numpy(done.clean),
                               outliers=torch.from_numpy(done.flipped), view=base.bounds()), misfit or problem


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


def _member(config: RegressionConfig, d: Regression1D, loss: str, loss_params: dict,
            stats: Regression1D | None = None) -> RegressionRun:
    x = (stats if stats is not None else d).x_train.double()  # (a hand-edited run keeps its unedited data's)
    mean, std = float(x.mean()), float(x.std()) if len(x) > 1 else 1.0
    model = build_regression_model(config.model, config.seed, mean, std if std > 0 else 1.0, degree=config.degree,
                                   depth=config.depth, width=config.width, activation=config.activation)
    trainer = Trainer(model, train_data(d, config.leak), loss=loss, loss_params=loss_params,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size, seed=config.seed,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, task=REGRESSION)
    trainer.evaluate()
    return RegressionRun(config=config, data=d, trainer=trainer)


def build_regression_run(config: RegressionConfig, upload=None, old: RegressionRun | None = None,
                         data: Regression1D | None = None) -> RegressionRun:
    """A new run of `config`: on old's data when given (a new model), else on `data` or the config's own."""
    base = (old.base or old.data) if old is not None else data if data is not None else load_data(config, upload)
    d, problem = edited_data(base, config.edits)
    run = _member(config, d, config.loss, config.loss_kwargs, stats=base)
    run.base, run.edit_problem = base, problem
    if config.band:
        run.band = [_member(config, d, "pinball", {"tau": tau}, stats=base) for tau in QUANTILE_BAND]
        for phase, (member, tau) in enumerate(zip(run.band, QUANTILE_BAND)):
            member.eval_every, member.eval_phase = len(run.band), phase
            member.fixed_loss = ("pinball", {"tau": tau})
    run.upload = upload if config.dataset == "upload" else None
    return run


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
