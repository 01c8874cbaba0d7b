import colorsys
import dataclasses

import numpy as np
import pytest
import torch
from PIL import Image

from core.pictures.render import Grid, evaluate_grid, grid_points
from core.learning.models import build_model
from core.pictures.render import (
    AXIS,
    CLASS_COLOURS,
    FLIP_RING,
    MISTAKE,
    BoundaryPainter,
    PlotBox,
    boundary_image,
    boundary_mask,
    class_colour,
    curves_image,
    hex_colour,
    shade,
    unit_colour,
)
from tests.support import layers

BOUNDS = (-1.0, 1.0, -1.0, 1.0)


def set_linear(model, w, b):
    """Set a logistic model's single layer to weights (K, in) and biases (K,)."""
    (W, B), = layers(model.net)
    with torch.no_grad():
        W.copy_(torch.as_tensor(w, dtype=torch.float32).reshape(W.shape))
        B.copy_(torch.as_tensor(b, dtype=torch.float32).reshape(B.shape))


def linear_model(w, b, **kw):
    model = build_model("logistic", 2, 2, 0, **kw)
    set_linear(model, [w], [b])
    return model


def uniform_grid(bounds=BOUNDS, resolution=8, k=2):
    probs = np.full((resolution, resolution, k), 1.0 / k, dtype=np.float32)
    return Grid(tuple(bounds), probs)


def hue(rgb):
    return colorsys.rgb_to_hsv(*(np.asarray(rgb, dtype=float) / 255))[0]


def pixel(img, painter, x, y):
    px, py = painter.to_px(np.array([[x, y]]))[0]
    return np.asarray(img)[int(round(py)), int(round(px))]


def colour_count(img, colour, box=None):
    a = np.asarray(img).astype(int)
    if box is not None:
        x0, y0, x1, y1 = box
        a = a[y0:y1, x0:x1]
    return int(np.all(a == np.array(colour), axis=-1).sum())


# ---------------------------------------------------------------- grid


def test_grid_points_corners_and_order():
    bounds = (-1.0, 3.0, -2.0, 2.0)
    R = 5
    pts = grid_points(bounds, R)
    assert pts.shape == (R * R, 2) and pts.dtype == torch.float32
    grid = pts.reshape(R, R, 2)
    assert grid[0, 0].tolist() == [-1.0, 2.0]       # top-left: (x_min, y_max)
    assert grid[0, -1].tolist() == [3.0, 2.0]       # top-right
    assert grid[-1, 0].tolist() == [-1.0, -2.0]     # bottom-left
    assert grid[-1, -1].tolist() == [3.0, -2.0]
    # along a row x increases and y is constant; down a column y decreases
    assert torch.all(grid[2, 1:, 0] > grid[2, :-1, 0])
    assert torch.all(grid[2, :, 1] == grid[2, 0, 1])
    assert torch.all(grid[1:, 3, 1] < grid[:-1, 3, 1])
    assert torch.all(grid[:, 3, 0] == grid[0, 3, 0])
    assert grid[0, :, 0].tolist() == [-1.0, 0.0, 1.0, 2.0, 3.0]


def test_evaluate_grid_linear_model_correct_side():
    # z = 4x - 2: class 1 exactly where x > 0.5
    model = linear_model([4.0, 0.0], -2.0)
    R = 24  # no grid x equals 0.5 exactly
    grid = evaluate_grid(model, BOUNDS, R)
    assert grid.resolution == R
    assert grid.probs.shape == (R, R, 2)
    assert grid.bounds == BOUNDS
    xs = grid_points(BOUNDS, R).reshape(R, R, 2)[..., 0].numpy()
    assert np.array_equal(grid.probs[..., 1] > 0.5, xs > 0.5)
    assert np.array_equal(grid.predicted, (xs > 0.5).astype(np.int64))
    assert grid.predicted.sum() > 0 and (1 - grid.predicted).sum() > 0
    np.testing.assert_allclose(grid.probs.sum(-1), 1.0, atol=1e-6)


