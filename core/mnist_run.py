"""An MNIST / Fashion-MNIST run: config -> subset -> label noise -> model -> trainer.

The page advances it by a time budget per frame; views (confusion, galleries,
boundary slices, calibration) are computed from the full clean test set.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from core import budget, distill
from core.analysis import (Plane, bounds_around, confusion_matrix, pca_plane, plane_grid, reliability,
                           three_point_plane)
from core.config import (LR_TICKS, NOISE_KINDS, WD_TICKS, QueryConfig, Warning_, choice, normalised_loss_params,
                         number)
from core.device import training_device
from core.losses import LOSSES
from core.mnist_data import IMAGE_DATASETS, ImageData
from core.models import build_model
from core.noise import MNIST_PAIRS, apply_label_noise
from core.optim import OPTIMIZERS, WEIGHT_DECAY_MODES
from core.trainer import Trainer, TrainData, predict

# Class-dependent flips between look-alike classes. Fashion-MNIST's analogue of MNIST's
# 7→1, 2→7, 5↔6, 3→8: T-shirt→Shirt, Pullover→Coat, Sandal↔Sneaker, Ankle boot→Sneaker.
STANDARD_PAIRS = {"mnist": list(MNIST_PAIRS), "fashion": [(0, 6), (2, 4), (5, 7), (7, 5), (9, 7)]}
MULTICLASS_LOSSES = tuple(LOSSES) + (distill.KEY,)
N_TRAIN_TICKS = (500, 1000, 2000, 5000, 8000, 10_000, 20_000, 30_000, 60_000)
EVAL_TRAIN_SAMPLES = 4000   # training metrics on a fixed random subset (flipped ones included)
EVAL_TEST_SAMPLES = {"mlp": 10_000, "cnn": 2_000}  # the CNN is slower: a fixed test subset while live
EVAL_MACS = 1e10           # multiply-adds of one live evaluation at most (see eval_sizes) ...
MIN_EVAL_TRAIN, MIN_EVAL_TEST = 500, 1000  # ... but never fewer samples than these
EVAL_EVERY_SECONDS = 1.0  # while playing: metrics at most this often ...
EVAL_SHARE = 0.25         # ... and at most this share of the time (a 4x2048 MLP's evaluation takes seconds)


def parse_hidden(text: str) -> tuple[int, ...]:
    """'256' or '512, 256' -> (512, 256); raises ValueError on anything else."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    # ASCII digits only: int() would also read "٢٥٦", "１２８", "2_048" and "+256", which no link should say
    if not all(p.isascii() and p.isdigit() and len(p) <= 5 for p in parts):
        raise ValueError("hidden sizes: plain digits 0-9")
    sizes = tuple(int(p) for p in parts)
    if not sizes or len(sizes) > 4 or any(not 1 <= s <= 2048 for s in sizes):
        raise ValueError("hidden sizes: 1 to 4 layers of 1..2048 units, e.g. 256 or 512,256")
    return sizes


@dataclass(frozen=True)
class MnistConfig(QueryConfig):
    dataset: str = choice("mnist", IMAGE_DATASETS)
    n_train: int = number(10_000, 500, 60_000, ticks=N_TRAIN_TICKS)
    noise_kind: str = choice("none", NOISE_KINDS)
    noise_rate: float = number(0.4, 0.0, 1.0, step=0.05)
    model: str = choice("mlp", ("mlp", "cnn"))
    hidden: str = "256"
    loss: str = choice("cross_entropy", MULTICLASS_LOSSES)
    loss_params: tuple = ()
    optimizer: str = choice("adam", tuple(OPTIMIZERS))
    lr: float = number(1e-3, 1e-5, 10.0, ticks=LR_TICKS[:-1])
    batch_size: int = number(128, 1, 4096, ticks=(1, 8, 16, 32, 64, 128, 256, 512, 1024))
    weight_decay: float = number(0.0, 0.0, 1.0, ticks=WD_TICKS)
    wd_mode: str = choice("l2", WEIGHT_DECAY_MODES)
    teacher_epochs: int = number(3, 1, 10, step=1)
    seed: int = number(0, 0, 2**31 - 1, step=1)

    def __post_init__(self):
        if self.loss in MULTICLASS_LOSSES:
            object.__setattr__(self, "loss_params", normalised_loss_params(self.loss, self.loss_params))

    def validated(self, warnings: list | None = None):
        try:
            parse_hidden(self.hidden)
        except ValueError:
            if warnings is not None:
                warnings.append(Warning_("warn.url.bad_value", {"key": "hidden", "value": self.hidden[:40]}))
            return self.replace(hidden="256")
        return self

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return parse_hidden(self.hidden)

    def data_key(self) -> tuple:
        return (self.dataset, self.n_train, self.noise_kind, self.noise_rate, self.seed)

    def model_key(self) -> tuple:
        return (self.model, self.hidden, self.seed)


