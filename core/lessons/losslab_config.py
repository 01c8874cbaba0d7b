"""The Loss lab's settings: one frozen config that round-trips through the URL (core/runs/config.py).

Stateless page (no runs): these fields are only what the widgets show. Ranges of the loss
parameters come from the registry's LossParam, so a link can set exactly what a slider offers.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.runs.config import QueryConfig, Warning_, choice, number
from core.lessons.fisher import FISHER_LOSSES
from core.learning.losses import LOSSES

# Losses with a binary form, in registry order: section 1's multiselect offers these.
BINARY_LOSSES: tuple[str, ...] = tuple(k for k, s in LOSSES.items() if s.binary is not None)
DEFAULT_MARGIN_LOSSES = ("cross_entropy", "hinge", "exponential", "gce")
DEFAULT_SCORING_LOSSES = ("cross_entropy", "brier", "mae")
CLASS_COUNTS = (3, 10)
# The page's tabs, in order: only the open one is built, and it rides in the link as section=.
SECTIONS = ("margin", "score", "fisher", "examples")
# The fields whose widgets each tab draws (a closed tab's values are kept for it by the page).
SECTION_FIELDS = {"margin": ("losses", "margin_low", "margin_high", "eps", "delta", "q", "gamma", "classes"),
                  "score": ("score_p", "score_q", "score_losses"),
                  "fisher": ("fisher_p1", "fisher_p2", "fisher_p3", "fisher_loss"),
                  "examples": ()}
MARGIN_MAX = 20.0


def _param(name: str):
    """A field over the registry's range of loss parameter `name` (its owner's LossParam)."""
    p = next(p for s in LOSSES.values() for p in s.params if p.name == name)
    return number(float(p.default), float(p.low), float(p.high), step=float(p.step))


def parse_loss_list(text: str) -> tuple[list[str], list[str]]:
    """"a,b" -> (known binary losses in the given order without repeats, unknown names)."""
    kept, unknown = [], []
    for name in (n.strip() for n in text.split(",") if n.strip()):
        if name in BINARY_LOSSES:
            if name not in kept:
                kept.append(name)
        else:
            unknown.append(name)
    return kept, unknown


@dataclass(frozen=True)
class LossLabConfig(QueryConfig):
    # section 1: loss and gradient against the margin (binary) and against p_y (multiclass)
    losses: str = ",".join(DEFAULT_MARGIN_LOSSES)  # comma-separated keys of BINARY_LOSSES
    margin_low: float = number(-4.0, -MARGIN_MAX, -0.5, step=0.5)
    margin_high: float = number(4.0, 0.5, MARGIN_MAX, step=0.5)
    eps: float = _param("eps")
    delta: float = _param("delta")
    q: float = _param("q")
    gamma: float = _param("gamma")
    classes: int = number(3, 3, 10, ticks=CLASS_COUNTS)
    # section 2: proper scoring of a binary event with true probability p, predicted q
    score_p: float = number(0.7, 0.01, 0.99, step=0.01)
    score_q: float = number(0.5, 0.01, 0.99, step=0.01)
    score_losses: str = ",".join(DEFAULT_SCORING_LOSSES)  # comma-separated keys of BINARY_LOSSES
    # ---- sections 3-4 (Fisher consistency, worked examples): fields below this line
    # section 3: true class probabilities (divided by their sum on the page) and the loss charted
    fisher_p1: float = number(0.6, 0.0, 1.0, step=0.01)
    fisher_p2: float = number(0.3, 0.0, 1.0, step=0.01)
    fisher_p3: float = number(0.1, 0.0, 1.0, step=0.01)
    fisher_loss: str = choice("ova_hinge", FISHER_LOSSES)
    # section 4's tables are edited in place and not kept in the URL
    section: str = choice(SECTIONS[0], SECTIONS)  # the open tab

    def loss_keys(self) -> list[str]:
        return parse_loss_list(self.losses)[0]

    def scoring_keys(self) -> list[str]:
        return parse_loss_list(self.score_losses)[0]

    def params_of(self, loss: str) -> dict[str, float]:
        """The chosen loss's parameters by name, e.g. {"q": 0.7} for GCE."""
        return {p.name: float(getattr(self, p.name)) for p in LOSSES[loss].params}

    def validated(self, warnings: list | None = None):
        fixed = self
        for name in ("losses", "score_losses"):
            text = getattr(self, name)
            kept, unknown = parse_loss_list(text)
            given = [n for n in (n.strip() for n in text.split(",")) if n]
            # A name twice ("gce,gce") is one curve on the page: say so, and keep what the page shows.
            if warnings is not None and (unknown or len(text) > 400):
                warnings.append(Warning_("warn.url.bad_value", {"key": name, "value": text[:40]}))
            elif warnings is not None and len(given) > len(kept):
                warnings.append(Warning_("warn.url.repeated", {"key": name, "value": text[:40]}))
            if ",".join(kept) != text:  # also "gce, hinge": the page writes the list back without spaces
                fixed = fixed.replace(**{name: ",".join(kept)})
        if self.classes not in CLASS_COUNTS:
            if warnings is not None:
                warnings.append(Warning_("warn.url.bad_value", {"key": "classes", "value": str(self.classes)}))
            fixed = fixed.replace(classes=CLASS_COUNTS[0])
        return fixed
