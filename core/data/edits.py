"""Edits of a run's training data made by hand (a click on the live boundary, or the regression plot): an
ordered list applied to the data set a run was built on, WITHOUT a reset (core/runs/playground.py,
core/learning/trainer.Trainer.set_train_data).

Each edit applies to the training set the edits before it left:
- add (x, y, class): a training point of that class at (x, y), appended (2D); add (x, y) on the regression page;
- flip (index, class): the label of training point `index` becomes `class`;
- remove (index): training point `index` goes (the later points move up by one).

In a link and a run file the list is one compact text, `edits=a0.51,1.2,1;f17,0;r30` (core/runs/config.py), never
part of the data key: editing never rebuilds. It is checked like a CSV upload: finite coordinates within the
data set's view, known classes, indices in range, at most MAX_EDITS edits (a 51st is refused, said in words).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from core.i18n import UserFacingError

MAX_EDITS = 50
MAX_CHARS = 40 * MAX_EDITS  # a link's text is read this far at most
MIN_TRAIN = 2  # a removal never leaves fewer training points
NEAR = 0.06  # flip / remove: the nearest point within this share of the view (else the click missed)

_NUM = r"(-?\d{1,16}(?:\.\d{1,16})?(?:e[+-]?\d{1,3})?)"
_ADD_2D = re.compile(rf"a{_NUM},{_NUM},(\d{{1,2}})")
_ADD_1D = re.compile(rf"a{_NUM},{_NUM}")
_FLIP = re.compile(r"f(\d{1,5}),(\d{1,2})")
_REMOVE = re.compile(r"r(\d{1,5})")


@dataclass(frozen=True)
class Edit:
    kind: str             # "add", "flip" or "remove"
    x: float = 0.0        # add: where (data units)
    y: float = 0.0
    label: int = -1       # add (2D) and flip: the class; -1 for a regression point
    index: int = -1       # flip and remove: which training point


class EditError(UserFacingError):
    """An edit refused (too many, malformed, off the data): a translated message (core/i18n.py)."""


def number(v: float) -> str:
    """A coordinate as the link writes it: 4 significant digits (a click's precision), never -0."""
    text = format(float(v) + 0.0, ".4g")
    return "0" if text in ("-0", "0") else text


def rounded(v: float) -> float:
    """The value a coordinate has once written (what a link rebuilds)."""
    return float(number(v))


def format_edit(e: Edit, regression: bool = False) -> str:
    if e.kind == "add":
        return f"a{number(e.x)},{number(e.y)}" + ("" if regression else f",{e.label}")
    if e.kind == "flip":
        return f"f{e.index},{e.label}"
    return f"r{e.index}"


def format_edits(edits, regression: bool = False) -> str:
    return ";".join(format_edit(e, regression) for e in edits)


def _parse_one(item: str, regression: bool) -> Edit:
    if regression:
        m = _ADD_1D.fullmatch(item)
        if m:
            x, y = rounded(float(m[1])), rounded(float(m[2]))
            if math.isfinite(x) and math.isfinite(y):
                return Edit("add", x, y)
    else:
        m = _ADD_2D.fullmatch(item)
        if m:
            x, y = rounded(float(m[1])), rounded(float(m[2]))
            if math.isfinite(x) and math.isfinite(y):
                return Edit("add", x, y, label=int(m[3]))
        m = _FLIP.fullmatch(item)
        if m:
            return Edit("flip", label=int(m[2]), index=int(m[1]))
    m = _REMOVE.fullmatch(item)
    if m:
        return Edit("remove", index=int(m[1]))
    raise EditError("edits.malformed", item=item[:40])


def parse_edits(text: str, regression: bool = False) -> list[Edit]:
    """Every edit of `text`, or EditError (malformed, or more than MAX_EDITS)."""
    items = [s.strip() for s in str(text).split(";") if s.strip()]
    if len(items) > MAX_EDITS:
        raise EditError("edits.too_many", limit=MAX_EDITS)
    return [_parse_one(s, regression) for s in items]


def parse_prefix(text: str, regression: bool = False) -> tuple[list[Edit], EditError | None]:
    """The edits of `text` up to the first it cannot read (and at most MAX_EDITS), and that problem, if any:
    a link keeps its valid prefix."""
    text = str(text)
    problem = None
    if len(text) > MAX_CHARS:
        text, problem = text[:MAX_CHARS].rsplit(";", 1)[0], EditError("edits.too_many", limit=MAX_EDITS)
    out: list[Edit] = []
    for item in (s.strip() for s in text.split(";")):
        if not item:
            continue
        if len(out) == MAX_EDITS:
            return out, EditError("edits.too_many", limit=MAX_EDITS)
        try:
            out.append(_parse_one(item, regression))
        except EditError as err:
            return out, err
    return out, problem


def appended(text: str, edit: Edit, regression: bool = False) -> str:
    """`text` with one more edit; EditError once it holds MAX_EDITS."""
    edits = parse_edits(text, regression)
    if len(edits) >= MAX_EDITS:
        raise EditError("edits.too_many", limit=MAX_EDITS)
    return format_edits(edits + [edit], regression)


@dataclass(frozen=True)
class Edited:
    """A training set after edits: inputs, given labels (or targets), the clean labels, the flipped mask
    (given ≠ clean; on the regression page the outlier mask) and which points the edits touched."""
    X: np.ndarray
    y: np.ndarray
    clean: np.ndarray
    flipped: np.ndarray
    edited: np.ndarray


def apply_edits(X, y, clean, flipped, edits, bounds, n_classes: int | None) -> Edited:
    """The training set after `edits` (in order), or EditError naming the first that does not fit.
    X: (N, 2) inputs (2D) or (N, 1) x (regression); y: labels (2D) or targets; clean: the true labels
    (regression: the targets); bounds: (x_min, x_max, y_min, y_max) of the data's view, which an added point
    lies in; n_classes: the classes an added or flipped label may take (None: regression)."""
    X = np.array(X, copy=True)
    y, clean = np.array(y, copy=True), np.array(clean, copy=True)
    flipped = np.array(flipped, dtype=bool, copy=True)
    edited = np.zeros(len(y), dtype=bool)
    x_min, x_max, y_min, y_max = (float(b) for b in bounds)
    regression = n_classes is None
    for number_, e in enumerate(edits, 1):
        if e.kind == "add":
            if not (math.isfinite(e.x) and math.isfinite(e.y) and x_min <= e.x <= x_max and y_min <= e.y <= y_max):
                raise EditError("edits.off_view", n=number_, x=number(e.x), y=number(e.y))
            if regression:
                X = np.concatenate([X, np.array([[e.x]], dtype=X.dtype)])
                y = np.concatenate([y, np.array([e.y], dtype=y.dtype)])
                clean = np.concatenate([clean, np.array([e.y], dtype=clean.dtype)])
                flipped = np.append(flipped, True)  # a hand-made outlier: ringed like the others
            else:
                if not 0 <= e.label < n_classes:
                    raise EditError("edits.bad_class", n=number_, label=e.label, k=n_classes)
                X = np.concatenate([X, np.array([[e.x, e.y]], dtype=X.dtype)])
                y = np.append(y, np.array(e.label, dtype=y.dtype))
                clean = np.append(clean, np.array(e.label, dtype=clean.dtype))
                flipped = np.append(flipped, False)
            edited = np.append(edited, True)
            continue
        if not 0 <= e.index < len(y):
            raise EditError("edits.bad_index", n=number_, index=e.index, count=len(y))
        if e.kind == "flip":
            if regression or not 0 <= e.label < n_classes:
                raise EditError("edits.bad_class", n=number_, label=e.label, k=n_classes or 0)
            y[e.index] = e.label
            flipped[e.index] = e.label != clean[e.index]
            edited[e.index] = True
        else:
            if len(y) <= MIN_TRAIN:
                raise EditError("edits.too_few", n=number_, least=MIN_TRAIN)
            keep = np.arange(len(y)) != e.index
            X, y, clean, flipped, edited = X[keep], y[keep], clean[keep], flipped[keep], edited[keep]
    return Edited(X, y, clean, flipped, edited)


def apply_fitting(X, y, clean, flipped, edits, bounds, n_classes: int | None) -> tuple[Edited, EditError | None]:
    """apply_edits of the edits up to the first that does not fit (a link made for other data), and that refusal."""
    try:
        return apply_edits(X, y, clean, flipped, edits, bounds, n_classes), None
    except EditError as err:
        kept = edits[:max(0, int(err.fields.get("n", 1)) - 1)]
        return apply_edits(X, y, clean, flipped, kept, bounds, n_classes), err


def nearest(X, x: float, y: float, bounds, within: float = NEAR) -> int | None:
    """The training point nearest to (x, y), distances measured in shares of the view (the axes may have
    other units), if one lies within `within` of it; else None."""
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    if not len(X):
        return None
    x_min, x_max, y_min, y_max = (float(b) for b in bounds)
    d = np.hypot((X[:, 0] - x) / (x_max - x_min), (X[:, 1] - y) / (y_max - y_min))
    i = int(np.argmin(d))
    return i if d[i] <= within else None