def test_evaluate_grid_row_zero_is_top():
    # z = 10 y: class 1 at the top, so row 0 (y_max) is class 1 and the last row class 0
    grid = evaluate_grid(linear_model([0.0, 10.0], 0.0), BOUNDS, 10)
    assert (grid.predicted[0] == 1).all()
    assert (grid.predicted[-1] == 0).all()


def test_evaluate_grid_multiclass_probs_sum_to_one():
    model = build_model("mlp", 2, 4, seed=3, width=8)
    grid = evaluate_grid(model, (-3, 3, -2, 5), 12)
    assert grid.probs.shape == (12, 12, 4)
    np.testing.assert_allclose(grid.probs.sum(-1), 1.0, atol=1e-5)
    assert (grid.probs >= 0).all()
    with torch.no_grad():
        logits = model(grid_points((-3, 3, -2, 5), 12)).numpy().reshape(12, 12, 4)
    assert np.array_equal(grid.predicted, logits.argmax(-1))


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_grid_restores_training_mode(training):
    model = build_model("mlp", 2, 2, 0)
    model.train(training)
    evaluate_grid(model, BOUNDS, 4)
    assert model.training is training


# ---------------------------------------------------------------- shading


def test_shade_unsure_is_paler():
    out = shade(np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    white = np.array([255.0, 255, 255])
    d_unsure, d_sure0, d_sure1 = np.linalg.norm(out - white, axis=1)
    assert d_unsure < d_sure0 and d_unsure < d_sure1
    assert hue(out[1]) == pytest.approx(hue(CLASS_COLOURS[0]), abs=0.01)
    assert hue(out[2]) == pytest.approx(hue(CLASS_COLOURS[1]), abs=0.01)
    assert ((out >= 0) & (out <= 255)).all()


def _strength(probs):
    """How far shade() moves from white towards the probability-weighted colour (0 = white)."""
    probs = np.asarray(probs, dtype=np.float32)[None]
    mix = probs @ CLASS_COLOURS[:probs.shape[-1]]
    return float(np.linalg.norm(shade(probs) - 255.0) / np.linalg.norm(mix - 255.0))


def test_shade_strength_grows_with_confidence():
    s = [_strength([p, 1 - p]) for p in (0.5, 0.6, 0.8, 1.0)]
    assert s == sorted(s) and s[0] < s[-1] - 0.3
    assert _strength([1 / 3] * 3) < _strength([0.5, 0.25, 0.25]) < _strength([1.0, 0.0, 0.0])


def test_shade_multiclass_uniform_is_palest():
    k = 4
    probs = np.array([[0.25] * 4, [0.7, 0.1, 0.1, 0.1], [1.0, 0, 0, 0]], dtype=np.float32)
    d = np.linalg.norm(shade(probs) - 255.0, axis=1)
    assert d[0] < d[1] < d[2]
    assert probs.shape[1] == k


def test_colours():
    assert class_colour(0) == (0, 114, 178)
    assert class_colour(len(CLASS_COLOURS)) == class_colour(0)  # wraps
    assert hex_colour(1) == "#e69f00"


def test_boundary_mask_marks_the_class_change_only():
    probs = np.zeros((4, 4, 2), dtype=np.float32)
    probs[:, :2] = (0.9, 0.1)
    probs[:, 2:] = (0.1, 0.9)
    mask = boundary_mask(probs, 40, 40)
    assert mask.shape == (40, 40)
    cols = np.flatnonzero(mask.any(0))
    assert len(cols) == 1 and 15 <= cols[0] <= 25
    assert mask[:, cols[0]].all()  # a full vertical line
    assert not boundary_mask(np.full((4, 4, 2), 0.5, np.float32), 40, 40).any()


# ---------------------------------------------------------------- boundary images


@pytest.mark.parametrize("frame", [PlotBox(), PlotBox(width=300, height=200), PlotBox(width=150, height=260)])
def test_boundary_image_size(frame):
    grid = evaluate_grid(build_model("mlp", 2, 3, 0), BOUNDS, 10)
    img = boundary_image(grid, frame=frame)
    assert isinstance(img, Image.Image)
    assert img.size == (frame.width, frame.height)
    assert img.mode == "RGB"


def test_region_colours_follow_classes():
    model = linear_model([10.0, 0.0], 0.0)  # class 1 where x > 0
    grid = evaluate_grid(model, BOUNDS, 40)
    img = boundary_image(grid)
    painter = BoundaryPainter(BOUNDS)
    right = pixel(img, painter, 0.8, 0.0)
    left = pixel(img, painter, -0.8, 0.0)
    assert hue(right) == pytest.approx(hue(CLASS_COLOURS[1]), abs=0.02)
    assert hue(left) == pytest.approx(hue(CLASS_COLOURS[0]), abs=0.02)
    # the class change itself is drawn dark
    assert pixel(img, painter, 0.0, 0.5).max() <= 60


def test_region_colour_multiclass():
    model = build_model("logistic", 2, 3, 0)
    set_linear(model, [[-5.0, 0.0], [5.0, 0.0], [0.0, 20.0]], [0.0, 0.0, 0.0])  # class 2 wins for large y
    grid = evaluate_grid(model, BOUNDS, 30)
    img = boundary_image(grid)
    top = pixel(img, BoundaryPainter(BOUNDS), 0.0, 0.9)
    assert hue(top) == pytest.approx(hue(CLASS_COLOURS[2]), abs=0.02)


def test_linear_line_drawn_where_w_x_plus_b_is_zero():
    grid = uniform_grid()  # no class change: any dark pixel comes from the line
    line = (torch.tensor([1.0, 2.0]), -0.5)  # x + 2y = 0.5
    painter = BoundaryPainter(BOUNDS)
    with_line = painter.paint(grid, line=line)
    without = painter.paint(grid, line=None)
    a, b = np.asarray(with_line).astype(int), np.asarray(without).astype(int)
    for x in np.linspace(-0.9, 0.9, 7):
        y = (0.5 - x) / 2
        px, py = painter.to_px(np.array([[x, y]]))[0]
        r, c = int(round(py)), int(round(px))
        patch = a[r - 1:r + 2, c - 1:c + 2]
        assert patch.sum(-1).min() < 60, (x, y)               # black line here
        assert b[r - 1:r + 2, c - 1:c + 2].sum(-1).min() > 400  # not there without it
        # away from the line: not dark
        for dy in (0.3, -0.3):
            if -0.95 < y + dy < 0.95:
                assert pixel(with_line, painter, x, y + dy).sum() > 400


@pytest.mark.parametrize("w", [(1.0, 0.0), (0.0, 1.0)])
def test_axis_parallel_lines(w):
    grid = uniform_grid()
    painter = BoundaryPainter(BOUNDS)
    img = painter.paint(grid, line=(torch.tensor(w), -0.25))  # x = 0.25 or y = 0.25
    on = (0.25, 0.5) if w[0] else (0.5, 0.25)
    off = (-0.5, 0.5) if w[0] else (0.5, -0.5)
    assert pixel(img, painter, *on).sum() < 60
    assert pixel(img, painter, *off).sum() > 400


def test_zero_line_draws_nothing():
    grid = uniform_grid()
    painter = BoundaryPainter(BOUNDS)
    a = painter.paint(grid, line=(torch.tensor([0.0, 0.0]), 1.0))
    b = painter.paint(grid, line=None)
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_real_model_line_matches_its_boundary():
    from core.learning.models import linear_boundary
    model = linear_model([1.0, -1.0], 0.2, mean=torch.tensor([0.1, -0.2]), std=torch.tensor([0.5, 2.0]))
    w, b = linear_boundary(model)
    grid = evaluate_grid(model, BOUNDS, 60)
    painter = BoundaryPainter(BOUNDS)
    img = painter.paint(grid, line=(w, b))
    # points on the model's own boundary are drawn dark
    for x in (-0.5, 0.0, 0.5):
        y = -(float(w[0]) * x + b) / float(w[1])
        if -0.9 < y < 0.9:
            assert pixel(img, painter, x, y).sum() < 150


def ring_box(painter, x, y, r=8):
    px, py = painter.to_px(np.array([[x, y]]))[0]
    return (int(px) - r, int(py) - r, int(px) + r + 1, int(py) + r + 1)


def test_misclassified_points_get_red_outline():
    grid = uniform_grid()
    X = np.array([[0.5, 0.5], [-0.5, -0.5]], dtype=np.float32)
    kw = dict(X_train=X, y_train=np.array([0, 1]), flipped=np.array([False, False]))
    wrong = boundary_image(grid, wrong_train=np.array([True, False]), **kw)
    right = boundary_image(grid, wrong_train=np.array([False, False]), **kw)
    painter = BoundaryPainter(BOUNDS)
    assert colour_count(wrong, MISTAKE, ring_box(painter, 0.5, 0.5)) > 10
    assert colour_count(wrong, MISTAKE, ring_box(painter, -0.5, -0.5)) == 0
    assert colour_count(right, MISTAKE) == 0
    # the point's own colour is still visible inside the ring
    assert pixel(wrong, painter, 0.5, 0.5).tolist() == list(class_colour(0))


def test_misclassified_test_points_get_red_outline():
    grid = uniform_grid()
    X = np.array([[0.2, -0.3]], dtype=np.float32)
    img = boundary_image(grid, X_test=X, y_test=np.array([1]), wrong_test=np.array([True]))
    assert colour_count(img, MISTAKE, ring_box(BoundaryPainter(BOUNDS), 0.2, -0.3)) > 10


def test_painter_reuse_does_not_leak_outlines():
    grid = uniform_grid()
    X = np.array([[0.5, 0.5]], dtype=np.float32)
    painter = BoundaryPainter(BOUNDS, X_train=X, y_train=np.array([1]), flipped=np.array([True]))
    first = painter.paint(grid, wrong_train=np.array([False]))
    painter.paint(grid, wrong_train=np.array([True]))
    again = painter.paint(grid, wrong_train=np.array([False]))
    assert np.array_equal(np.asarray(first), np.asarray(again))
    assert colour_count(again, MISTAKE) == 0


def test_flipped_points_get_dark_ring():
    grid = uniform_grid()
    X = np.array([[0.5, 0.5], [-0.5, -0.5]], dtype=np.float32)
    img = boundary_image(grid, X_train=X, y_train=np.array([0, 1]), flipped=np.array([True, False]))
    painter = BoundaryPainter(BOUNDS)
    assert colour_count(img, (20, 20, 20), ring_box(painter, 0.5, 0.5)) > 10
    assert colour_count(img, (20, 20, 20), ring_box(painter, -0.5, -0.5)) == 0


def test_points_land_inside_the_plot_area():
    frame = PlotBox()
    painter = BoundaryPainter(BOUNDS, frame=frame)
    px = painter.to_px(np.array([[-1.0, 1.0], [1.0, -1.0]]))
    assert px[0].tolist() == [frame.left, frame.top]
    assert px[1].tolist() == pytest.approx([frame.left + frame.plot_w, frame.top + frame.plot_h])


# ---------------------------------------------------------------- scaled frames (hi-DPI, zoom)


COMPARE_FRAME = PlotBox(width=320, height=320, left=34, bottom=22)  # as pages/3_compare.py
MNIST_FRAME = PlotBox(width=460, height=460)                         # as pages/2_mnist.py


def test_scaled_frame_sizes():
    assert PlotBox().scaled(2) == PlotBox(width=840, height=840, left=80, bottom=52, top=12, right=16, scale=2.0)
    assert PlotBox().scaled(1) == PlotBox()
    big = COMPARE_FRAME.scaled(1.5)
    assert (big.width, big.height, big.left, big.bottom, big.top, big.right) == (480, 480, 51, 33, 9, 12)
    # scaled(k) is always relative to the CSS layout, not to the frame's current pixels
    assert PlotBox().scaled(2).scaled(1.5) == PlotBox().scaled(1.5)
    assert (PlotBox().scaled(3).plot_w, PlotBox().scaled(3).plot_h) == (3 * PlotBox().plot_w, 3 * PlotBox().plot_h)
    assert [PlotBox().scaled(k).stroke(2) for k in (1, 1.5, 2, 3)] == [2, 3, 4, 6]
    assert PlotBox().scaled(0.5).stroke(1) == 1  # never thinner than one pixel
    with pytest.raises(ValueError):
        PlotBox().scaled(0)


def test_scaled_points_land_at_scaled_pixels():
    X = np.array([[-1.0, 1.0], [0.3, -0.2], [1.0, -1.0]])
    one = BoundaryPainter(BOUNDS, frame=PlotBox()).to_px(X)
    two = BoundaryPainter(BOUNDS, frame=PlotBox().scaled(2)).to_px(X)
    assert two == pytest.approx(2 * one)


def busy_frame(frame, point_radius=3.5, k=3):
    """Every element the painter draws: regions and their border, train/test points, flip rings,
    mistakes, the model's line and unit lines."""
    rng = np.random.default_rng(7)
    X_train, X_test = rng.uniform(-1, 1, (40, 2)), rng.uniform(-1, 1, (20, 2))
    logits = rng.normal(size=(9, 9, k)) * 3
    probs = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype(np.float32)
    painter = BoundaryPainter(BOUNDS, X_train=X_train, y_train=rng.integers(0, k, 40),
                              flipped=rng.random(40) < 0.2, X_test=X_test, y_test=rng.integers(0, k, 20),
                              frame=frame, point_radius=point_radius)
    return painter.paint(Grid(BOUNDS, probs), wrong_train=rng.random(40) < 0.3,
                         wrong_test=rng.random(20) < 0.3, line=((1.0, -2.0), 0.1),
                         unit_lines=[((-1.0, -1.0), (1.0, 1.0)), None, ((0.0, -1.0), (0.0, 1.0))])


def mean_abs_diff(big, small):
    down = big.resize(small.size, Image.BOX)
    return float(np.abs(np.asarray(down, dtype=float) - np.asarray(small, dtype=float)).mean())


@pytest.mark.parametrize("frame, point_radius", [(PlotBox(), 3.5), (COMPARE_FRAME, 3.5), (MNIST_FRAME, 2.0)])
@pytest.mark.parametrize("k", [2, 3])
def test_scaled_frame_shown_smaller_looks_like_scale_1(frame, point_radius, k):
    small = busy_frame(frame, point_radius)
    big = busy_frame(frame.scaled(k), point_radius)
    assert big.size == (k * frame.width, k * frame.height)
    diff = mean_abs_diff(big, small)
    assert diff < 5
    # The measure sees unscaled strokes: the same pixels with scale-1 radii, widths and fonts differ more.
    thin = busy_frame(dataclasses.replace(frame.scaled(k), scale=1.0), point_radius)
    assert mean_abs_diff(thin, small) > 1.5 * diff


def test_scaled_frame_at_fractional_zoom():
    small = busy_frame(PlotBox())
    big = busy_frame(PlotBox().scaled(1.5))
    assert big.size == (630, 630)
    assert mean_abs_diff(big, small) < 6


@pytest.mark.parametrize("name, build, paint, colour", [
    ("mistake ring", dict(X_train=[[0.1, 0.2]], y_train=[0]), dict(wrong_train=[True]), MISTAKE),
    ("flip ring", dict(X_train=[[0.1, 0.2]], y_train=[0], flipped=[True]), {}, FLIP_RING),
    ("edit square", dict(X_train=[[0.1, 0.2]], y_train=[0], edited=[True]), {}, FLIP_RING),
    ("test ring", dict(X_test=[[0.1, 0.2]], y_test=[1]), {}, class_colour(1)),
    ("model line", {}, dict(line=((0.0, 1.0), -0.1)), (0, 0, 0)),  # horizontal: PIL's exact width
    ("unit line", {}, dict(unit_lines=[((-1.0, -1.0), (1.0, 0.5))]), unit_colour(0)),
    ("axes", {}, {}, AXIS),
])
def test_every_stroke_scales_in_area(name, build, paint, colour):
    """Each element at scale 2 covers ~4x the pixels (twice as long and twice as thick)."""
    counts = [colour_count(BoundaryPainter(BOUNDS, frame=PlotBox().scaled(k), **build).paint(uniform_grid(), **paint),
                           colour) for k in (1, 2)]
    assert counts[0] > 0
    assert 3.4 <= counts[1] / counts[0] <= 4.6, (name, counts)


def test_region_border_scales_in_width():
    probs = np.zeros((8, 8, 2), np.float32)
    probs[:, :4, 0] = probs[:, 4:, 1] = 1.0  # class 0 left, class 1 right: one vertical border
    grid = Grid(BOUNDS, probs)
    for k in (1, 2, 3):
        frame = PlotBox().scaled(k)
        rgb = np.asarray(BoundaryPainter(BOUNDS, frame=frame).paint(grid))
        row = rgb[frame.top + frame.plot_h // 2, frame.left:frame.left + frame.plot_w]
        assert int(np.all(row == (40, 40, 40), axis=-1).sum()) == k


def test_tick_labels_scale():
    heights = []
    for k in (1, 2):
        frame = PlotBox().scaled(k)
        rgb = np.asarray(BoundaryPainter(BOUNDS, frame=frame).paint(uniform_grid()))
        below_ticks = rgb[frame.top + frame.plot_h + frame.stroke(5):]  # the x labels' band
        rows = np.flatnonzero((below_ticks.min(-1) < 200).any(1))
        heights.append(rows.max() - rows.min() + 1)
    assert 1.7 <= heights[1] / heights[0] <= 2.3, heights


# ---------------------------------------------------------------- curves


CURVE_BLUE = (0, 114, 178)  # train_loss


def test_curves_empty_history():
    img = curves_image([], {"train_loss": [], "test_loss": []}, width=300, height=120)
    assert img.size == (300, 120)
    assert colour_count(img, CURVE_BLUE) == 0


def test_curves_draw_a_line():
    img = curves_image([0, 10, 20, 30], {"train_loss": [1.0, 0.6, 0.4, 0.3]}, width=300, height=120)
    assert img.size == (300, 120)
    assert colour_count(img, CURVE_BLUE) > 50


def test_curves_with_nans():
    steps = [0, 1, 2, 3, 4]
    img = curves_image(steps, {"train_loss": [1.0, float("nan"), 0.5, float("inf"), 0.2],
                               "train_acc_flipped": [float("nan")] * 5})
    assert colour_count(img, CURVE_BLUE) > 20
    assert colour_count(img, (20, 20, 20)) == 0  # the all-NaN series draws nothing
    # skipping a NaN draws exactly what drawing without that point draws (axes unchanged)
    nan = float("nan")
    with_nan = curves_image([0, 1, 2, 3], {"train_loss": [1.0, nan, 0.5, 0.2]})
    without = curves_image([0, 2, 3], {"train_loss": [1.0, 0.5, 0.2]})
    assert np.array_equal(np.asarray(with_nan), np.asarray(without))


def test_curves_all_nan_and_no_series():
    img = curves_image([0, 1], {"train_loss": [float("nan"), float("nan")]})
    assert colour_count(img, CURVE_BLUE) == 0
    assert curves_image([0, 1], {}).size == (420, 200)


def test_curves_single_point():
    img = curves_image([7], {"train_loss": [0.5]}, y_range=(0.0, 1.0))
    assert colour_count(img, CURVE_BLUE) >= 4


def test_curves_constant_series_and_y_range_clip():
    img = curves_image([0, 1, 2], {"test_acc": [0.5, 0.5, 0.5]}, y_range=(0.0, 1.0))
    assert colour_count(img, (213, 94, 0)) > 0
    img2 = curves_image([0, 1, 2], {"train_acc": [5.0, -3.0, 0.5]}, y_range=(0.0, 1.0))
    assert colour_count(img2, CURVE_BLUE) > 0
