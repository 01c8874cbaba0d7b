"""What the Regression page's live view says about a run (core/pictures/regression_frames.py): the residual axis
covers every residual and holds still, the legend and the residual caption name only what is drawn, and
a loss parameter changed mid-run is marked on the loss curve like a new loss or learning rate."""
from __future__ import annotations

import numpy as np
import pytest

from core.pictures.frame_data import unb64
from core.i18n import STRINGS
from core.lessons.presets import preset
from core.runs.regression_config import RegressionConfig
from core.pictures.regression_frames import (RESIDUAL_ROOM, legend_keys, residual_frame, residual_half_range, residual_note,
                                    round_up)
from core.runs.regression_run import build_regression_run, predict
from core.runs import advance, update


def lesson_config(key: str, **changes) -> RegressionConfig:
    config, warnings = RegressionConfig.from_query(preset(key).params)
    assert warnings == []
    return config.replace(**changes)


def drawn_y(frame: dict) -> np.ndarray:
    """The residual points' y in layout pixels, as the browser draws them."""
    return (unb64(frame["points"]["xy"], "<i2").reshape(-1, 2) / 16.0)[:, 1]


def assert_every_residual_inside(run) -> float:
    frame = residual_frame(run)
    lo, hi = frame["info"]["y_range"]
    r = predict(run, run.data.x_train.numpy().reshape(-1)) - run.data.y_train.numpy()
    assert lo == -hi and RESIDUAL_ROOM * np.abs(r).max() <= hi
    top, height = frame["plot"][1], frame["plot"][3]
    y = drawn_y(frame)
    assert ((y >= top) & (y <= top + height)).all()  # every point's centre on the plot, none under its border
    return hi


def test_round_up_picks_the_next_round_number():
    assert [round_up(v) for v in (1.0, 1.2, 2.5, 7.0, 9.9, 10.0, 0.031, 145.0)] == \
        [1.0, 1.5, 3.0, 8.0, 10.0, 10.0, 0.04, 150.0]


def test_the_residual_range_grows_at_once_holds_and_narrows_only_well_inside():
    r = np.array([0.5, -2.0, 1.0])
    assert residual_half_range(r, floor=1.0) == 3.0  # 1.1 · 2 = 2.2 -> 3
    assert residual_half_range(r * 4, floor=1.0, current=3.0) == 10.0  # 8.8 -> 10, at once
    assert residual_half_range(r * 2, floor=1.0, current=10.0) == 10.0  # 4.4 -> 5 still fits: kept
    assert residual_half_range(r / 2, floor=1.0, current=10.0) == 1.5  # 1.1 needs a seventh of it: narrows
    assert residual_half_range(np.array([np.inf, np.nan, 0.1]), floor=2.0) == 2.0  # the data's floor


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_outlier_lessons_residuals_stay_inside_the_axis_under_mse_and_then_mae(seed):
    config = lesson_config("reg_outliers", seed=seed)
    run = build_regression_run(config)
    halves = [assert_every_residual_inside(run)]
    for _ in range(6):
        advance(run, 50)
        halves.append(assert_every_residual_inside(run))
    run, change = update(run, config.replace(loss="mae"), build_regression_run)
    assert change == "live"
    for _ in range(6):  # MAE lets the line go back to the clean points: the outliers' residuals grow
        advance(run, 50)
        halves.append(assert_every_residual_inside(run))
    assert len(set(halves)) <= 3  # a few round steps, not a new range every frame


def test_the_legend_and_the_caption_name_only_what_is_on_screen():
    quantile = build_regression_run(lesson_config("reg_quantile"))  # the inventory lesson: no outliers, no band
    assert legend_keys(quantile) == ["reg.legend.train", "reg.legend.test", "reg.legend.fit", "reg.legend.truth"]
    assert residual_note(quantile) == [("reg.residual_note.points", {}),
                                       ("reg.residual_note.quantile", {"tau": "0.8", "below": "80%", "above": "20%"})]
    outliers = build_regression_run(lesson_config("reg_outliers", band=True))
    n = int(outliers.data.outliers.sum())
    assert n > 0 and "reg.legend.outlier" in legend_keys(outliers) and "reg.legend.band" in legend_keys(outliers)
    assert residual_note(outliers) == [("reg.residual_note.points", {}), ("reg.residual_note.outliers", {"n": n}),
                                       ("reg.residual_note.mse", {})]
    for key, fields in residual_note(outliers) + residual_note(quantile):
        for lang in ("en", "zh"):
            STRINGS[key][lang].format(**fields)  # every field it names is given


def test_a_loss_parameter_change_is_marked_like_a_new_loss():
    config = lesson_config("reg_quantile")
    run = build_regression_run(config)
    advance(run, 10)
    run, _ = update(run, config, build_regression_run)  # nothing changed: nothing marked
    assert run.trainer.history.events == []
    run, change = update(run, config.replace(loss_params=(("a", 1.0), ("b", 1.0))), build_regression_run)
    assert change == "live" and run.trainer.loss_params == {"a": 1.0, "b": 1.0}
    assert run.trainer.history.events == [(10, "rloss_param", "a = 4, b = 1", "a = 1, b = 1")]
    advance(run, 5)
    run, _ = update(run, config.replace(loss="pinball", loss_params=(("tau", 0.3),)), build_regression_run)
    assert run.trainer.history.events[-1] == (15, "rloss", "asymmetric", "pinball")  # a new loss: that marker only
