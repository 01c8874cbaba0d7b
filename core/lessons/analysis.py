"""Views of a trained image classifier: confusion, calibration, boundary slices, weights.

Boundary slices are exact: the network is evaluated on points of a 2D plane
embedded in the 784-D input space, so the regions drawn are the network's own.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.pictures.render import Grid, evaluate_grid


def confusion_matrix(pred: torch.Tensor, true: torch.Tensor, n_classes: int) -> np.ndarray:
    """counts[i, j] = number of samples of true class i predicted as j."""
    idx = true.long().cpu() * n_classes + pred.long().cpu()
    return torch.bincount(idx, minlength=n_classes * n_classes).view(n_classes, n_classes).numpy()


@dataclass(frozen=True)
class Reliability:
    bin_edges: np.ndarray     # (B+1,)
    confidence: np.ndarray    # mean top-class confidence per bin (nan if empty)
    accuracy: np.ndarray      # accuracy per bin (nan if empty)
    counts: np.ndarray        # samples per bin
    ece: float                # expected calibration error: Σ_b (n_b/N)·|acc_b − conf_b|


def reliability(probs: torch.Tensor, labels: torch.Tensor, n_bins: int = 15) -> Reliability:
    """Equal-width bins on the top-class confidence (Guo et al. 2017)."""
    conf, pred = probs.cpu().max(1)
    correct = (pred == labels.cpu()).double()
    conf = conf.double()
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # bin b holds conf in (edges[b], edges[b+1]]; conf == 0 cannot happen for a top class
    which = torch.clamp(torch.ceil(conf * n_bins).long() - 1, 0, n_bins - 1)
    counts = torch.bincount(which, minlength=n_bins).double()
    conf_sum = torch.bincount(which, weights=conf, minlength=n_bins)
    acc_sum = torch.bincount(which, weights=correct, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = (conf_sum / counts).numpy()
        mean_acc = (acc_sum / counts).numpy()
    n = max(1, len(labels))
    gaps = np.where(counts.numpy() > 0, np.abs(mean_acc - mean_conf), 0.0)
    ece = float((counts.numpy() / n * gaps).sum())
    return Reliability(edges, mean_conf, mean_acc, counts.numpy().astype(int), ece)


@dataclass(frozen=True)
class Plane:
    """x(a, b) = origin + a·u + b·v in input space (u, v orthonormal)."""
    origin: torch.Tensor
    u: torch.Tensor
    v: torch.Tensor

    def project(self, X: torch.Tensor) -> torch.Tensor:
        """(N, 2) coordinates of the orthogonal projection onto the plane."""
        d = X - self.origin
        return torch.stack([d @ self.u, d @ self.v], dim=1)

    def points(self, coords: torch.Tensor) -> torch.Tensor:
        return self.origin + coords[:, :1] * self.u + coords[:, 1:2] * self.v


def pca_plane(X: torch.Tensor) -> Plane:
    """Plane through the data mean spanned by the top two principal components."""
    mean = X.mean(0)
    # Top singular vectors of the centred data = principal directions.
    _, _, V = torch.pca_lowrank(X - mean, q=2, center=False, niter=4)
    u, v = V[:, 0], V[:, 1]
    v = v - (v @ u) * u  # re-orthogonalise against rounding
    return Plane(mean, u / u.norm(), v / v.norm())


def three_point_plane(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> Plane:
    """Plane through three inputs: origin a, u along b−a, v the part of c−a orthogonal to u."""
    u = b - a
    if u.norm() < 1e-8:
        raise ValueError("the first two images are identical")
    u = u / u.norm()
    w = (c - a) - ((c - a) @ u) * u
    # Relative test: float32 rounding leaves |w| ~ 1e-6 of |c - a| for collinear images.
    if w.norm() < 1e-4 * max(float((c - a).norm()), 1e-8):
        raise ValueError("the three images lie on one line")
    return Plane(a, u, w / w.norm())


def plane_grid(model: torch.nn.Module, plane: Plane, bounds, resolution: int = 120) -> Grid:
    """Class probabilities of the network at the points of the plane's grid (a true slice)."""
    return evaluate_grid(model, bounds, resolution, to_input=plane.points)


def bounds_around(coords: torch.Tensor, pad: float = 0.15, quantile: float = 0.01) -> tuple[float, float, float, float]:
    """Robust square-ish bounds: central quantiles of the points, padded."""
    lo = torch.quantile(coords, quantile, dim=0) if len(coords) > 20 else coords.min(0).values
    hi = torch.quantile(coords, 1 - quantile, dim=0) if len(coords) > 20 else coords.max(0).values
    span = (hi - lo).clamp_min(1e-3)
    lo, hi = lo - pad * span, hi + pad * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def weight_tiles(first_layer: torch.Tensor, n: int = 64, side: int = 28) -> np.ndarray:
    """First-layer weight rows as side×side images, each scaled to [0,1] symmetric about 0 (0.5 = zero)."""
    W = first_layer.detach()[:n].reshape(-1, side, side)
    scale = W.abs().amax(dim=(1, 2), keepdim=True).clamp_min(1e-12)
    return (0.5 + 0.5 * W / scale).numpy()


def weight_norm(model: torch.nn.Module) -> float:
    """‖w‖: the L2 norm of all weights together, biases excluded (weight decay's target; the
    input standardisation is a buffer, not a weight)."""
    total = sum(float((p.detach().double() ** 2).sum()) for name, p in model.named_parameters()
                if not name.endswith("bias"))
    return float(np.sqrt(total))