@dataclass
class MnistRun:
    config: MnistConfig
    data: ImageData
    trainer: Trainer
    teacher: torch.nn.Module | None = None
    teacher_test_acc: float | None = None
    _views: dict = field(default_factory=dict)       # per trained state (see state_key); "_state" is its key
    _data_views: dict = field(default_factory=dict)  # per data subset: never stale while the run lives
    eval_seconds: float = 0.0                        # the last evaluation's duration
    last_eval_at: float = float("-inf")              # clock() when it ended

    @property
    def epoch(self) -> float:
        return self.trainer.epoch


def _noisy(config: MnistConfig, data: ImageData):
    pairs = STANDARD_PAIRS[config.dataset] if config.noise_kind == "pairs" else ()
    return apply_label_noise(data.y_train, 10, config.noise_kind, config.noise_rate,
                             seed=config.seed + 1, pairs=pairs)


def _model(config: MnistConfig, seed: int) -> torch.nn.Module:
    return build_model(config.model, 784, 10, seed, hidden=config.hidden_sizes, activation="relu")


def build_mnist_run(config: MnistConfig, full: ImageData, teacher: torch.nn.Module | None = None,
                    teacher_test_acc: float | None = None) -> MnistRun:
    return _run_on(config, full.subset(config.n_train, config.seed), teacher, teacher_test_acc)


def eval_sizes(config: MnistConfig, model: torch.nn.Module) -> tuple[int, int]:
    """(training, test) samples a live evaluation uses. An evaluation cannot be interrupted (Pause
    waits for it), so big MLPs evaluate fewer samples: about EVAL_MACS multiply-adds (~0.3 s on one
    core) instead of seconds for a 4x2048 net; small nets keep the full subsets. (An MLP does about
    one multiply-add per weight and sample; the CNN already has a small test subset.)"""
    if config.model != "mlp":
        return EVAL_TRAIN_SAMPLES, EVAL_TEST_SAMPLES[config.model]
    per_sample = sum(p.numel() for p in model.parameters())
    train = int(min(EVAL_TRAIN_SAMPLES, max(MIN_EVAL_TRAIN, 0.3 * EVAL_MACS / per_sample)))
    test = int(min(EVAL_TEST_SAMPLES["mlp"], max(MIN_EVAL_TEST, 0.7 * EVAL_MACS / per_sample)))
    return train, test


def _run_on(config: MnistConfig, data: ImageData, teacher: torch.nn.Module | None,
            teacher_test_acc: float | None) -> MnistRun:
    """A run on `data`, the config's subset of the full data set."""
    noisy = _noisy(config, data)
    device = training_device()  # the training copies live there; run.data (views, galleries) stays on the CPU
    teacher_train = teacher_test = None
    if teacher is not None:
        with torch.no_grad():
            teacher.eval()
            teacher_train = torch.cat([teacher(c.to(device)) for c in data.X_train.split(4096)])
            teacher_test = torch.cat([teacher(c.to(device)) for c in data.X_test.split(4096)])
    train = TrainData(data.X_train.to(device), noisy.labels.to(device), noisy.flipped.to(device),
                      data.X_test.to(device), data.y_test.to(device), teacher_train, teacher_test)
    model = _model(config, config.seed).to(device)  # same initial weights on any device (built on the CPU)
    n_train_eval, n_test_eval = eval_sizes(config, model)
    g = torch.Generator().manual_seed(config.seed + 7)
    eval_train = torch.randperm(len(data.y_train), generator=g)[:n_train_eval]
    n_test = min(n_test_eval, len(data.y_test))
    eval_test = None if n_test >= len(data.y_test) else torch.randperm(len(data.y_test), generator=g)[:n_test]
    loss = config.loss if (config.loss != distill.KEY or teacher is not None) else "cross_entropy"
    trainer = Trainer(model, train, loss=loss,
                      loss_params=dict(config.loss_params) if loss == config.loss else None,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, seed=config.seed,
                      eval_train_idx=eval_train, eval_test_idx=eval_test)
    run = MnistRun(config, data, trainer, teacher, teacher_test_acc)
    _evaluate(run, time.perf_counter)  # also measures what an evaluation costs this model
    return run


