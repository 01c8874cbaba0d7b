"""The training loop as an object the UI can advance a few steps at a time.

A page calls step(n) once per frame and evaluate() to append a point to the history; set_lr()/configure()
change the running run without resetting it. Its parts, in this order below:
- Batcher: which rows each mini-batch takes (seeded order, cursor, epochs);
- Checkpoint: the state a divergence goes back to (batch walk included);
- Evaluator and History: metrics, the history, the last logits;
- Classification / Regression: what the trainer learns (which loss registry, what accuracy means);
- Trainer itself. The steps (autograd, torch fast path, numpy) are core/learning/engines.py.
The same run written as a plain PyTorch loop: core/reference_loop.py.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np
import torch

from core.learning import distill
from core.learning.engines import AutogradSteps, NumpySteps, Optimization, TorchFastSteps, model_device, numpy_logits
from core.learning.losses import LOSSES, check_loss_fits, compute_loss


# Mini-batches: a fresh seeded permutation of the training rows per epoch, walked by a cursor.

class Batcher:
    def __init__(self, n_rows: int, batch_size: int, seed: int):
        self.n_rows = n_rows
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)
        self.order = np.empty(0, dtype=np.int64)  # numpy: slicing it is cheaper than slicing a tensor
        self.cursor = 0
        self.epochs_done = 0
        self.epochs_before = 0.0  # a run reopened from its record goes on counting from the record's epoch

    @property
    def epoch(self) -> float:
        return self.epochs_before + self.epochs_done + self.cursor / max(1, self.n_rows)

    def next_indices(self) -> np.ndarray:
        """The next mini-batch's row numbers (the last one of an epoch may be shorter)."""
        if self.cursor >= len(self.order):
            if len(self.order):
                self.epochs_done += 1
            self.order = torch.randperm(self.n_rows, generator=self.generator).numpy()
            self.cursor = 0
        idx = self.order[self.cursor:self.cursor + self.batch_size]
        self.cursor += len(idx)
        return idx

    def resize(self, n_rows: int) -> None:
        """The training set changed size mid-run (core/data/edits.py): a fresh permutation of the new rows
        starts now, and the epoch counter goes on from where it stood."""
        self.epochs_before += self.epochs_done + self.cursor / max(1, self.n_rows)
        self.epochs_done, self.cursor = 0, 0
        self.order = np.empty(0, dtype=np.int64)
        self.n_rows = n_rows

    def state(self) -> tuple:
        """Where the walk stands, for a checkpoint; `order` is replaced, never written in place,
        so keeping the reference is enough."""
        return self.order, self.cursor, self.epochs_done, self.generator.get_state()

    def set_state(self, state: tuple) -> None:
        self.order, self.cursor, self.epochs_done, generator_state = state
        self.generator.set_state(generator_state)


# A run's state at one moment, to go back to after a divergence: weights, optimizer state, step
# count and batch walk. The batch walk travels with the weights, so a restored run's step and epoch
# counters agree and it replays the same batches.

class Checkpoint(NamedTuple):
    params: list[torch.Tensor]
    optimizer_state: dict
    steps: int
    batches: tuple  # Batcher.state()


def take_checkpoint(model: torch.nn.Module, optimizer: torch.optim.Optimizer, steps: int, batcher: Batcher) -> Checkpoint:
    """Cheap clones (taken once per Trainer.step() call)."""
    params = [p.detach().clone() for p in model.parameters()]
    state = {p: {k: v.clone() if torch.is_tensor(v) else copy.copy(v) for k, v in s.items()}
             for p, s in optimizer.state.items()}
    return Checkpoint(params, state, steps, batcher.state())


def restore_checkpoint(checkpoint: Checkpoint, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
            batcher: Batcher) -> None:
    """Weights, optimizer state and batch walk back to `checkpoint`, in place."""
    with torch.no_grad():  # in place: views of these tensors (numpy steps) stay valid
        for p, saved in zip(model.parameters(), checkpoint.params):
            p.copy_(saved)
    state = optimizer.state
    for p in list(state):
        if p not in checkpoint.optimizer_state:
            del state[p]  # made by a step after the checkpoint
    for p, s in checkpoint.optimizer_state.items():
        for k, v in s.items():
            if torch.is_tensor(v) and torch.is_tensor(state[p].get(k)) and state[p][k].shape == v.shape:
                state[p][k].copy_(v)
            else:
                state[p][k] = v
    batcher.set_state(checkpoint.batches)


