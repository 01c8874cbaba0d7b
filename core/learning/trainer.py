"""The training loop as an object the UI can advance a few steps at a time.

A page calls step(n) once per frame and evaluate() to append a point to the history; set_lr()/configure()
change the running run without resetting it. The parts, each in its own module:
- core/learning/batcher.py: which rows each mini-batch takes (seeded order, cursor, epochs);
- core/learning/engines.py, core/learning/fastpath.py: the steps themselves (autograd, torch fast path, numpy);
- core/learning/checkpoint.py: the state a divergence goes back to (batch walk included);
- core/learning/evaluator.py: metrics, the history, the last logits.
The same run written as a plain PyTorch loop: core/reference_loop.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from core.learning import checkpoint, distill
from core.learning.batcher import Batcher
from core.learning.checkpoint import Checkpoint
from core.learning.device import model_device
from core.learning.engines import AutogradSteps, TorchFastSteps
# METRICS, History, accuracy, predict: re-exported, pages and core.app.run_store import them from here
from core.learning.evaluator import METRICS, Evaluator, History, accuracy, predict  # noqa: F401
from core.learning.fastpath import NumpySteps, numpy_logits
from core.learning.optim import Optimization
from core.learning.tasks import CLASSIFICATION


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
        self.task = task  # core/learning/tasks.py: classification (the default) or regression
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
        # Small 2D nets: steps in numpy on the same tensors (core/learning/fastpath.py): torch's per-op dispatch costs more
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
        return checkpoint.take(self.model, self.optimization.optimizer, self.steps, self.batcher)

    def restore(self, saved: Checkpoint) -> None:
        """Back to `saved` in place, as if the steps since had not happened (no divergence flagged)."""
        checkpoint.restore(saved, self.model, self.optimization.optimizer, self.batcher)
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
