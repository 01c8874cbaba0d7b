"""core/lessons/analysis.py: confusion matrix, reliability / ECE, planes through input space, exact
boundary slices, weight pictures. Small hand-made inputs with hand-computed answers."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from core.lessons.analysis import (Plane, bounds_around, confusion_matrix, pca_plane, plane_grid, reliability,
                           three_point_plane, weight_tiles)

# ---- confusion matrix ------------------------------------------------------------------------------


def test_confusion_matrix_hand_example():
    true = torch.tensor([0, 0, 1, 1, 1, 2, 2, 2, 2])
    pred = torch.tensor([0, 1, 1, 1, 2, 2, 0, 2, 2])
    counts = confusion_matrix(pred, true, 3)
    # rows = true class, columns = predicted class
    np.testing.assert_array_equal(counts, [[1, 1, 0],
                                           [0, 2, 1],
                                           [1, 0, 3]])
    assert counts.sum() == len(true)
    np.testing.assert_array_equal(counts.sum(1), [2, 3, 4])  # class sizes


def test_confusion_matrix_unused_classes_are_zero_rows_and_columns():
    counts = confusion_matrix(torch.tensor([1, 1]), torch.tensor([1, 1]), 4)
    assert counts.shape == (4, 4)
    expected = np.zeros((4, 4), dtype=int)
    expected[1, 1] = 2
    np.testing.assert_array_equal(counts, expected)


# ---- reliability / ECE -------------------------------------------------------------------------------


def test_reliability_hand_computed_ece():
    # 3 classes; top-class confidence and correctness chosen by hand.
    probs = torch.tensor([
        [0.90, 0.05, 0.05],   # conf 0.90, pred 0, label 0: correct  -> bin 13 (0.8667, 0.9333]
        [0.04, 0.92, 0.04],   # conf 0.92, pred 1, label 2: wrong    -> bin 13
        [0.55, 0.25, 0.20],   # conf 0.55, pred 0, label 0: correct  -> bin 8  (0.5333, 0.6]
        [0.10, 0.20, 0.70],   # conf 0.70, pred 2, label 1: wrong    -> bin 10 (0.6667, 0.7333]
    ], dtype=torch.float64)
    labels = torch.tensor([0, 2, 0, 1])
    rel = reliability(probs, labels, n_bins=15)

    expected_counts = np.zeros(15, dtype=int)
    expected_counts[[13, 8, 10]] = [2, 1, 1]
    np.testing.assert_array_equal(rel.counts, expected_counts)
    assert rel.counts.sum() == 4
    assert rel.confidence[13] == pytest.approx(0.91)
    assert rel.accuracy[13] == pytest.approx(0.5)
    assert rel.confidence[8] == pytest.approx(0.55) and rel.accuracy[8] == 1.0
    assert rel.confidence[10] == pytest.approx(0.70) and rel.accuracy[10] == 0.0
    # empty bins report nan, not a made-up value
    assert np.isnan(rel.confidence[0]) and np.isnan(rel.accuracy[0])
    # ECE = Σ n_b/N |acc_b − conf_b| = 2/4·|0.5−0.91| + 1/4·|1−0.55| + 1/4·|0−0.70|
    expected = 0.5 * 0.41 + 0.25 * 0.45 + 0.25 * 0.70
    assert rel.ece == pytest.approx(expected, abs=1e-12)
    assert rel.ece == pytest.approx(0.4925, abs=1e-12)


def test_reliability_bin_edges():
    probs = torch.tensor([[0.6, 0.4]])
    rel = reliability(probs, torch.tensor([0]), n_bins=15)
    np.testing.assert_allclose(rel.bin_edges, np.arange(16) / 15)
    assert len(rel.counts) == len(rel.confidence) == len(rel.accuracy) == 15
    rel10 = reliability(probs, torch.tensor([0]), n_bins=10)
    np.testing.assert_allclose(rel10.bin_edges, np.linspace(0, 1, 11))


def test_confidence_one_lands_in_last_bin():
    probs = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=torch.float64)
    rel = reliability(probs, torch.tensor([0, 2]), n_bins=15)
    assert rel.counts[-1] == 2 and rel.counts[:-1].sum() == 0
    assert rel.confidence[-1] == 1.0 and rel.accuracy[-1] == 0.5
    assert rel.ece == pytest.approx(0.5)


def test_bins_are_closed_on_the_right():
    # a confidence exactly on an edge belongs to the bin that ends there: (lo, hi]
    probs = torch.tensor([[0.5, 0.5], [0.75, 0.25]], dtype=torch.float64)
    rel = reliability(probs, torch.tensor([0, 0]), n_bins=4)
    np.testing.assert_array_equal(rel.counts, [0, 1, 1, 0])


def test_counts_sum_to_n_and_ece_in_unit_interval_on_random_probabilities():
    g = torch.Generator().manual_seed(0)
    probs = torch.softmax(3 * torch.randn(1000, 10, generator=g), dim=1)
    labels = torch.randint(0, 10, (1000,), generator=g)
    rel = reliability(probs, labels)
    assert rel.counts.sum() == 1000
    assert 0.0 <= rel.ece <= 1.0
    filled = rel.counts > 0
    # each non-empty bin's mean confidence lies inside the bin
    lo, hi = rel.bin_edges[:-1][filled], rel.bin_edges[1:][filled]
    assert np.all(rel.confidence[filled] > lo - 1e-9) and np.all(rel.confidence[filled] <= hi + 1e-9)


def test_perfectly_calibrated_predictions_have_near_zero_ece():
    # 2 classes; the predicted class is right with probability exactly its confidence.
    n = 200_000
    g = torch.Generator().manual_seed(1)
    conf = 0.5 + 0.5 * torch.rand(n, generator=g, dtype=torch.float64)
    correct = torch.rand(n, generator=g, dtype=torch.float64) < conf
    pred = torch.randint(0, 2, (n,), generator=g)
    probs = torch.empty(n, 2, dtype=torch.float64)
    probs[torch.arange(n), pred] = conf
    probs[torch.arange(n), 1 - pred] = 1 - conf
    labels = torch.where(correct, pred, 1 - pred)
    rel = reliability(probs, labels)
    assert rel.counts.sum() == n
    assert rel.ece < 0.01
    # and a systematically over-confident model (right only half as often as it claims) is not
    over = torch.rand(n, generator=g, dtype=torch.float64) < conf / 2
    rel_over = reliability(probs, torch.where(over, pred, 1 - pred))
    assert rel_over.ece == pytest.approx(float(conf.mean() / 2), abs=0.01)


# ---- planes ---------------------------------------------------------------------------------------


def low_rank_data(n=300, d=40, seed=0):
    """Data with principal scales 10, 4, 1 and a little isotropic noise: a clear spectral gap."""
    g = torch.Generator().manual_seed(seed)
    basis, _ = torch.linalg.qr(torch.randn(d, 3, generator=g, dtype=torch.float64))
    z = torch.randn(n, 3, generator=g, dtype=torch.float64) * torch.tensor([10.0, 4.0, 1.0], dtype=torch.float64)
    mean = torch.randn(d, generator=g, dtype=torch.float64)
    return (z @ basis.T + mean + 1e-3 * torch.randn(n, d, generator=g, dtype=torch.float64)).float()


def test_pca_plane_matches_covariance_eigenvectors():
    torch.manual_seed(0)  # torch.pca_lowrank draws its random start from the global generator
    X = low_rank_data()
    plane = pca_plane(X)
    # orthonormal
    assert plane.u.norm().item() == pytest.approx(1, abs=1e-5)
    assert plane.v.norm().item() == pytest.approx(1, abs=1e-5)
    assert abs((plane.u @ plane.v).item()) < 1e-5
    # through the mean
    torch.testing.assert_close(plane.origin, X.mean(0))
    # = the top two eigenvectors of the covariance, up to sign
    Xd = X.double()
    cov = torch.cov(Xd.T)
    evals, evecs = torch.linalg.eigh(cov)  # ascending
    top1, top2 = evecs[:, -1], evecs[:, -2]
    assert abs(plane.u.double() @ top1).item() == pytest.approx(1, abs=1e-4)
    assert abs(plane.v.double() @ top2).item() == pytest.approx(1, abs=1e-4)


def test_project_and_points_round_trip_in_the_plane():
    torch.manual_seed(0)
    X = low_rank_data(d=30)
    plane = pca_plane(X)
    coords = torch.tensor([[0.0, 0.0], [1.5, -2.0], [-7.0, 3.25], [12.0, 0.5]])
    pts = plane.points(coords)
    assert pts.shape == (4, 30)
    torch.testing.assert_close(plane.project(pts), coords, atol=1e-4, rtol=0)
    torch.testing.assert_close(plane.points(plane.project(pts)), pts, atol=1e-4, rtol=0)
    # a point off the plane projects to its foot: the difference is orthogonal to u and v
    off = X[:5]
    foot = plane.points(plane.project(off))
    diff = off - foot
    assert torch.allclose(diff @ plane.u, torch.zeros(5), atol=1e-3)
    assert torch.allclose(diff @ plane.v, torch.zeros(5), atol=1e-3)


def test_three_point_plane_coordinates():
    g = torch.Generator().manual_seed(3)
    a, b, c = (torch.randn(784, generator=g, dtype=torch.float64) for _ in range(3))
    plane = three_point_plane(a, b, c)
    assert plane.u.norm().item() == pytest.approx(1) and plane.v.norm().item() == pytest.approx(1)
    assert abs((plane.u @ plane.v).item()) < 1e-12
    coords = plane.project(torch.stack([a, b, c]))
    torch.testing.assert_close(coords[0], torch.zeros(2, dtype=torch.float64))
    torch.testing.assert_close(coords[1], torch.tensor([(b - a).norm().item(), 0.0], dtype=torch.float64))
    # c: its component along b−a, and the (positive) length of the rest
    ca = c - a
    along = (ca @ (b - a)) / (b - a).norm()
    across = (ca - along * (b - a) / (b - a).norm()).norm()
    torch.testing.assert_close(coords[2], torch.stack([along, across]))
    assert coords[2, 1] > 0
    # all three reconstructed exactly: they lie in the plane
    torch.testing.assert_close(plane.points(coords), torch.stack([a, b, c]))


def test_three_point_plane_rejects_identical_images():
    g = torch.Generator().manual_seed(4)
    a, b, c = (torch.randn(784, generator=g) for _ in range(3))
    with pytest.raises(ValueError, match="identical"):
        three_point_plane(a, a.clone(), c)
    with pytest.raises(ValueError, match="line"):
        three_point_plane(a, b, a.clone())            # c equals a


def test_three_point_plane_rejects_collinear_points_in_float64():
    g = torch.Generator().manual_seed(4)
    a, b = (torch.randn(784, generator=g, dtype=torch.float64) for _ in range(2))
    with pytest.raises(ValueError, match="line"):
        three_point_plane(a, b, a + 2.5 * (b - a))
    with pytest.raises(ValueError, match="line"):
        three_point_plane(a, b, b.clone())



def test_three_point_plane_rejects_collinear_float32_images():
    # Real-looking images: mostly background, a few bright strokes, standardised like MNIST (float32).
    g = torch.Generator().manual_seed(5)

    def image():
        pixels = torch.rand(784, generator=g) * (torch.rand(784, generator=g) < 0.2)
        return (pixels - 0.1307) / 0.3081

    a, b = image(), image()
    assert a.dtype == b.dtype == torch.float32
    for c in (b.clone(), a + 2.5 * (b - a), (a + b) / 2):
        assert c.dtype == torch.float32
        with pytest.raises(ValueError, match="line"):
            three_point_plane(a, b, c)