def update_mnist_run(run: MnistRun | None, config: MnistConfig, full: ImageData) -> tuple[MnistRun, str]:
    """Like the 2D page: 'new', 'data', 'model' rebuild; training settings apply 'live'."""
    if run is None:
        return build_mnist_run(config, full), "new"
    if run.config.data_key() != config.data_key() or run.data.name != full.name:
        return build_mnist_run(config, full), "data"  # the old teacher saw other labels: dropped
    if run.config.model_key() != config.model_key():
        return build_mnist_run(config, full, run.teacher, run.teacher_test_acc), "model"
    if run.config == config:
        return run, "same"
    t = run.trainer
    if config.lr != t.lr:
        t.set_lr(config.lr)
        t.resume_after_divergence()
    loss = config.loss if (config.loss != distill.KEY or run.teacher is not None) else "cross_entropy"
    t.configure(loss=loss, loss_params=dict(config.loss_params) if loss == config.loss else {},
                optimizer=config.optimizer, batch_size=config.batch_size,
                weight_decay=config.weight_decay, wd_mode=config.wd_mode)
    run.config = config
    return run, "live"


def train_for(run: MnistRun, seconds: float, max_steps: int | None = None, evaluate: bool = True,
              clock=time.perf_counter) -> int:
    """Train until the time budget is spent (the page's frame) or max_steps are done, then maybe
    evaluate. Chunks adapt to the measured step time (core/budget.py): one step first, so a frame
    of a big model stays near its budget; a single step longer than the budget is still done."""
    done = budget.run_chunks(run.trainer.step, max_steps, seconds, clock).done
    if evaluate:
        _evaluate(run, clock)
    return done


def _evaluate(run: MnistRun, clock) -> None:
    t0 = clock()
    run.trainer.evaluate()
    run.last_eval_at = clock()
    run.eval_seconds = run.last_eval_at - t0


def eval_due(run: MnistRun, clock=time.perf_counter) -> bool:
    """Evaluate while playing at most every EVAL_EVERY_SECONDS, and so that evaluations take at
    most EVAL_SHARE of the time: the curves keep exact values, only their points are sparser."""
    return clock() - run.last_eval_at >= max(EVAL_EVERY_SECONDS, run.eval_seconds / EVAL_SHARE)


def live_frame(run: MnistRun, seconds: float, clock=time.perf_counter) -> int:
    """One frame of the playing page: training plus, when due, an evaluation, within `seconds`
    (an evaluation longer than the frame still runs whole: Trainer.evaluate is one call)."""
    due = eval_due(run, clock)
    done = train_for(run, max(0.0, seconds - run.eval_seconds) if due else seconds, evaluate=False, clock=clock)
    if due:
        _evaluate(run, clock)
    return done


def train_lockstep(runs: list[MnistRun], seconds: float, evaluate: bool | None = None,
                   clock=time.perf_counter) -> int:
    """Every run advances by the same number of steps within one time budget for all of them, then
    all are evaluated together: always (evaluate=True), never, or when due (None: as in live_frame,
    judged by the evaluations of all runs)."""
    if evaluate is None:
        cost = sum(r.eval_seconds for r in runs)
        since = clock() - max(r.last_eval_at for r in runs)
        evaluate = since >= max(EVAL_EVERY_SECONDS, cost / EVAL_SHARE)
    if evaluate:
        seconds = max(0.0, seconds - sum(r.eval_seconds for r in runs))
    done = budget.run_chunks(budget.lockstep_step([r.trainer for r in runs]), None, seconds, clock).done
    if evaluate:
        for run in runs:
            _evaluate(run, clock)
    return done


