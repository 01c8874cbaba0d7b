"""The Loss lab's worked examples (section 4): each loss computed step by step, one term per row.

Tables arrive as rows of cells exactly as a user typed them (numbers, text, None or NaN for an
empty cell); every refusal is a UserFacingError with an "err.lab.*" code naming the row (1-based).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from core.i18n import UserFacingError
from core.learning.losses import compute_loss

REGRESSION_TRUE = (1.0, 2.0, 3.0, 4.0, 5.0)
REGRESSION_PRED = (1.2, 1.8, 2.9, 3.8, 4.9)
CLASSIFICATION_PROBS = ((0.2, 0.8), (0.7, 0.3))  # each row: predicted probabilities of classes 0, 1
CLASSIFICATION_LABELS = (1, 0)
SUM_TOL = 1e-6  # a row of probabilities may miss 1 by this much (typed decimals)
MAX_ROWS = 200


def _is_empty(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True  # pandas' empty cell
    return isinstance(cell, str) and not cell.strip()


def _number(cell, row: int) -> float:
    if isinstance(cell, bool):
        raise UserFacingError("err.lab.not_a_number", row=row, value=str(cell))
    try:
        value = float(cell.strip() if isinstance(cell, str) else cell)
    except (TypeError, ValueError):
        raise UserFacingError("err.lab.not_a_number", row=row, value=str(cell)) from None
    if not math.isfinite(value):
        raise UserFacingError("err.lab.not_a_number", row=row, value=str(cell))
    return value


def numeric_rows(rows) -> list[list[float]]:
    """Cells -> floats; refuses no rows, empty rows, empty cells and non-numbers."""
    rows = [list(r) for r in rows]
    if not rows:
        raise UserFacingError("err.lab.no_rows")
    if len(rows) > MAX_ROWS:
        raise UserFacingError("err.lab.too_many_rows", limit=MAX_ROWS)
    out = []
    for n, cells in enumerate(rows, start=1):
        if all(_is_empty(c) for c in cells):
            raise UserFacingError("err.lab.empty_row", row=n)
        if any(_is_empty(c) for c in cells):
            raise UserFacingError("err.lab.empty_cell", row=n)
        out.append([_number(c, n) for c in cells])
    return out


# ---------------------------------------------------------------- regression


@dataclass(frozen=True)
class RegressionRow:
    true: float
    pred: float
    error: float  # ŷ − y
    squared: float
    absolute: float


@dataclass(frozen=True)
class RegressionResult:
    rows: tuple[RegressionRow, ...]
    mse: float
    half_mse: float  # the ½·MSE convention (its gradient is the plain error)
    mae: float


def regression(rows) -> RegressionResult:
    """rows: (true, predicted) per sample. MSE and MAE as torch computes them, beside the per-row terms."""
    values = numeric_rows(rows)
    true = torch.tensor([v[0] for v in values], dtype=torch.float64)
    pred = torch.tensor([v[1] for v in values], dtype=torch.float64)
    error = pred - true
    per_row = tuple(RegressionRow(t, p, e, e * e, abs(e))
                    for t, p, e in zip(true.tolist(), pred.tolist(), error.tolist()))
    mse = F.mse_loss(pred, true).item()
    return RegressionResult(per_row, mse, mse / 2, F.l1_loss(pred, true).item())


# ---------------------------------------------------------------- classification


@dataclass(frozen=True)
class ClassificationRow:
    probs: tuple[float, ...]
    label: int
    p_label: float  # p_y
    ce: float  # −log p_y
    p_as_logits: float  # softmax(p)_y: what F.cross_entropy makes of probabilities passed as logits
    ce_as_logits: float  # −log softmax(p)_y


@dataclass(frozen=True)
class ClassificationResult:
    rows: tuple[ClassificationRow, ...]
    mean_ce: float  # the right way: cross-entropy on log-probabilities
    ce_probs_as_logits: float  # the classic mistake: F.cross_entropy(probabilities, y)


def classification(rows) -> ClassificationResult:
    """rows: (p_0, ..., p_{K−1}, label) per sample, K ≥ 2; each row's probabilities in [0, 1] summing to 1,
    its label a class number 0 … K − 1. Both means come from the registry's cross-entropy
    (F.cross_entropy): once on log p (= −log p_y), once on p itself as if it were logits."""
    values = numeric_rows(rows)
    k = len(values[0]) - 1
    if k < 2:
        raise UserFacingError("err.lab.classes")
    for n, row in enumerate(values, start=1):
        for p in row[:-1]:
            if not 0.0 <= p <= 1.0:
                raise UserFacingError("err.lab.prob_range", row=n, value=f"{p:g}")
        total = sum(row[:-1])
        if abs(total - 1.0) > SUM_TOL:
            raise UserFacingError("err.lab.prob_sum", row=n, total=f"{total:.6g}")
        if row[-1] != int(row[-1]) or not 0 <= row[-1] < k:
            raise UserFacingError("err.lab.label", row=n, value=f"{row[-1]:g}", top=k - 1)
    probs = torch.tensor([r[:-1] for r in values], dtype=torch.float64)
    labels = torch.tensor([int(r[-1]) for r in values])
    log_p = probs.log()  # log 0 = −inf: that row's −log p_y is +inf, as it should be
    per_row_ce = [compute_loss("cross_entropy", log_p[i:i + 1], labels[i:i + 1]).item() for i in range(len(values))]
    per_row_wrong = [compute_loss("cross_entropy", probs[i:i + 1], labels[i:i + 1]).item()
                     for i in range(len(values))]
    as_logits = torch.softmax(probs, 1)
    out = tuple(
        ClassificationRow(tuple(probs[i].tolist()), int(labels[i]), probs[i, labels[i]].item(), per_row_ce[i],
                          as_logits[i, labels[i]].item(), per_row_wrong[i])
        for i in range(len(values)))
    return ClassificationResult(out, compute_loss("cross_entropy", log_p, labels).item(),
                                compute_loss("cross_entropy", probs, labels).item())
