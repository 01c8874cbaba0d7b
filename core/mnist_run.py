"""An MNIST / Fashion-MNIST run: config -> subset -> label noise -> model -> trainer.

The page advances it by a time budget per frame; views (confusion, galleries,
boundary slices, calibration) are computed from the full clean test set.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from core import distill
from core.analysis import confusion_matrix, reliability
from core.config import QueryConfig, Warning_, choice, normalised_loss_params, number
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
EVAL_TRAIN_SAMPLES = 4000   # training metrics on a fixed random subset (flipped ones included)
EVAL_TEST_SAMPLES = {"mlp": 10_000, "cnn": 2_000}  # the CNN is slower: a fixed test subset while live


def parse_hidden(text: str) -> tuple[int, ...]:
    """'256' or '512, 256' -> (512, 256); raises ValueError on anything else."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    sizes = tuple(int(p) for p in parts)
    if not sizes or len(sizes) > 4 or any(not 1 <= s <= 2048 for s in sizes):
        raise ValueError("hidden sizes: 1 to 4 layers of 1..2048 units, e.g. 256 or 512,256")
    return sizes


@dataclass(frozen=True)
class MnistConfig(QueryConfig):
    dataset: str = choice("mnist", IMAGE_DATASETS)
    n_train: int = number(10_000, 500, 60_000)
    noise_kind: str = choice("none", ("none", "symmetric", "pairs"))
    noise_rate: float = number(0.4, 0.0, 1.0)
    model: str = choice("mlp", ("mlp", "cnn"))
    hidden: str = "256"
    loss: str = choice("cross_entropy", MULTICLASS_LOSSES)
    loss_params: tuple = ()
    optimizer: str = choice("adam", tuple(OPTIMIZERS))
    lr: float = number(1e-3, 1e-5, 10.0)
    batch_size: int = number(128, 1, 4096)
    weight_decay: float = number(0.0, 0.0, 1.0)
    wd_mode: str = choice("l2", WEIGHT_DECAY_MODES)
    teacher_epochs: int = number(3, 1, 30)
    seed: int = number(0, 0, 2**31 - 1)

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
    _views: dict = field(default_factory=dict)

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


def _run_on(config: MnistConfig, data: ImageData, teacher: torch.nn.Module | None,
            teacher_test_acc: float | None) -> MnistRun:
    """A run on `data`, the config's subset of the full data set."""
    noisy = _noisy(config, data)
    teacher_train = teacher_test = None
    if teacher is not None:
        with torch.no_grad():
            teacher.eval()
            teacher_train = torch.cat([teacher(c) for c in data.X_train.split(4096)])
            teacher_test = torch.cat([teacher(c) for c in data.X_test.split(4096)])
    train = TrainData(data.X_train, noisy.labels, noisy.flipped, data.X_test, data.y_test,
                      teacher_train, teacher_test)
    g = torch.Generator().manual_seed(config.seed + 7)
    eval_train = torch.randperm(len(data.y_train), generator=g)[:EVAL_TRAIN_SAMPLES]
    n_test = min(EVAL_TEST_SAMPLES[config.model], len(data.y_test))
    eval_test = None if n_test >= len(data.y_test) else torch.randperm(len(data.y_test), generator=g)[:n_test]
    loss = config.loss if (config.loss != distill.KEY or teacher is not None) else "cross_entropy"
    trainer = Trainer(_model(config, config.seed), train, loss=loss,
                      loss_params=dict(config.loss_params) if loss == config.loss else None,
                      optimizer=config.optimizer, lr=config.lr, batch_size=config.batch_size,
                      weight_decay=config.weight_decay, wd_mode=config.wd_mode, seed=config.seed,
                      eval_train_idx=eval_train, eval_test_idx=eval_test)
    trainer.evaluate()
    return MnistRun(config, data, trainer, teacher, teacher_test_acc)


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


def train_for(run: MnistRun, seconds: float, max_steps: int | None = None, evaluate: bool = True) -> int:
    """Train in chunks until the time budget is spent (the page's frame), then maybe evaluate."""
    t, done = run.trainer, 0
    deadline = time.perf_counter() + seconds
    chunk = 5
    while time.perf_counter() < deadline and t.diverged is None:
        if max_steps is not None and done >= max_steps:
            break
        step = chunk if max_steps is None else min(chunk, max_steps - done)
        done += t.step(step)
    if evaluate:
        t.evaluate()
    run._views.clear()
    return done


def train_teacher(run: MnistRun, epochs: int, progress=None) -> tuple[torch.nn.Module, float]:
    """Train a cross-entropy teacher of the same architecture on the same (noisy) labels.

    Returns its clean test accuracy. progress(fraction) is called between chunks.
    """
    c = run.config
    teacher = _model(c, c.seed + 1000)
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


# ---- views (computed on the full clean test set, cached per training step) ----
def test_outputs(run: MnistRun) -> tuple[torch.Tensor, torch.Tensor]:
    """(probabilities, predictions) on the whole test set for the current weights."""
    key = ("test", run.trainer.steps)
    if key not in run._views:
        logits = run.trainer.logits_batched(run.data.X_test)
        probs = torch.softmax(logits, dim=1)
        run._views[key] = (probs, probs.argmax(1))
    return run._views[key]


def confusion(run: MnistRun):
    _, pred = test_outputs(run)
    return confusion_matrix(pred, run.data.y_test, 10)


def calibration(run: MnistRun, n_bins: int = 15):
    probs, _ = test_outputs(run)
    return reliability(probs, run.data.y_test, n_bins)


def misclassified(run: MnistRun, limit: int = 24) -> list[tuple[int, int, int]]:
    """[(test index, true, predicted)] of the first `limit` mistakes."""
    _, pred = test_outputs(run)
    wrong = (pred != run.data.y_test).nonzero().flatten()[:limit]
    return [(int(i), int(run.data.y_test[i]), int(pred[i])) for i in wrong]


@torch.no_grad()
def flipped_examples(run: MnistRun, limit: int = 24) -> list[tuple[int, int, int, int]]:
    """[(train index, given noisy label, true label, model's prediction)]."""
    d = run.trainer.data
    idx = d.flipped.nonzero().flatten()[:limit]
    if len(idx) == 0:
        return []
    pred = predict(run.trainer.logits_batched(d.X_train[idx]))
    return [(int(i), int(d.y_given[i]), int(run.data.y_train[i]), int(p)) for i, p in zip(idx, pred)]