def train_teacher(run: MnistRun, epochs: int, progress=None) -> tuple[torch.nn.Module, float]:
    """Train a cross-entropy teacher of the same architecture on the same (noisy) labels.

    Returns its clean test accuracy. progress(fraction) is called between chunks.
    """
    c = run.config
    teacher = _model(c, c.seed + 1000).to(run.trainer.device)
    td = run.trainer.data
    data = TrainData(td.X_train, td.y_given, td.flipped, td.X_test, td.y_test)
    tt = Trainer(teacher, data, loss="cross_entropy", optimizer="adam", lr=1e-3,
                 batch_size=128, seed=c.seed + 1000, eval_train_idx=torch.arange(0))
    total = epochs * max(1, -(-data.n_train // 128))
    done = 0
    while done < total:
        n = tt.step(min(50, total - done))
        if n == 0:  # diverged: keep what we have
            break
        done += n
        if progress is not None:
            progress(done / total)
    with torch.no_grad():
        teacher.eval()
        acc = (predict(tt.logits_batched(td.X_test)) == td.y_test).float().mean().item()
    return teacher, acc


def attach_teacher(run: MnistRun, teacher: torch.nn.Module, acc: float) -> MnistRun:
    """A new student run (fresh weights from the seed) that can use the distillation loss."""
    return _run_on(run.config, run.data, teacher, acc)


# ---- views (computed on the full clean test set, once per trained state) ----
def state_key(run: MnistRun) -> tuple:
    """The trained state: steps, plus each parameter's storage and version counter (bumped by every
    in-place change: optimizer steps, load_state_dict of imported or reopened weights, restores)."""
    return (run.trainer.steps,) + tuple((p.data_ptr(), p._version) for p in run.trainer.model.parameters())


def _per_state(run: MnistRun, key: tuple, compute):
    state = state_key(run)
    if run._views.get("_state") != state:
        run._views.clear()
        run._views["_state"] = state
    if key not in run._views:
        run._views[key] = compute()
    return run._views[key]


def _per_data(run: MnistRun, key: tuple, compute):
    if key not in run._data_views:
        run._data_views[key] = compute()
    return run._data_views[key]


def test_outputs(run: MnistRun) -> tuple[torch.Tensor, torch.Tensor]:
    """(probabilities, predictions) on the whole test set for the current weights."""
    def compute():
        probs = torch.softmax(run.trainer.logits_batched(run.data.X_test), dim=1)
        return probs, probs.argmax(1)
    return _per_state(run, ("test",), compute)


def confusion(run: MnistRun):
    return _per_state(run, ("confusion",), lambda: confusion_matrix(test_outputs(run)[1], run.data.y_test, 10))


def calibration(run: MnistRun, n_bins: int = 15):
    return _per_state(run, ("calibration", n_bins), lambda: reliability(test_outputs(run)[0], run.data.y_test, n_bins))


def misclassified(run: MnistRun, limit: int = 24) -> list[tuple[int, int, int]]:
    """[(test index, true, predicted)] of the first `limit` mistakes."""
    def compute():
        _, pred = test_outputs(run)
        wrong = (pred != run.data.y_test).nonzero().flatten()[:limit]
        return [(int(i), int(run.data.y_test[i]), int(pred[i])) for i in wrong]
    return _per_state(run, ("misclassified", limit), compute)


def flipped_examples(run: MnistRun, limit: int = 24) -> list[tuple[int, int, int, int]]:
    """[(train index, given noisy label, true label, model's prediction)]."""
    @torch.no_grad()
    def compute():
        d = run.trainer.data
        idx = d.flipped.nonzero().flatten()[:limit].cpu()
        if len(idx) == 0:
            return []
        pred = predict(run.trainer.logits_batched(d.X_train[idx]))
        return [(int(i), int(d.y_given[i]), int(run.data.y_train[i]), int(p)) for i, p in zip(idx, pred)]
    return _per_state(run, ("flipped", limit), compute)


def pca_view(run: MnistRun, shown: int = 1500) -> tuple[Plane, torch.Tensor, tuple]:
    """(PCA plane of the training images, the first `shown` test images on it, bounds): per data subset."""
    def compute():
        plane = pca_plane(run.data.X_train)
        coords = plane.project(run.data.X_test[:shown])
        return plane, coords, bounds_around(coords)
    return _per_data(run, ("pca", shown), compute)


def pca_slice(run: MnistRun, shown: int = 1500, resolution: int = 110):
    """The model's predictions on the PCA plane's grid (a Grid), per trained state."""
    plane, _, bounds = pca_view(run, shown)
    return _per_state(run, ("pca_slice", shown, resolution),
                      lambda: plane_grid(run.trainer.model, plane, bounds, resolution))


def three_point_view(run: MnistRun, picks: tuple[int, int, int]) -> tuple[Plane, torch.Tensor, tuple]:
    """(plane through three test images, their coordinates, bounds); ValueError if they are collinear."""
    def compute():
        X = run.data.X_test
        plane = three_point_plane(X[picks[0]], X[picks[1]], X[picks[2]])
        anchors = plane.project(torch.stack([X[i] for i in picks]))
        return plane, anchors, bounds_around(anchors, pad=0.6, quantile=0.0)
    return _per_data(run, ("three", tuple(picks)), compute)


def three_point_slice(run: MnistRun, picks: tuple[int, int, int], resolution: int = 120):
    plane, _, bounds = three_point_view(run, picks)
    return _per_state(run, ("three_slice", tuple(picks), resolution),
                      lambda: plane_grid(run.trainer.model, plane, bounds, resolution))
