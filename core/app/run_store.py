"""The session's run history: every run of any page, with its settings, curves and weights.

A record never holds the model (its gradients, optimizer state and data die with the run): it
holds the weights as `state_dict()` tensors, detached CPU tensors without grad. While the run
lives they share storage with its model, so they cost nothing and follow the training; once the
run is replaced they are the final weights. The weights of replaced runs are kept within
WEIGHTS_LIMIT_BYTES per session, the oldest dropped first; a record without weights keeps its
curves and settings, and "reopen" then retrains from the settings.

A run joins the history once it has trained (a step > 0), not on every step-0 rebuild: until then
the store only watches it. Its title is data (Msg parts, core/app/labels.py), rendered in the reader's
language at display time.
"""
from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field

import torch

from core.app.labels import label_text
from core.learning.trainer import METRICS, History

PENDING_LIMIT = 16  # untrained runs watched at once (a page holds at most 4 live runs)

WEIGHTS_LIMIT_BYTES = 300 * 2**20  # weights of replaced runs, per session (a 4x2048 MLP holds ~57 MB)


def weights_of(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The model's state_dict as detached CPU tensors (no grad): shares storage on the CPU."""
    return {k: v.detach().cpu() for k, v in model.state_dict().items()}


def tensor_bytes(tensors) -> int:
    """Bytes of the distinct storages behind these tensors (views of one storage count once)."""
    seen, total = set(), 0
    for t in tensors:
        storage = t.untyped_storage()
        if storage.data_ptr() not in seen:
            seen.add(storage.data_ptr())
            total += storage.nbytes()
    return total


@dataclass(eq=False)
class RunRecord:
    id: int
    page: str
    title: tuple | str         # Msg parts (translated at display) or, from older callers, plain text
    params: dict
    history: History           # the live run's own history object: it grows while that run trains
    weights: dict[str, torch.Tensor] | None = None
    created: float = field(default_factory=time.time)
    weights_dropped: bool = False  # dropped for the memory budget: reopen retrains from the settings
    _model: weakref.ref | None = field(default=None, repr=False)
    _trainer: weakref.ref | None = field(default=None, repr=False)

    def title_in(self, lang: str) -> str:
        return label_text(self.title, lang)

    @property
    def trained(self) -> bool:
        """Recorded after an optimizer step, or its live trainer has stepped (not yet evaluated)."""
        if self.history.step and self.history.step[-1] > 0:
            return True
        trainer = self._trainer() if self._trainer is not None else None
        return trainer is not None and trainer.steps > 0

    def final(self) -> dict[str, float]:
        return {m: float("nan") if (v := self.history.last(m)) is None else v for m in METRICS}

    @property
    def live(self) -> bool:
        """Its model still exists (a page holds the run): its weights cost no extra memory."""
        return self._model is not None and self._model() is not None

    def follow(self, model: torch.nn.Module | None) -> None:
        """Point the weights at this (live) model's tensors; cheap: no copy."""
        if model is None:
            self.weights, self._model = None, None
            return
        self.weights = weights_of(model)
        self._model = weakref.ref(model)
        self.weights_dropped = False

    @property
    def weights_bytes(self) -> int:
        return 0 if self.weights is None else tensor_bytes(self.weights.values())


class RunStore:
    def __init__(self, limit: int = 20, weights_limit: int = WEIGHTS_LIMIT_BYTES):
        self.limit = limit
        self.weights_limit = weights_limit
        self._records: dict[int, RunRecord] = {}
        self._pending: list[RunRecord] = []  # watched runs that have not trained yet (no id, not listed)
        self._next_id = 1

    def add(self, page, title, params, history, model) -> RunRecord:
        record = RunRecord(self._next_id, page, title, dict(params), history)
        record.follow(model)
        self._next_id += 1
        self._records[record.id] = record
        while len(self._records) > self.limit:  # drop the oldest
            del self._records[min(self._records)]
        self.enforce_limit()
        return record

    def track(self, page, title, params, trainer) -> RunRecord | None:
        """Called by a page on each script run with its live run: keeps a known run's settings, title
        and weights current; a new run is only watched until it has trained, then recorded."""
        record = self.find_live(trainer.history)
        if record is None:
            record = RunRecord(0, page, title, dict(params), trainer.history, _trainer=weakref.ref(trainer))
            record.follow(trainer.model)
            self._pending.append(record)
            del self._pending[:-PENDING_LIMIT]
        else:
            record.params, record.title = dict(params), title
            record.follow(trainer.model)  # no copy: the same tensors unless the model was swapped
            record._trainer = weakref.ref(trainer)
        self._promote()
        self.enforce_limit()
        return record if record.id else None

    def _promote(self) -> None:
        """Watched runs that have trained join the history (in the order they were first seen);
        those replaced before training are forgotten."""
        waiting = []
        for record in self._pending:
            if record.trained:
                record.id, self._next_id = self._next_id, self._next_id + 1
                self._records[record.id] = record
            elif record.live:
                waiting.append(record)
        self._pending = waiting
        while len(self._records) > self.limit:  # drop the oldest
            del self._records[min(self._records)]

    def get(self, run_id) -> RunRecord | None:
        self._promote()
        return self._records.get(run_id)

    def list(self, page: str | None = None) -> list[RunRecord]:
        self._promote()
        return [r for r in sorted(self._records.values(), key=lambda r: -r.id) if page is None or r.page == page]

    def delete(self, run_id) -> bool:
        return self._records.pop(run_id, None) is not None

    def find_live(self, history: History) -> RunRecord | None:
        return next((r for r in [*self._records.values(), *self._pending] if r.history is history), None)

    def held_bytes(self) -> int:
        """Weights held only by the store (records of replaced runs); live runs' weights are the models'."""
        return tensor_bytes(t for r in self._records.values() if r.weights is not None and not r.live
                            for t in r.weights.values())

    def enforce_limit(self) -> list[RunRecord]:
        """Drop the weights of the oldest replaced runs until the rest fit the budget; returns those records."""
        dropped = []
        for record in sorted(self._records.values(), key=lambda r: r.id):
            if self.held_bytes() <= self.weights_limit:
                break
            if record.weights is not None and not record.live:
                record.weights, record._model, record.weights_dropped = None, None, True
                dropped.append(record)
        return dropped

    def __len__(self) -> int:
        self._promote()
        return len(self._records)
