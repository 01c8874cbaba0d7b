"""The Regression page's one config: a declarative schema that round-trips through the URL,
like Playground2DConfig. Ranges come from core/data/data1d.py and the registries, and the widgets read them
from here (one source of truth for links and widgets)."""
from __future__ import annotations

from dataclasses import dataclass

from core.runs.config import (LR_TICKS, SPEEDS, WD_TICKS, QueryConfig, Warning_, choice,  # noqa: F401
                         edits_validated, normalised_loss_params, number)
from core.serving.compute_limits import Load, NetShape, fit_to_server, mlp_shape, server_limits
from core.data.data1d import (DATASETS_1D, DEFAULT_DF, DEFAULT_N, DEFAULT_OUTLIER_SIDE, DEFAULT_OUTLIER_SIZE, DF_RANGE,
                         N_RANGE, NOISE_RANGE, OUTLIER_FRACTION_RANGE, OUTLIER_SIDES, OUTLIER_SIZE_RANGE,
                         TEST_FRACTION_RANGE, UPLOAD_KEY)
from core.learning.models import ACTIVATIONS
from core.learning.engines import OPTIMIZERS, WEIGHT_DECAY_MODES
from core.learning.regression_losses import REGRESSION_LOSSES
from core.learning.regression_models import MAX_DEGREE, REGRESSION_MODELS

DATASET_KEYS_1D = tuple(DATASETS_1D) + (UPLOAD_KEY,)
FULL_BATCH_1D = 2000  # the batch slider's last mark: the whole training set (at most 2,000 points)
BATCH_TICKS_1D = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, FULL_BATCH_1D)
QUANTILE_BAND = (0.1, 0.5, 0.9)  # the band's quantile levels (its 0.1–0.9 part should cover ~80%)


def regression_loss_specs(loss: str):
    return REGRESSION_LOSSES[loss].params


@dataclass(frozen=True)
class RegressionConfig(QueryConfig):
    # data
    dataset: str = choice("sine", DATASET_KEYS_1D)
    n_samples: int = number(DEFAULT_N, N_RANGE[0], N_RANGE[1], step=10)
    noise: float = number(0.3, NOISE_RANGE[0], NOISE_RANGE[1], step=0.05)
    df: int = number(DEFAULT_DF, DF_RANGE[0], DF_RANGE[1], step=1)
    test_fraction: float = number(0.3, TEST_FRACTION_RANGE[0], TEST_FRACTION_RANGE[1], step=0.05)
    outlier_fraction: float = number(0.0, OUTLIER_FRACTION_RANGE[0], OUTLIER_FRACTION_RANGE[1], step=0.01)
    outlier_size: float = number(DEFAULT_OUTLIER_SIZE, OUTLIER_SIZE_RANGE[0], OUTLIER_SIZE_RANGE[1], step=0.5)
    outlier_side: str = choice(DEFAULT_OUTLIER_SIDE, OUTLIER_SIDES)
    leak: bool = False  # the test points are trained on too (data leakage: the test loss stops meaning anything)
    seed: int = number(0, 0, 2**31 - 1, step=1)
    edits: str = ""  # (x, y) points added by hand, WITHOUT a rebuild (not in data_key): "a0.5,3.2;a1,-2" (core/data/edits.py)
    # model
    model: str = choice("mlp", tuple(REGRESSION_MODELS))
    degree: int = number(3, 1, MAX_DEGREE, step=1)
    depth: int = number(2, 1, 6, step=1)
    width: int = number(32, 1, 64, step=1)
    activation: str = choice("tanh", tuple(ACTIVATIONS))
    # training: these act on a running model without a reset
    loss: str = choice("mse", tuple(REGRESSION_LOSSES))
    loss_params: tuple = ()
    band: bool = False  # train the 0.1, 0.5 and 0.9 quantiles beside the run (pinball) and draw the band
    optimizer: str = choice("adam", tuple(OPTIMIZERS))
    lr: float = number(0.01, 1e-5, 100.0, ticks=LR_TICKS)
    batch_size: int = number(32, 1, FULL_BATCH_1D, ticks=BATCH_TICKS_1D)
    weight_decay: float = number(0.0, 0.0, 1.0, ticks=WD_TICKS)
    wd_mode: str = choice("l2", WEIGHT_DECAY_MODES)
    speed: str = choice("normal", SPEEDS)

    loss_param_specs = staticmethod(regression_loss_specs)

    def __post_init__(self):
        if self.loss in REGRESSION_LOSSES:
            object.__setattr__(self, "loss_params",
                               normalised_loss_params(self.loss, self.loss_params, regression_loss_specs))

    @property
    def loss_kwargs(self) -> dict[str, float]:
        return dict(self.loss_params)

    def data_key(self) -> tuple:
        """Fields whose change rebuilds the data (and so the model)."""
        return (self.dataset, self.n_samples, self.noise, self.df, self.test_fraction, self.outlier_fraction,
                self.outlier_size, self.outlier_side, self.leak, self.seed)

    def net_shape(self) -> NetShape:
        if self.model == "mlp":
            return mlp_shape((1,) + (self.width,) * self.depth + (1,))
        return mlp_shape((self.degree if self.model == "polynomial" else 1, 1))

    def load(self) -> Load:
        """What a frame costs at least: a step of the model and of the band's three beside it, and their
        evaluations on every point (core/serving/compute_limits.py)."""
        shape, batch = self.net_shape(), min(self.batch_size, self.n_samples)
        band = len(QUANTILE_BAND) * self.band
        # the band's members take turns to evaluate: one of them a frame (core/regression_run.build_regression_run)
        return Load(((shape, batch, self.n_samples),) + ((shape, batch, -(-self.n_samples // max(band, 1))),) * band)

    def validated(self, warnings: list | None = None):
        fixed = edits_validated(self, warnings, regression=True)
        return fit_to_server([fixed], BATCH_TICKS_1D, warnings, server_limits("cpu"))[0]  # always trained on the CPU

    def model_key(self) -> tuple:
        """Fields whose change rebuilds the model with fresh initial weights."""
        return (self.model, self.degree, self.depth, self.width, self.activation, self.seed, self.band)