# Measuring a run: metrics of the current weights, the history they go into, and the last
# full-set logits (reused by the frame drawing).

METRICS = ("train_loss", "test_loss", "train_acc", "test_acc", "train_acc_clean", "train_acc_flipped")


@dataclass
class History:
    step: list[int] = field(default_factory=list)
    epoch: list[float] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})
    # Settings changed mid-run: (step, kind, old, new), kind in "lr", "loss", "optimizer".
    events: list[tuple[int, str, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.step)

    def mark(self, step: int, kind: str, old, new) -> None:
        """Record a change; changes of one kind at one step (a dragged slider) merge into one."""
        old, new = str(old), str(new)
        if self.events and self.events[-1][:2] == (step, kind):
            old = self.events.pop()[2]
        if old != new:
            self.events.append((step, kind, old, new))

    def last(self, metric: str) -> float | None:
        series = self.values[metric]
        return series[-1] if series else None

    def at(self, metric: str, step: int) -> float | None:
        """The metric's last point recorded at or before `step`: what the model at that step measured (after
        a divergence the weights go back to an earlier step, while the climb's points stay on the curve)."""
        for s, v in zip(reversed(self.step), reversed(self.values[metric])):
            if s <= step:
                return v
        return None

    def rows(self) -> list[dict]:
        return [{"step": s, "epoch": e, **{m: self.values[m][i] for m in METRICS}}
                for i, (s, e) in enumerate(zip(self.step, self.epoch))]

    def drop_after(self, step: int) -> None:
        """Forget the points recorded after `step` (the climb before a divergence)."""
        keep = next((i for i, s in enumerate(self.step) if s > step), len(self.step))
        del self.step[keep:], self.epoch[keep:]
        for series in self.values.values():
            del series[keep:]


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    if len(labels) == 0:
        return float("nan")
    pred = (logits > 0).long() if logits.ndim == 1 else logits.argmax(1)
    return (pred == labels).float().mean().item()


def predict(logits: torch.Tensor) -> torch.Tensor:
    return (logits > 0).long() if logits.ndim == 1 else logits.argmax(1)


class Evaluator:
    """Metrics on fixed subsets of rows (None = all; subsets keep evaluation cheap on 60k images)."""

    def __init__(self, data, train_idx: torch.Tensor | None = None, test_idx: torch.Tensor | None = None,
                 accuracy: Callable = accuracy):
        self.data = data
        self.accuracy = accuracy  # NaN for regression (core/learning/trainer.py)
        self.train_idx, self.test_idx = train_idx, test_idx
        self.history = History()
        self._last = None  # (step, train logits, test logits, on the full sets?) of the last point

    def measure(self, logits_of: Callable, objective: Callable) -> tuple[dict[str, float], torch.Tensor, torch.Tensor]:
        """(metrics, train logits, test logits); `objective(logits, labels, teacher)` is the loss."""
        d = self.data
        tr_idx = self.train_idx if self.train_idx is not None else slice(None)
        te_idx = self.test_idx if self.test_idx is not None else slice(None)
        train_logits = logits_of(d.X_train[tr_idx])
        test_logits = logits_of(d.X_test[te_idx])
        y_train, y_test, flipped = d.y_given[tr_idx], d.y_test[te_idx], d.flipped[tr_idx]
        t_train = None if d.teacher_train is None else d.teacher_train[tr_idx]
        t_test = None if d.teacher_test is None else d.teacher_test[te_idx]
        clean = ~flipped
        point = {
            "train_loss": objective(train_logits, y_train, t_train).item(),
            "test_loss": objective(test_logits, y_test, t_test).item(),
            "train_acc": self.accuracy(train_logits, y_train),
            "test_acc": self.accuracy(test_logits, y_test),
            "train_acc_clean": self.accuracy(train_logits[clean], y_train[clean]),
            # Agreement with the *given* wrong labels: how much noise is memorised.
            "train_acc_flipped": self.accuracy(train_logits[flipped], y_train[flipped]),
        }
        return point, train_logits, test_logits

    def record(self, step: int, epoch: float, point: dict[str, float],
               train_logits: torch.Tensor, test_logits: torch.Tensor) -> None:
        h = self.history
        h.step.append(step)
        h.epoch.append(epoch)
        for m in METRICS:
            h.values[m].append(point[m])
        self._last = (step, train_logits, test_logits, self.train_idx is None and self.test_idx is None)

    def test_logits_at(self, step: int) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(logits, labels) of the evaluated test rows (all, or the fixed subset) of the last point, if it
        was at `step`: a yardstick without another pass over the test set."""
        cached = self._last
        if cached is None or cached[0] != step:
            return None
        y = self.data.y_test if self.test_idx is None else self.data.y_test[self.test_idx]
        return cached[2], y

    def logits_at(self, step: int) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(train, test) logits of the last recorded point, if it was at `step` and not forgotten since."""
        cached = self._last if self._last is not None and self._last[3] else None
        return (cached[1], cached[2]) if cached is not None and cached[0] == step else None

    def forget_logits(self) -> None:
        self._last = None

    def load_history(self, history: History) -> None:
        self.history = copy.deepcopy(history)
        self._last = None


# What a trainer learns: classes (logits, integer labels, accuracy; core/learning/losses.py) or numbers
# (predictions, real targets; core/learning/regression_losses.py). The trainer, its evaluator and its engines are
# one implementation for both; a task says which loss registry applies and what accuracy means.

class Classification:
    key = "classification"
    loss_event = "loss"  # the History event kind of a loss change (its names: core/learning/losses.py)
    fast_steps = True  # FlatMLP classifiers step with a hand-written backward (core/learning/engines.py)
    one_output = False  # (binary classifiers have one logit: model.binary says so)

    def torch_grad(self, loss: str, binary: bool, params: dict):
        """The loss's closed-form dℓ/dz in torch, (z, y) -> grad, where it has one (else the engine asks autograd
        for it): the classifiers' closed forms take no parameters."""
        spec = LOSSES.get(loss)
        return spec.torch_grad(binary) if spec and not params else None

    def loss_param_specs(self, loss: str):
        return distill.loss_param_specs(loss)

    def check(self, loss: str, model, has_teacher: bool) -> None:
        if loss == distill.KEY and not has_teacher:
            raise ValueError("distillation needs a teacher's logits")
        if loss not in LOSSES and loss != distill.KEY:
            raise ValueError(f"unknown loss {loss!r}")
        check_loss_fits(loss, 2 if getattr(model, "binary", False) else 3)

    def loss(self, key: str, out: torch.Tensor, y: torch.Tensor, params: dict,
             teacher: torch.Tensor | None) -> torch.Tensor:
        if key == distill.KEY:
            return distill.distillation_loss(out, y, teacher, **params)
        return compute_loss(key, out, y, **params)

    def accuracy(self, out: torch.Tensor, y: torch.Tensor) -> float:
        return accuracy(out, y)


class Regression:
    """Predictions ŷ (N,) against real targets; the data's `flipped` mask marks the outliers."""
    key = "regression"
    loss_event = "rloss"  # its names: core/learning/regression_losses.py (MAE and Huber there differ from the classifiers')
    fast_steps = True  # FlatMLP regressors step like the classifiers (dℓ/dŷ in closed form: torch_grad)
    one_output = True  # ŷ (N,)

    def torch_grad(self, loss: str, binary: bool, params: dict):
        """dℓ/dŷ, (ŷ, y) -> grad: every regression loss has its closed form (numpy_grad, checked against autograd
        in tests/test_regression_losses.py), on the tensors' own memory, instead of an autograd graph each step
        (the quantile band steps four models a frame: bench/bench_live.py, row reg+band)."""
        from core.learning.regression_losses import regression_loss_grad

        def grad(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
            return torch.from_numpy(regression_loss_grad(loss, pred.detach().numpy(), target.to(pred.dtype).numpy(),
                                                         **params))
        return grad

    def loss_param_specs(self, loss: str):
        from core.learning.regression_losses import REGRESSION_LOSSES
        return REGRESSION_LOSSES[loss].params

    def check(self, loss: str, model, has_teacher: bool) -> None:
        from core.learning.regression_losses import REGRESSION_LOSSES
        if loss not in REGRESSION_LOSSES:
            raise ValueError(f"unknown regression loss {loss!r}")

    def loss(self, key: str, out: torch.Tensor, y: torch.Tensor, params: dict,
             teacher: torch.Tensor | None) -> torch.Tensor:
        from core.learning.regression_losses import compute_regression_loss
        return compute_regression_loss(key, out, y, **params)

    def accuracy(self, out: torch.Tensor, y: torch.Tensor) -> float:
        return math.nan  # no classes: the curves show losses only


CLASSIFICATION, REGRESSION = Classification(), Regression()


def all_finite(tensors) -> bool:
    """No NaN or inf in any of them; CPU float tensors are checked in numpy (a frame of the live view
    makes one step() call, and torch's isfinite + all pay a dispatch cost per tensor)."""
    for x in tensors:
        if x.device.type == "cpu" and x.dtype in (torch.float32, torch.float64):
            if not np.isfinite(x.detach().numpy()).all():
                return False
        elif not torch.isfinite(x).all():
            return False
    return True


@dataclass(frozen=True)
class TrainData:
    X_train: torch.Tensor
    y_given: torch.Tensor      # labels the model is trained on (after label noise)
    flipped: torch.Tensor      # bool mask: y_given differs from the clean label
    X_test: torch.Tensor
    y_test: torch.Tensor       # always clean
    teacher_train: torch.Tensor | None = None  # a frozen teacher's logits, for distillation
    teacher_test: torch.Tensor | None = None
    edited: torch.Tensor | None = None  # bool mask: training points added or relabelled by hand (core/data/edits.py)

    @property
    def n_train(self) -> int:
        return len(self.y_given)


@dataclass(frozen=True)
class Divergence:
    step: int
    lr: float
    restored_step: int


# A train loss this many times the lowest one seen has exploded: weights from then on are no place to
# restart from, even when still finite (squared hinge at lr 3 climbs 1 -> 4 -> 400 -> 4e16 -> inf).
EXPLODED = 10.0


class Trainer:
    def __init__(self, model: torch.nn.Module, data: TrainData, *, loss: str = "cross_entropy",
                 loss_params: dict | None = None, optimizer: str = "adam", lr: float = 0.01,
                 batch_size: int = 32, weight_decay: float = 0.0, wd_mode: str = "l2",
                 seed: int = 0, eval_train_idx: torch.Tensor | None = None,
                 eval_test_idx: torch.Tensor | None = None, numpy_steps: bool = False, task=CLASSIFICATION):
        self.model = model
        self.task = task  # core/learning/trainer.py: classification (the default) or regression
        self.data = data
        self.steps = 0
        self.diverged: Divergence | None = None
        self._good = None  # checkpoint from the start of the last step() call, until evaluate() finds it finite
        # Where a divergence in a live frame goes back to: (checkpoint, its optimizer) from the last frame start
        # whose train loss had not yet exploded (EXPLODED), and the lowest train loss seen.
        self._frame_good: tuple | None = None
        self.best_loss = float("inf")
        self.batcher = Batcher(data.n_train, batch_size, seed)
        self.evaluator = Evaluator(data, eval_train_idx, eval_test_idx, accuracy=task.accuracy)
        self.loss_key, self.loss_params = loss, dict(loss_params or {})
        self._optimizer_key = optimizer
        self._wd = (weight_decay, wd_mode)
        self.optimization = Optimization(model, optimizer, lr, weight_decay, wd_mode)
        self.configure(loss=loss, loss_params=loss_params, batch_size=batch_size)
        net = getattr(model, "net", None)
        fast = task.fast_steps and hasattr(net, "backward_from_logits")
        self.torch_steps = TorchFastSteps(self, net) if fast else AutogradSteps(self)
        # Small 2D nets: steps in numpy on the same tensors (core/learning/engines.py): torch's per-op dispatch costs more
        # than their maths.
        self.numpy_steps = numpy_steps and isinstance(self.torch_steps, TorchFastSteps)

    # ---- changes while running ----
    @property
    def lr(self) -> float:
        return self.optimization.lr

    def set_lr(self, lr: float) -> None:
        if lr != self.lr:
            self.history.mark(self.steps, "lr", f"{self.lr:g}", f"{lr:g}")
        self.optimization.set_lr(lr)

    @property
    def batch_size(self) -> int:
        return self.batcher.batch_size

    def configure(self, *, loss: str | None = None, loss_params: dict | None = None,
                  optimizer: str | None = None, batch_size: int | None = None,
                  weight_decay: float | None = None, wd_mode: str | None = None) -> None:
        """Apply settings that need no reset; the optimizer is rebuilt (state lost) only if it changed."""
        if loss is not None:
            self.task.check(loss, self.model, self.data.teacher_train is not None)
            if loss != self.loss_key and loss_params is None:
                loss_params = {p.name: p.default for p in self.task.loss_param_specs(loss)}
            if loss != self.loss_key:
                self.history.mark(self.steps, self.task.loss_event, self.loss_key, loss)
            self.loss_key = loss
        if loss_params is not None:
            allowed = {p.name for p in self.task.loss_param_specs(self.loss_key)}
            self.loss_params = {k: float(v) for k, v in loss_params.items() if k in allowed}
        if batch_size is not None:
            self.batcher.batch_size = max(1, min(int(batch_size), self.data.n_train))
        new_wd = (self._wd[0] if weight_decay is None else weight_decay,
                  self._wd[1] if wd_mode is None else wd_mode)
        new_opt = self._optimizer_key if optimizer is None else optimizer
        if new_opt != self._optimizer_key:
            self.history.mark(self.steps, "optimizer", self._optimizer_key, new_opt)
        if new_opt != self._optimizer_key or new_wd != self._wd:
            self.optimization = Optimization(self.model, new_opt, self.lr, *new_wd)
            self._optimizer_key, self._wd = new_opt, new_wd

    def set_train_data(self, data: TrainData) -> None:
        """The training set edited while the run goes on (core/data/edits.py), without a reset: the same weights,
        optimizer state, step count and curves; the batches, the evaluation and the fast engines' cached inputs
        follow the new rows. Checkpoints of the old rows are dropped (their batch walk names rows that moved)."""
        if self.evaluator.train_idx is not None:
            raise ValueError("a trainer evaluated on a subset of its rows cannot change them")
        self.data = data
        self.evaluator.data = data
        self.batcher.resize(data.n_train)
        self.batcher.batch_size = max(1, min(self.batcher.batch_size, data.n_train))
        if isinstance(self.torch_steps, TorchFastSteps):
            self.torch_steps.refresh_inputs()
        self._good, self._frame_good = None, None
        self.evaluator.forget_logits()

    # ---- training ----
    @property
    def epoch(self) -> float:
        return self.batcher.epoch

    def objective(self, logits: torch.Tensor, labels: torch.Tensor,
                  teacher: torch.Tensor | None = None) -> torch.Tensor:
        return self.task.loss(self.loss_key, logits, labels, self.loss_params, teacher)

    def teacher_logits(self, idx: torch.Tensor) -> torch.Tensor | None:
        """The frozen teacher's logits of these training rows while distilling, else None."""
        t = self.data.teacher_train
        return None if t is None or self.loss_key != distill.KEY else t[idx]

    def step(self, n: int = 1) -> int:
        """Advance up to n optimizer steps; on NaN/inf go back to the weights from before this call and stop."""
        if self.diverged is not None:
            return 0
        self._good = None  # drop the old checkpoint first: one alive at a time (MNIST: ~3x the weights)
        start = self.checkpoint()
        if not self.model.training:  # (the whole tree is switched together: eval() / train() on the root)
            self.model.train()
        done = self._run(n)
        self.steps += done
        if done < n or not all_finite(self.model.parameters()):
            self.rollback(start)
            return 0  # every step of this call was rolled back
        self._good = start  # evaluate() goes back here if the full-set losses overflow
        return n

    def _run(self, n: int) -> int:
        """Up to n steps with the fastest engine that applies; how many were made."""
        done = 0
        while done < n:
            fast = NumpySteps.attach(self) if self.numpy_steps else None
            if fast is not None:
                return done + fast.run(n - done)
            # numpy steps need torch.optim's state, made by its first step: one torch step, then ask again
            k = 1 if self.numpy_steps else n - done
            made = self.torch_steps.run(k)
            done += made
            if made < k:
                break
        return done

    # ---- going back ----
    def checkpoint(self) -> Checkpoint:
        """Weights, optimizer state, step count and batch walk as of now."""
        return take_checkpoint(self.model, self.optimization.optimizer, self.steps, self.batcher)

    def restore(self, saved: Checkpoint) -> None:
        """Back to `saved` in place, as if the steps since had not happened (no divergence flagged)."""
        restore_checkpoint(saved, self.model, self.optimization.optimizer, self.batcher)
        self.steps = saved.steps
        self.diverged = None
        self.evaluator.forget_logits()

    def rollback(self, saved: Checkpoint, at_step: int | None = None) -> None:
        """Back to `saved` and flag a divergence at `at_step` (default: the failed next step)."""
        at = self.steps + 1 if at_step is None else at_step
        divergence = Divergence(step=at, lr=self.lr, restored_step=saved.steps)
        self.restore(saved)
        self.diverged = divergence

    def note_frame_start(self, start: Checkpoint | None) -> None:
        """A live frame starts at `start`: the place to go back to after a divergence, unless the loss
        has already exploded by then."""
        loss = self.history.last("train_loss")
        if start is None or loss is None:
            return
        self.best_loss = min(self.best_loss, loss)
        if loss <= EXPLODED * self.best_loss:
            self._frame_good = (start, self.optimization.optimizer)

    def replay_climb(self, start: Checkpoint, steps: int) -> None:
        """The frame from `start` diverged: replay it one step at a time, recording each finite point (the
        climbing loss a lesson promises), then restore the last good frame start. The batch order is
        part of the checkpoint, so the replay sees the same batches."""
        self.restore(start)
        for _ in range(steps):
            if self.step(1) == 0:
                break
            self.evaluate()
            if self.diverged is not None:
                break
        d = self.diverged
        if d is None:
            return  # the replay stayed finite (rounding): the frame simply trained
        good = self._frame_good  # unused when the optimizer was rebuilt since: its saved state would not fit
        if good is not None and good[1] is self.optimization.optimizer and good[0].steps <= self.steps:
            self.rollback(good[0], at_step=d.step)

    def resume_after_divergence(self) -> None:
        """Clear the divergence flag (the weights were already restored); call after lowering the lr.
        Points recorded after the restored step (the climb before a divergence) leave the curves
        now, so the run's history goes on from the step it restarts at."""
        d, self.diverged = self.diverged, None
        if d is not None:
            self.history.drop_after(d.restored_step)

    # ---- measuring ----
    @property
    def history(self) -> History:
        return self.evaluator.history

    def load_history(self, history: History) -> None:
        """Go on from a recorded run's curves (a copy; load its weights into the model separately):
        the step counter continues from its last point."""
        self.evaluator.load_history(history)
        self.steps = history.step[-1] if history.step else 0
        self.batcher.epochs_before = (history.epoch[-1] if history.epoch else 0.0) - (self.batcher.epoch
                                                                                   - self.batcher.epochs_before)

    def forget_logits(self) -> None:
        """The weights changed outside training (e.g. loaded from a file): the cached logits are stale."""
        self.evaluator.forget_logits()

    # Inputs go to the model's device (a GPU for MNIST when there is one); the logits come back to
    # where the inputs were, so callers holding CPU tensors get CPU results.
    @torch.no_grad()
    def logits(self, X: torch.Tensor) -> torch.Tensor:
        fast = numpy_logits(self.model, X)  # small CPU nets: numpy, without torch's per-op cost
        if fast is not None:
            return fast
        self.model.eval()
        return self.model(X.to(self.device)).to(X.device)

    @torch.no_grad()
    def logits_batched(self, X: torch.Tensor, batch: int = 4096) -> torch.Tensor:
        if not len(X) or len(X) <= batch:
            return self.logits(X)
        self.model.eval()
        device = self.device
        return torch.cat([self.model(chunk.to(device)) for chunk in X.split(batch)]).to(X.device)

    @property
    def device(self) -> torch.device:
        return model_device(self.model)

    @torch.no_grad()
    def evaluate(self, logits_of=None) -> dict[str, float]:
        """Metrics of the current weights, appended to the history. A non-finite loss (train or test)
        is a divergence like a non-finite step: the weights and optimizer state go back to the start
        of the last step() call, `diverged` is set, and the point is returned but not recorded.
        logits_of: the logits of the evaluated training rows, then of the test rows (already computed
        in parts: core.runs.mnist_run.PartialEvaluation); by default, computed here."""
        point, train_logits, test_logits = self.evaluator.measure(logits_of or self.logits_batched, self.objective)
        # accuracies may be NaN (no flipped points): only the losses decide
        if not (math.isfinite(point["train_loss"]) and math.isfinite(point["test_loss"])):
            self._diverged_in_evaluation()
            return point
        self._good = None  # these weights are fine: no need to keep the older ones
        self.evaluator.record(self.steps, self.epoch, point, train_logits, test_logits)
        return point

    def _diverged_in_evaluation(self) -> None:
        if self._good is not None:
            self.rollback(self._good, at_step=self.steps)
            self._good = None
        elif self.diverged is None:  # nothing to go back to (e.g. the loss changed): flag it only
            self.diverged = Divergence(step=self.steps, lr=self.lr, restored_step=self.steps)
        self.evaluator.forget_logits()

    def current_logits(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(train, test) logits of the current weights, from the last evaluate() when still valid."""
        cached = self.evaluator.logits_at(self.steps)
        if cached is not None:
            return cached
        return self.logits(self.data.X_train), self.logits(self.data.X_test)
