"""Mini-batches: a fresh seeded permutation of the training rows per epoch, walked by a cursor."""
from __future__ import annotations

import numpy as np
import torch


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

    def state(self) -> tuple:
        """Where the walk stands, for a checkpoint; `order` is replaced, never written in place,
        so keeping the reference is enough."""
        return self.order, self.cursor, self.epochs_done, self.generator.get_state()

    def set_state(self, state: tuple) -> None:
        self.order, self.cursor, self.epochs_done, generator_state = state
        self.generator.set_state(generator_state)
