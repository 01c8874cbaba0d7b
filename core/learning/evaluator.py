"""Measuring a run: metrics of the current weights, the history they go into, and the last
full-set logits (reused by the frame drawing)."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import torch

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
        self.accuracy = accuracy  # NaN for regression (core/learning/tasks.py)
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
