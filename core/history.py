"""The session's run history: every run of any page, with its settings, curves and model."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from core.trainer import METRICS, History


@dataclass
class RunRecord:
    id: int
    page: str
    title: str
    params: dict
    history: History           # the live run's own history object: it grows while that run trains
    model: torch.nn.Module | None
    created: float = field(default_factory=time.time)

    def final(self) -> dict[str, float]:
        return {m: float("nan") if (v := self.history.last(m)) is None else v for m in METRICS}


class RunStore:
    def __init__(self, limit: int = 20):
        self.limit = limit
        self._records: dict[int, RunRecord] = {}
        self._next_id = 1

    def add(self, page, title, params, history, model) -> RunRecord:
        record = RunRecord(self._next_id, page, title, dict(params), history, model)
        self._next_id += 1
        self._records[record.id] = record
        while len(self._records) > self.limit:  # drop the oldest
            del self._records[min(self._records)]
        return record

    def get(self, run_id) -> RunRecord | None:
        return self._records.get(run_id)

    def list(self, page: str | None = None) -> list[RunRecord]:
        return [r for r in sorted(self._records.values(), key=lambda r: -r.id) if page is None or r.page == page]

    def delete(self, run_id) -> bool:
        return self._records.pop(run_id, None) is not None

    def find_live(self, history: History) -> RunRecord | None:
        return next((r for r in self._records.values() if r.history is history), None)

    def __len__(self) -> int:
        return len(self._records)
