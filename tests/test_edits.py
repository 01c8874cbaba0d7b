"""Hand edits of the training data (core/data/edits.py): the compact text of links and run files, its checks,
the exact arrays they make, and a run that takes them while it trains (no reset; the batches, the evaluation and
the fast engine's cached inputs follow); a link with edits rebuilds the very same training set."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.data import edits as E
from core.pictures.frame_data import run_frame, unb64, unbits
from core.runs import advance, update
from core.runs.config import Playground2DConfig
from core.runs.playground import build_run


def test_parse_and_format_round_trip():
    text = "a0.51,1.2,1;f17,0;r30;a-2,0,0"
    edits = E.parse_edits(text)
    assert edits == [E.Edit("add", 0.51, 1.2, label=1), E.Edit("flip", label=0, index=17), E.Edit("remove", index=30),
                     E.Edit("add", -2.0, 0.0, label=0)]
    assert E.format_edits(edits) == text
    assert E.format_edits(E.parse_edits("a0.123456,-0.0,2")) == "a0.1235,0,2"  # 4 significant digits, no -0
    assert E.parse_edits("a1,2;r3", regression=True) == [E.Edit("add", 1.0, 2.0), E.Edit("remove", index=3)]
    assert E.format_edits(E.parse_edits("a1,2", regression=True), regression=True) == "a1,2"


@pytest.mark.parametrize("bad", ["x1", "a1,2", "a1,2,3,4", "f1", "r-1", "anan,1,0", "a1e999,0,0", "r1;;q"])
def test_malformed_edits_are_refused_and_a_link_keeps_the_valid_prefix(bad):
    with pytest.raises(E.EditError):
        E.parse_edits("r0;" + bad if bad != "r1;;q" else bad)
    kept, problem = E.parse_prefix("r0;" + bad)
    assert kept[0] == E.Edit("remove", index=0) and problem is not None


def test_a_51st_edit_is_refused_with_a_message():
    text = ""
    for i in range(E.MAX_EDITS):
        text = E.appended(text, E.Edit("flip", label=0, index=i))
    assert len(E.parse_edits(text)) == 50
    with pytest.raises(E.EditError) as err:
        E.appended(text, E.Edit("remove", index=0))
    assert err.value.code == "edits.too_many" and "50" in str(err.value)
    kept, problem = E.parse_prefix(text + ";r1")
    assert len(kept) == 50 and problem.code == "edits.too_many"


def test_exact_arrays_after_edits():
    X = np.array([[0, 0], [1, 1], [2, 2]], dtype=np.float32)
    y = np.array([0, 1, 0])
    clean = y.copy()
    flipped = np.zeros(3, bool)
    bounds = (-1, 3, -1, 3)
    out = E.apply_edits(X, y, clean, flipped, E.parse_edits("a0.5,2.5,1;f0,1;r1;f1,2"), bounds, 3)
    np.testing.assert_array_equal(out.X, np.array([[0, 0], [2, 2], [0.5, 2.5]], dtype=np.float32))
    np.testing.assert_array_equal(out.y, [1, 2, 1])
    np.testing.assert_array_equal(out.flipped, [True, True, False])  # given ≠ true class; the added point is its own
    np.testing.assert_array_equal(out.edited, [True, True, True])
    assert out.X.dtype == np.float32 and out.y.dtype == y.dtype


@pytest.mark.parametrize("text, code", [("a3.5,0,0", "edits.off_view"), ("a0,0,3", "edits.bad_class"),
                                        ("f3,0", "edits.bad_index"), ("r0;r0", "edits.too_few"),
                                        ("f0,7", "edits.bad_class")])
def test_edits_that_do_not_fit_the_data_are_refused(text, code):
    X, y = np.zeros((3, 2), np.float32), np.zeros(3, np.int64)
    with pytest.raises(E.EditError) as err:
        E.apply_edits(X, y, y, np.zeros(3, bool), E.parse_edits(text), (-1, 3, -1, 3), 3)
    assert err.value.code == code
    if code == "edits.too_few":
        assert err.value.fields["n"] == 2


def test_nearest_point_within_reach_only():
    X = np.array([[0, 0], [10, 10]])
    assert E.nearest(X, 0.1, 0.1, (0, 10, 0, 10)) == 0
    assert E.nearest(X, 5, 5, (0, 10, 0, 10)) is None


def test_a_run_takes_an_edit_while_training_and_a_link_rebuilds_the_same_data():
    config = Playground2DConfig(dataset="blobs", n_samples=100, model="mlp", depth=1, width=4, batch_size=8)
    run = build_run(config)
    advance(run, 25, seconds=None)
    t = run.trainer
    steps, n = t.steps, t.data.n_train
    epoch = t.epoch
    edited = config.replace(edits="a0.5,0.5,1;f3,0")
    same, change = update(run, edited, build_run)
    assert same is run and change == "live" and t.steps == steps  # no reset
    assert t.data.n_train == n + 1 and int(t.data.y_given[-1]) == 1 and int(t.data.y_given[3]) == 0
    assert t.batcher.n_rows == n + 1 and t.torch_steps.inputs.shape[0] == n + 1
    assert abs(t.epoch - epoch) < 1e-9  # the epoch counter goes on
    assert t.history.events[-1][1:] == ("edits", "0", "2")
    assert len(t.current_logits()[0]) == n + 1
    frame = run_frame(run, pull=True)  # the point shows at once, in the pull view too
    static = frame["static"]
    assert static["train"]["n"] == n + 1 and unbits(static["train"]["edit"], n + 1)[[3, n]].all()
    assert len(unb64(frame["pull"], np.uint8)) == n + 1 and unb64(frame["pull"], np.uint8)[-1] > 0  # its pull
    advance(run, 30, seconds=None)  # trains on the edited rows (the batches cover the new one)
    assert t.steps == steps + 30 and t.diverged is None
    rebuilt = build_run(edited)
    for name in ("X_train", "y_given", "flipped", "edited", "X_test", "y_test"):
        assert torch.equal(getattr(rebuilt.trainer.data, name), getattr(t.data, name)), name
    cleared, _ = update(run, config, build_run)  # the edits cleared: back to the data set's own points
    assert cleared is run and t.data.n_train == n and not t.data.edited.any()


def test_config_edits_field_round_trips_and_bad_links_warn():
    config, warnings = Playground2DConfig.from_query({"edits": "a0.50,1.20,1;f17,0;r30"})
    assert config.edits == "a0.5,1.2,1;f17,0;r30" and warnings == []
    assert Playground2DConfig.from_query(config.to_query())[0] == config
    assert "edits" not in str(config.data_key()) and config.data_key() == Playground2DConfig().data_key()
    config, warnings = Playground2DConfig.from_query({"edits": "r1;zz;r2"})
    assert config.edits == "r1" and [w.code for w in warnings] == ["warn.url.edits"]
    config, warnings = Playground2DConfig.from_query({"edits": ";".join(["r0"] * 60)})
    assert config.edits == ";".join(["r0"] * 50) and [w.code for w in warnings] == ["warn.url.edits"]


def test_a_regression_link_with_an_added_point_rebuilds_the_same_data():
    from core.runs.regression_config import RegressionConfig
    from core.runs.regression_run import build_regression_run
    config = RegressionConfig(dataset="linear", model="linear", n_samples=40)
    run = build_regression_run(config)
    advance(run, 5, seconds=None)
    x0, x1, y0, y1 = run.data.bounds()
    text = E.format_edits([E.Edit("add", E.rounded((x0 + x1) / 2), E.rounded(y1 - 0.01 * (y1 - y0)))], regression=True)
    edited = config.replace(edits=text)
    same, change = update(run, edited, build_regression_run)
    assert same is run and change == "live" and run.trainer.steps == 5
    assert run.trainer.data.n_train == 29 and bool(run.data.outliers[-1])
    rebuilt = build_regression_run(edited)
    for name in ("X_train", "y_given", "flipped", "X_test", "y_test"):
        assert torch.equal(getattr(rebuilt.trainer.data, name), getattr(run.trainer.data, name)), name
    config2, warnings = RegressionConfig.from_query({"edits": text + ";a1,2,3"})
    assert config2.edits == text and [w.code for w in warnings] == ["warn.url.edits"]


def test_a_run_file_carries_fifty_edits_and_loads_them_back():
    from core.app.export import parse_run_json, run_json
    from core.learning.trainer import History
    text = ";".join(f"a{-1.234 - i / 1000:.4g},{0.5678 + i / 1000:.4g},1" for i in range(E.MAX_EDITS))
    config = Playground2DConfig(edits=text).validated([])
    assert len(config.edits) > 200 and len(E.parse_edits(config.edits)) == 50
    page, params = parse_run_json(run_json("2d", config.to_query(), History()).encode())
    back, warnings = Playground2DConfig.from_query(params)
    assert page == "2d" and warnings == [] and back.edits == config.edits


def test_a_click_flips_the_nearest_label_to_the_next_class_or_the_chosen_one():
    from ui.canvas_edits import NEXT, click_edit
    run = build_run(Playground2DConfig(dataset="blobs_multi", n_classes=4, n_samples=80, model="logistic"))
    X, y = run.trainer.data.X_train, run.trainer.data.y_given
    px, py = float(X[7, 0]), float(X[7, 1])
    assert click_edit(run, "", "flip", px, py, NEXT) == E.Edit("flip", label=(int(y[7]) + 1) % 4, index=7)
    assert click_edit(run, "", "flip", px, py, 2) == E.Edit("flip", label=2, index=7)
    assert click_edit(run, "", "remove", px, py, NEXT) == E.Edit("remove", index=7)
    # after an earlier edit removed point 0, the same point is index 6 of the points the edits left
    assert click_edit(run, "r0", "remove", px, py, NEXT) == E.Edit("remove", index=6)
    assert click_edit(run, "", "add", 0.123456, -0.5, 3) == E.Edit("add", 0.1235, -0.5, label=3)
