"""The training loop as an object the UI can advance a few steps at a time.

A page calls step(n) once per frame and evaluate() to append a point to the
history; set_lr()/configure() change the running run without resetting it.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np
import torch

from core import distill
from core.fastpath import NumpySteps
from core.losses import LOSSES, compute_loss
from core.optim import Optimization

METRICS = ("train_loss", "test_loss", "train_acc", "test_acc", "train_acc_clean", "train_acc_flipped")


@dataclass(frozen=True)
class TrainData:
    X_train: torch.Tensor
    y_given: torch.Tensor      # labels the model is trained on (after label noise)
    flipped: torch.Tensor      # bool mask: y_given differs from the clean label
    X_test: torch.Tensor
    y_test: torch.Tensor       # always clean
    teacher_train: torch.Tensor | None = None  # a frozen teacher's logits, for distillation
    teacher_test: torch.Tensor | None = None

    @property
    def n_train(self) -> int:
        return len(self.y_given)


@dataclass(frozen=True)
class Divergence:
    step: int
    lr: float
    restored_step: int


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

    def rows(self) -> list[dict]:
        return [{"step": s, "epoch": e, **{m: self.values[m][i] for m in METRICS}}
                for i, (s, e) in enumerate(zip(self.step, self.epoch))]


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    if len(labels) == 0:
        return float("nan")
    pred = (logits > 0).long() if logits.ndim == 1 else logits.argmax(1)
    return (pred == labels).float().mean().item()


def predict(logits: torch.Tensor) -> torch.Tensor:
    return (logits > 0).long() if logits.ndim == 1 else logits.argmax(1)


class Trainer:
    def __init__(self, model: torch.nn.Module, data: TrainData, *, loss: str = "cross_entropy",
                 loss_params: dict | None = None, optimizer: str = "adam", lr: float = 0.01,
                 batch_size: int = 32, weight_decay: float = 0.0, wd_mode: str = "l2",
                 seed: int = 0, eval_train_idx: torch.Tensor | None = None,
                 eval_test_idx: torch.Tensor | None = None, numpy_steps: bool = False):
        self.model = model
        self.data = data
        self.steps = 0
        self.history = History()
        self.diverged: Divergence | None = None
        self._good = None  # snapshot from the start of the last step() call, until evaluate() finds it finite
        self._batch_generator = torch.Generator().manual_seed(seed)
        self._order = np.empty(0, dtype=np.int64)  # numpy: slicing it costs ~1 µs, a tensor ~5
        self._cursor = 0
        self._epochs_done = 0
        self.loss_key, self.loss_params = loss, dict(loss_params or {})
        # Metrics on fixed subsets keep evaluation cheap on 60k images (None = all).
        self.eval_train_idx = eval_train_idx
        self.eval_test_idx = eval_test_idx
        self.batch_size = batch_size
        self._optimizer_key = optimizer
        self._wd = (weight_decay, wd_mode)
        self.optimization = Optimization(model, optimizer, lr, weight_decay, wd_mode)
        self.configure(loss=loss, loss_params=loss_params, batch_size=batch_size)
        # Fast path for FlatMLP classifiers: inputs standardised once, hand-written backward.
        net = getattr(model, "net", None)
        self._fast_net = net if hasattr(net, "backward_from_logits") else None
        if self._fast_net is not None:
            with torch.no_grad():
                self._X_fast = model.standardize(data.X_train)
        # Small 2D nets: steps in numpy on the same tensors (core/fastpath.py), ~10x fewer µs per step.
        self.numpy_steps = numpy_steps and self._fast_net is not None

    # ---- changes while running ----
    @property
    def lr(self) -> float:
        return self.optimization.lr

    def set_lr(self, lr: float) -> None:
        if lr != self.lr:
            self.history.mark(self.steps, "lr", f"{self.lr:g}", f"{lr:g}")
        self.optimization.set_lr(lr)

    def configure(self, *, loss: str | None = None, loss_params: dict | None = None,
                  optimizer: str | None = None, batch_size: int | None = None,
                  weight_decay: float | None = None, wd_mode: str | None = None) -> None:
        """Apply settings that need no reset; the optimizer is rebuilt (state lost) only if it changed."""
        if loss is not None:
            if loss == distill.KEY and self.data.teacher_train is None:
                raise ValueError("distillation needs a teacher's logits")
            if loss not in LOSSES and loss != distill.KEY:
                raise ValueError(f"unknown loss {loss!r}")
            if loss != self.loss_key and loss_params is None:
                loss_params = {p.name: p.default for p in distill.loss_param_specs(loss)}
            if loss != self.loss_key:
                self.history.mark(self.steps, "loss", self.loss_key, loss)
            self.loss_key = loss
        if loss_params is not None:
            allowed = {p.name for p in distill.loss_param_specs(self.loss_key)}
            self.loss_params = {k: float(v) for k, v in loss_params.items() if k in allowed}
        if batch_size is not None:
            self.batch_size = max(1, min(int(batch_size), self.data.n_train))
        new_wd = (self._wd[0] if weight_decay is None else weight_decay,
                  self._wd[1] if wd_mode is None else wd_mode)
        new_opt = self._optimizer_key if optimizer is None else optimizer
        if new_opt != self._optimizer_key:
            self.history.mark(self.steps, "optimizer", self._optimizer_key, new_opt)
        if new_opt != self._optimizer_key or new_wd != self._wd:
            self.optimization = Optimization(self.model, new_opt, self.lr, *new_wd)
            self._optimizer_key, self._wd = new_opt, new_wd

    # ---- training ----
    @property
    def epoch(self) -> float:
        return self._epochs_done + self._cursor / max(1, self.data.n_train)

    def _next_indices(self) -> np.ndarray:
        """The next mini-batch's row numbers; a fresh permutation (from the seeded generator) per epoch."""
        if self._cursor >= len(self._order):
            if len(self._order):
                self._epochs_done += 1
            self._order = torch.randperm(self.data.n_train, generator=self._batch_generator).numpy()
            self._cursor = 0
        idx = self._order[self._cursor:self._cursor + self.batch_size]
        self._cursor += len(idx)
        return idx

    def _next_batch(self) -> torch.Tensor:
        return torch.from_numpy(self._next_indices())

    def objective(self, logits: torch.Tensor, labels: torch.Tensor,
                  teacher: torch.Tensor | None = None) -> torch.Tensor:
        if self.loss_key == distill.KEY:
            return distill.distillation_loss(logits, labels, teacher, **self.loss_params)
        return compute_loss(self.loss_key, logits, labels, **self.loss_params)

    def _teacher(self, idx: torch.Tensor) -> torch.Tensor | None:
        t = self.data.teacher_train
        return None if t is None or self.loss_key != distill.KEY else t[idx]

    def step(self, n: int = 1) -> int:
        """Advance up to n optimizer steps; on NaN/inf restore the weights from before this call and stop."""
        if self.diverged is not None:
            return 0
        self._good = None  # drop the old snapshot first: one alive at a time (MNIST: ~3x the weights)
        snapshot = self._snapshot()
        self.model.train()
        X, y = self.data.X_train, self.data.y_given
        for done in range(n):
            fast = NumpySteps.attach(self) if self.numpy_steps else None  # None until torch.optim has state
            if fast is not None:
                if not fast.run(n - done):
                    self._restore(snapshot)
                    return 0
                break
            idx = self._next_batch()
            if self._fast_net is not None:
                with torch.no_grad():
                    loss = self._fast_gradients(idx)
            else:
                loss = self.objective(self.model(X[idx]), y[idx], self._teacher(idx)) + self.optimization.penalty()
            if not math.isfinite(loss.item()):
                self._restore(snapshot)
                return 0  # every step of this call was rolled back
            if self._fast_net is None:
                self.optimization.zero_grad()
                loss.backward()
            self.optimization.step()
            self.steps += 1
        if not all(torch.isfinite(p).all() for p in self.model.parameters()):
            self._restore(snapshot)
            return 0
        self._good = snapshot  # evaluate() goes back here if the full-set losses overflow
        return n

    def _fast_gradients(self, idx: torch.Tensor) -> torch.Tensor:
        """Same gradients as loss.backward() (tests check), with autograd used only for dℓ/dz."""
        net = self._fast_net
        logits, inputs = net.forward_cached(self._X_fast[idx])
        z = logits.squeeze(-1) if self.model.binary else logits
        y = self.data.y_given[idx]
        spec = LOSSES.get(self.loss_key)
        closed_form = spec and (spec.grad_binary if self.model.binary else spec.grad_multiclass)
        if closed_form and not self.loss_params:
            loss, grad_z = self.objective(z, y), closed_form(z, y)
        else:
            with torch.enable_grad():
                z = z.requires_grad_()
                loss = self.objective(z, y, self._teacher(idx))
                (grad_z,) = torch.autograd.grad(loss, z)
        net.backward_from_logits(grad_z.view(len(idx), -1), inputs)
        penalty = self.optimization.add_penalty_grad()
        return loss.detach() + penalty if penalty else loss.detach()

    def _snapshot(self):
        """Weights, optimizer state, step count and batch order as of now (cheap clones: taken once
        per step() call). The batch order/cursor/epoch travel with the weights, so a restored run's
        step and epoch counters agree and it replays the same batches."""
        params = [p.detach().clone() for p in self.model.parameters()]
        state = {p: {k: v.clone() if torch.is_tensor(v) else copy.copy(v) for k, v in s.items()}
                 for p, s in self.optimization.optimizer.state.items()}
        # _order is replaced, never written in place, so keeping the reference is enough
        batches = (self._order, self._cursor, self._epochs_done, self._batch_generator.get_state())
        return params, state, self.steps, batches

    def _restore(self, snapshot, at_step: int | None = None) -> None:
        """Back to `snapshot` in place and flag the divergence (at `at_step`, default the failed next step)."""
        params, saved_state, restored_step, batches = snapshot
        at = self.steps + 1 if at_step is None else at_step
        self.diverged = Divergence(step=at, lr=self.lr, restored_step=restored_step)
        self.last_logits = None
        with torch.no_grad():  # in place: views of these tensors (numpy steps) stay valid
            for p, saved in zip(self.model.parameters(), params):
                p.copy_(saved)
        state = self.optimization.optimizer.state
        for p in list(state):
            if p not in saved_state:
                del state[p]  # made by a step after the snapshot
        for p, s in saved_state.items():
            for k, v in s.items():
                if torch.is_tensor(v) and torch.is_tensor(state[p].get(k)) and state[p][k].shape == v.shape:
                    state[p][k].copy_(v)
                else:
                    state[p][k] = v
        self.steps = restored_step
        self._order, self._cursor, self._epochs_done, generator_state = batches
        self._batch_generator.set_state(generator_state)

    def resume_after_divergence(self) -> None:
        """Clear the divergence flag (the weights were already restored); call after lowering the lr.
        Points recorded after the restored step (the climb before a divergence) leave the curves
        now, so the run's history goes on from the step it restarts at."""
        d, self.diverged = self.diverged, None
        if d is None:
            return
        h = self.history
        keep = next((i for i, s in enumerate(h.step) if s > d.restored_step), len(h.step))
        del h.step[keep:], h.epoch[keep:]
        for series in h.values.values():
            del series[keep:]

    # ---- measuring ----
    @torch.no_grad()
    def logits(self, X: torch.Tensor) -> torch.Tensor:
        self.model.eval()
        return self.model(X)

    @torch.no_grad()
    def logits_batched(self, X: torch.Tensor, batch: int = 4096) -> torch.Tensor:
        self.model.eval()
        return torch.cat([self.model(chunk) for chunk in X.split(batch)]) if len(X) else self.model(X)

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Metrics of the current weights, appended to the history. A non-finite loss (train or test)
        is a divergence like a non-finite step: the weights and optimizer state go back to the start
        of the last step() call, `diverged` is set, and the point is returned but not recorded."""
        d = self.data
        tr_idx = self.eval_train_idx if self.eval_train_idx is not None else slice(None)
        te_idx = self.eval_test_idx if self.eval_test_idx is not None else slice(None)
        train_logits = self.logits_batched(d.X_train[tr_idx])
        test_logits = self.logits_batched(d.X_test[te_idx])
        y_train, y_test, flipped = d.y_given[tr_idx], d.y_test[te_idx], d.flipped[tr_idx]
        t_train = None if d.teacher_train is None else d.teacher_train[tr_idx]
        t_test = None if d.teacher_test is None else d.teacher_test[te_idx]
        clean = ~flipped
        point = {
            "train_loss": self.objective(train_logits, y_train, t_train).item(),
            "test_loss": self.objective(test_logits, y_test, t_test).item(),
            "train_acc": accuracy(train_logits, y_train),
            "test_acc": accuracy(test_logits, y_test),
            "train_acc_clean": accuracy(train_logits[clean], y_train[clean]),
            # Agreement with the *given* wrong labels: how much noise is memorised.
            "train_acc_flipped": accuracy(train_logits[flipped], y_train[flipped]),
        }
        # accuracies may be NaN (no flipped points): only the losses decide
        if not (math.isfinite(point["train_loss"]) and math.isfinite(point["test_loss"])):
            self._diverged_in_evaluation()
            return point
        self._good = None  # these weights are fine: no need to keep the older ones
        self.history.step.append(self.steps)
        self.history.epoch.append(self.epoch)
        for m in METRICS:
            self.history.values[m].append(point[m])
        if self.eval_train_idx is None and self.eval_test_idx is None:
            self.last_logits = (self.steps, train_logits, test_logits)  # reused by the frame drawing
        return point

    def _diverged_in_evaluation(self) -> None:
        if self._good is not None:
            self._restore(self._good, at_step=self.steps)
            self._good = None
        elif self.diverged is None:  # nothing to go back to (e.g. the loss changed): flag it only
            self.diverged = Divergence(step=self.steps, lr=self.lr, restored_step=self.steps)
        self.last_logits = None

    def current_logits(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(train, test) logits of the current weights, from the last evaluate() when still valid."""
        cached = getattr(self, "last_logits", None)
        if cached is not None and cached[0] == self.steps:
            return cached[1], cached[2]
        return self.logits(self.data.X_train), self.logits(self.data.X_test)
