"""An MNIST / Fashion-MNIST run: config -> subset -> label noise -> model -> trainer.

The page advances it by a time budget per frame; views (confusion, galleries,
boundary slices, calibration) are computed from the full clean test set.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from core.serving import compute_limits, pace
from core.learning import distill
from core.lessons.analysis import (Plane, bounds_around, confusion_matrix, pca_plane, plane_grid, reliability,
                           three_point_plane)
from core.runs.config import (LR_TICKS, NOISE_KINDS, SPEEDS, WD_TICKS, QueryConfig, Warning_, choice,
                         normalised_loss_params, number, field_schema)
from core.serving.compute_limits import Load, NetShape, cnn_shape, mlp_shape
from core.learning.engines import OPTIMIZERS, WEIGHT_DECAY_MODES, training_device
from core.learning.losses import LOSSES
from core.data.mnist_data import IMAGE_DATASETS, ImageData
from core.learning.models import build_model
from core.data.noise import MNIST_PAIRS, apply_label_noise
from core.runs import Run
from core.learning.trainer import Trainer, TrainData, predict

# Class-dependent flips between look-alike classes. Fashion-MNIST's analogue of MNIST's
# 7→1, 2→7, 5↔6, 3→8: T-shirt→Shirt, Pullover→Coat, Sandal↔Sneaker, Ankle boot→Sneaker.
STANDARD_PAIRS = {"mnist": list(MNIST_PAIRS), "fashion": [(0, 6), (2, 4), (5, 7), (7, 5), (9, 7)]}
MULTICLASS_LOSSES = tuple(LOSSES) + (distill.KEY,)
N_TRAIN_TICKS = (500, 1000, 2000, 5000, 8000, 10_000, 20_000, 30_000, 60_000)
EVAL_TRAIN_SAMPLES = 4000   # training metrics on a fixed random subset (flipped ones included)
EVAL_TEST_SAMPLES = 10_000  # test metrics on at most this many test images (all of the official split)
EVAL_SECONDS = 0.3        # a whole live evaluation, estimated on the reference core (core/serving/compute_limits.py) ...
MIN_EVAL_TRAIN, MIN_EVAL_TEST = 500, 1000  # ... but never fewer samples than these
EVAL_EVERY_SECONDS = 1.0  # while playing: metrics at most this often ...
EVAL_SHARE = 0.25         # ... and at most this share of the time
EVAL_PIECE = 64           # rows per forward pass of an evaluation in parts

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
    speed: str = choice("normal", SPEEDS)  # live steps a second, the other pages' table (core/runs/config.py)

    def __post_init__(self):
        if self.loss in MULTICLASS_LOSSES:
            object.__setattr__(self, "loss_params", normalised_loss_params(self.loss, self.loss_params))

    def validated(self, warnings: list | None = None):
        try:
            parse_hidden(self.hidden)
        except ValueError:
            if warnings is not None:
                warnings.append(Warning_("warn.url.bad_value", {"key": "hidden", "value": self.hidden[:40]}))
            return self.replace(hidden="256").validated(warnings)
        return fit_to_server([self], warnings)[0]

    def net_shape(self) -> NetShape:
        return cnn_shape() if self.model == "cnn" else mlp_shape((784,) + self.hidden_sizes + (10,))

    def load(self) -> Load:
        return Load(((self.net_shape(), min(self.batch_size, self.n_train), 0),))  # evaluated in parts

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return parse_hidden(self.hidden)

    def data_key(self) -> tuple:
        return (self.dataset, self.n_train, self.noise_kind, self.noise_rate, self.seed)

    def model_key(self) -> tuple:
        return (self.model, self.hidden, self.seed)


def fit_to_server(configs: list, warnings: list | None = None, limits=None) -> list:
    """MNIST configs trained together (one, or a comparison's runs) made to fit this server: hidden
    layers too big fall back to the default, batches are capped (core/serving/compute_limits.py)."""
    return compute_limits.fit_to_server(configs, field_schema(MnistConfig, "batch_size")["ticks"], warnings, limits,
                                        smaller_model=lambda c: c.replace(hidden="256") if c.model == "mlp" else c)


@dataclass(kw_only=True)
class MnistRun(Run):
    """An MNIST run (core/runs.Run; `data` is its subset of the full data set) with its teacher, the views
    of its trained state and its evaluations in parts."""
    teacher: torch.nn.Module | None = None
    teacher_test_acc: float | None = None
    _views: dict = field(default_factory=dict)       # per trained state (see state_key); "_state" is its key
    _data_views: dict = field(default_factory=dict)  # per data subset: never stale while the run lives
    eval_seconds: float = 0.0                        # the last evaluation's duration (CPU, all its parts)
    last_eval_at: float = float("-inf")              # wall clock when it ended
    pending: "PartialEvaluation | None" = None       # an evaluation spread over live frames
    step_seconds: float = 0.0                        # the last measured step (CPU; all runs in lockstep)

    @property
    def epoch(self) -> float:
        return self.trainer.epoch

    def same_source(self, source: ImageData) -> bool:
        return self.data.name == source.name

    def training(self, config: MnistConfig) -> dict:
        """Distillation needs a teacher: cross-entropy until one is trained."""
        loss = config.loss if (config.loss != distill.KEY or self.teacher is not None) else "cross_entropy"
        return dict(loss=loss, loss_params=dict(config.loss_params) if loss == config.loss else {},
                    optimizer=config.optimizer, batch_size=config.batch_size, weight_decay=config.weight_decay,
                    wd_mode=config.wd_mode)


def _noisy(config: MnistConfig, data: ImageData):
    pairs = STANDARD_PAIRS[config.dataset] if config.noise_kind == "pairs" else ()
    return apply_label_noise(data.y_train, 10, config.noise_kind, config.noise_rate,
                             seed=config.seed + 1, pairs=pairs)


def _model(config: MnistConfig, seed: int) -> torch.nn.Module:
    return build_model(config.model, 784, 10, seed, hidden=config.hidden_sizes, activation="relu")


def build_mnist_run(config: MnistConfig, full: ImageData, old: MnistRun | None = None) -> MnistRun:
    """A new run of `config` on its subset of `full`; a new model of `old` keeps its subset and teacher
    (a run on new data drops the teacher: it saw other labels)."""
    if old is not None:
        return _run_on(config, old.data, old.teacher, old.teacher_test_acc)
    return _run_on(config, full.subset(config.n_train, config.seed), None, None)


def eval_sizes(config: MnistConfig) -> tuple[int, int]:
    """(training, test) samples an evaluation uses: about EVAL_SECONDS of the reference core, so that
    big models and the CNN evaluate fewer samples than small MLPs (which keep the full subsets)."""
    rows = EVAL_SECONDS / config.net_shape().forward_seconds(1)
    train = int(min(EVAL_TRAIN_SAMPLES, max(MIN_EVAL_TRAIN, 0.3 * rows)))
    test = int(min(EVAL_TEST_SAMPLES, max(MIN_EVAL_TEST, 0.7 * rows)))
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
    n_train_eval, n_test_eval = eval_sizes(config)
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
    run = MnistRun(config=config, data=data, trainer=trainer, teacher=teacher, teacher_test_acc=teacher_test_acc)
    _evaluate(run, time.perf_counter)  # also measures what an evaluation costs this model
    return run


def train_for(run: MnistRun, seconds: float, max_steps: int | None = None, evaluate: bool = True,
              clock=time.perf_counter) -> int:
    """Train until the time budget is spent (the page's frame) or max_steps are done, then maybe
    evaluate. Chunks adapt to the measured step time (core/serving/pace.py): one step first, so a frame
    of a big model stays near its budget; a single step longer than the budget is still done."""
    done = pace.run_chunks(run.trainer.step, max_steps, seconds, clock).done
    if evaluate:
        _evaluate(run, clock)
    return done


def evaluate_if_behind(run: MnistRun, clock=time.perf_counter) -> bool:
    """A whole evaluation of the current weights when training went past the history's last point (paused
    after playing: live evaluations come at most every EVAL_EVERY_SECONDS, so the status line would show
    losses of an older step than the views). Not after a divergence (weights back at an earlier step)."""
    h = run.trainer.history
    if h.step and h.step[-1] >= run.trainer.steps:
        return False
    _evaluate(run, clock)
    return True


def _evaluate(run: MnistRun, clock, wall=time.perf_counter) -> None:
    t0 = clock()
    run.pending = None
    run.trainer.evaluate()
    run.last_eval_at = wall()
    run.eval_seconds = clock() - t0


class PartialEvaluation:
    """An evaluation of the current weights, a few rows at a time: a live frame computes the logits of
    the rows its time allows, and the last part records the point (Trainer.evaluate). Training waits
    meanwhile, so every part sees the same weights; a change of weights (Step, an import) starts it
    again (`state`)."""

    def __init__(self, run: MnistRun):
        t = run.trainer
        d, ev = t.data, t.evaluator
        self.state = state_key(run)
        self.parts = [(d.X_train, ev.train_idx), (d.X_test, ev.test_idx)]
        self.sizes = [len(X) if idx is None else len(idx) for X, idx in self.parts]
        self.logits: list[list] = [[], []]
        self.part, self.pos = 0, 0
        self.seconds = 0.0
        self.trainer = t

    @property
    def done(self) -> bool:
        return self.part >= len(self.parts)

    def rows(self, k: int) -> int:
        """Logits of k more rows, rounded up to whole pieces of EVAL_PIECE rows: a few input shapes only
        (each new shape costs the convolution library a plan and memory kept for it)."""
        k = -(-max(k, 1) // EVAL_PIECE) * EVAL_PIECE
        done = 0
        while done < k and not self.done:
            X, idx = self.parts[self.part]
            end = min(self.sizes[self.part], self.pos + EVAL_PIECE)
            rows = X[self.pos:end] if idx is None else X[idx[self.pos:end]]
            if len(rows):
                self.logits[self.part].append(self.trainer.logits(rows))
            done += end - self.pos
            self.pos = end
            if self.pos >= self.sizes[self.part]:
                self.part, self.pos = self.part + 1, 0
        return max(done, 1)

    def finish(self) -> None:
        """Record the point from the parts' logits (as Trainer.evaluate would have computed them)."""
        whole = iter([torch.cat(p) if p else self.trainer.logits(X[:0]) for p, (X, _) in zip(self.logits, self.parts)])
        self.trainer.evaluate(logits_of=lambda _rows: next(whole))


def eval_due(runs: MnistRun | list[MnistRun], clock=time.perf_counter) -> bool:
    """Evaluate while playing at most every EVAL_EVERY_SECONDS, and so that evaluations (of all the runs
    together) take at most EVAL_SHARE of the time: the curves keep exact values, only their points are
    sparser; and only weights that no point shows yet."""
    runs = runs if isinstance(runs, list) else [runs]
    h, steps = runs[0].trainer.history, runs[0].trainer.steps
    if h.step and h.step[-1] == steps:
        return False
    cost = sum(r.eval_seconds for r in runs)
    return clock() - max(r.last_eval_at for r in runs) >= max(EVAL_EVERY_SECONDS, cost / EVAL_SHARE)


def _evaluate_part(runs: list[MnistRun], seconds: float, clock, wall) -> None:
    """Spend up to `seconds` on the runs' pending evaluations, in order (each records its point when done)."""
    def rows(k: int) -> int:
        run = next((r for r in runs if r.pending is not None), None)
        if run is None:
            return 0
        t0 = clock()
        n = run.pending.rows(k)
        run.pending.seconds += clock() - t0
        if run.pending.done:
            t0 = clock()
            run.pending.finish()
            run.eval_seconds = run.pending.seconds + clock() - t0
            run.last_eval_at = wall()
            run.pending = None
        return n
    pace.run_chunks(rows, None, seconds, clock)


def live_frame(run: MnistRun, seconds: float, clock=pace.FRAME_CLOCK, wall=time.perf_counter,
               max_steps: int | None = None) -> int:
    """One frame of the playing page within `seconds` of `clock` (CPU): up to `max_steps` training steps
    (the speed's due, core/serving/pace.py), or, when an evaluation is due by the `wall` clock, a part of it (no
    training meanwhile). Returns the steps done."""
    return train_lockstep([run], seconds, max_steps=max_steps, clock=clock, wall=wall)


def train_lockstep(runs: list[MnistRun], seconds: float, evaluate: bool | None = None,
                   clock=pace.FRAME_CLOCK, wall=time.perf_counter, max_steps: int | None = None) -> int:
    """One live frame of runs that advance by the same number of steps: up to `max_steps` (None: as many as
    fit) within `seconds`, or, while an evaluation is due (evaluate=None: judged as eval_due, on all runs'
    evaluations together), parts of every run's evaluation. evaluate=True: train, then evaluate every run
    whole (Step)."""
    if evaluate is None and all(r.pending is None for r in runs) and eval_due(runs, wall):
        for r in runs:
            r.pending = PartialEvaluation(r)
    if evaluate is None and any(r.pending is not None for r in runs):
        for r in runs:  # weights changed since the evaluation started (a Step, an import): start again
            if r.pending is not None and r.pending.state != state_key(r):
                r.pending = PartialEvaluation(r)
        _evaluate_part(runs, seconds, clock, wall)
        return 0
    result = pace.run_chunks(pace.lockstep_step([r.trainer for r in runs]), max_steps, seconds, clock)
    done = result.done
    if result.per_step is not None:
        for r in runs:
            r.step_seconds = result.per_step
    if evaluate:
        for run in runs:
            _evaluate(run, clock, wall)
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
