"""Comparison runs share data, label noise (or outliers) and initial weights; the compare URL round-trips."""
import string

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from core.runs.compare import (OVERRIDABLE, CompareConfig, advance_regression, build_regression_runs, default_comparison)
from core.pictures.compare_frames import overlay_frame
from core.runs.config import Playground2DConfig
from core.app.labels import label_text, regression_yardstick, run_labels
from core.runs.playground import build_run, load_dataset
from core.runs import advance
from core.runs.regression_run import build_regression_run

REGRESSION_LINK = {"kind": "regression", "runs": "3", "r1.loss": "mse", "r2.loss": "mae", "r3.loss": "huber",
                   "outlier_fraction": "0.1"}


def lockstep(spec: CompareConfig, steps: int):
    configs = spec.configs()
    dataset = load_dataset(configs[0])
    runs = [build_run(c, dataset=dataset) for c in configs]
    for _ in range(steps // 10):
        for run in runs:
            advance(run, 10)
    return runs


def test_same_config_twice_gives_identical_curves():
    base = Playground2DConfig(dataset="circles", noise_kind="symmetric", noise_rate=0.2).to_query()
    spec = CompareConfig("2d", base, ({}, {}))
    a, b = lockstep(spec, 60)
    assert a.trainer.history.values == b.trainer.history.values
    assert torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)


def test_runs_share_data_flips_and_initial_weights_but_not_the_loss():
    spec = CompareConfig.from_query({"noise_kind": "symmetric", "noise_rate": "0.3",
                                   "r1.loss": "cross_entropy", "r2.loss": "gce"})[0]
    configs = spec.configs()
    dataset = load_dataset(configs[0])
    a, b = (build_run(c, dataset=dataset) for c in configs)
    da, db = a.trainer.data, b.trainer.data
    assert torch.equal(da.X_train, db.X_train) and torch.equal(da.X_test, db.X_test)
    assert torch.equal(da.y_given, db.y_given) and torch.equal(da.flipped, db.flipped)
    assert int(da.flipped.sum()) == round(0.3 * len(da.y_given))
    assert torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)  # same init from one seed
    for run in (a, b):
        advance(run, 30)
    assert a.trainer.loss_key == "cross_entropy" and b.trainer.loss_key == "gce"
    assert not torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)


def test_data_keys_cannot_be_overridden_per_run():
    spec, warnings = CompareConfig.from_query({"runs": "2", "r2.dataset": "xor", "r2.seed": "5"})
    assert spec.overrides == ({}, {})
    assert {w.fields["key"] for w in warnings} == {"r2.dataset", "r2.seed"}


def test_compare_url_round_trip_for_every_kind():
    for kind in ("2d", "mnist", "regression"):
        spec = default_comparison(kind)
        back, warnings = CompareConfig.from_query(spec.to_query())
        assert warnings == [] and back == spec
        assert [c.loss for c in back.configs()] == [c.loss for c in spec.configs()]


def test_a_compare_link_names_a_class_count_only_for_a_data_set_that_takes_one():
    assert "n_classes" not in default_comparison("2d").to_query()  # moons
    old, warnings = CompareConfig.from_query({"dataset": "xor", "n_classes": "4", "r2.loss": "hinge"})
    assert warnings == [] and "n_classes" not in old.to_query()
    assert [c.class_count() for c in old.configs()] == [2, 2]
    multi, warnings = CompareConfig.from_query({"dataset": "spiral_multi", "n_classes": "4", "r2.lr": "0.1"})
    assert warnings == [] and multi.to_query()["n_classes"] == "4"
    assert [c.class_count() for c in multi.configs()] == [4, 4]
    assert CompareConfig.from_query(multi.to_query()) == (multi, [])


def test_bad_compare_params_fall_back_with_warnings():
    spec, warnings = CompareConfig.from_query({"kind": "3d", "runs": "7", "r1.lr": "fast", "r2.loss.q": "9"})
    assert spec.kind == "2d" and len(spec.overrides) == 2
    assert {w.fields["key"] for w in warnings} >= {"kind", "runs", "r1.lr"}


KEYS = ["kind", "runs", "dataset", "lr", "loss", "noise_rate", "r1.loss", "r2.lr", "r3.loss.q", "r9.lr",
        "r1.dataset", "bogus", "loss.q", "n_train", "hidden", "outlier_fraction", "r2.outlier_fraction",
        "r1.degree", "r2.loss.delta", "r3.band", "model"]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(string.printable, max_size=12),
                       st.text(string.printable, max_size=12) | st.sampled_from(
                           ["2d", "mnist", "regression", "2", "4", "gce", "mae", "huber", "polynomial", "upload", "0.5",
                            "1e9", "nan", "-1", "cnn", "256"]),
                       max_size=8))
def test_any_compare_query_parses_to_a_valid_spec(params):
    spec, warnings = CompareConfig.from_query(params)
    assert spec.kind in ("2d", "mnist", "regression") and 2 <= len(spec.overrides) <= 4
    configs = spec.configs()  # every run's config is valid
    assert len(configs) == len(spec.overrides)
    back, again = CompareConfig.from_query(spec.to_query())
    assert back == spec and again == []


# ---- regression comparisons ----------------------------------------------------------------------


def test_regression_spec_round_trips_and_its_default_is_mse_mae_huber_with_outliers():
    spec, warnings = CompareConfig.from_query(REGRESSION_LINK)
    assert warnings == [] and spec.kind == "regression"
    assert [c.loss for c in spec.configs()] == ["mse", "mae", "huber"]
    assert CompareConfig.from_query(spec.to_query()) == (spec, [])
    default = default_comparison("regression")
    configs = default.configs()
    assert [c.loss for c in configs] == ["mse", "mae", "huber"]
    assert {(c.dataset, c.outlier_fraction) for c in configs} == {("linear", 0.1)}


def test_regression_data_keys_cannot_be_overridden_per_run_and_upload_is_refused():
    spec, warnings = CompareConfig.from_query({**REGRESSION_LINK, "r1.dataset": "step", "r2.outlier_fraction": "0.3",
                                             "r3.seed": "4", "r2.n_samples": "50", "r1.leak": "1",
                                             "dataset": "upload"})
    assert spec.overrides[0] == {} and spec.overrides[1] == {"loss": "mae"}
    assert {w.fields["key"] for w in warnings} == {"r1.dataset", "r2.outlier_fraction", "r3.seed", "r2.n_samples",
                                                   "r1.leak", "dataset"}
    assert {c.dataset for c in spec.configs()} == {"sine"} and {c.outlier_fraction for c in spec.configs()} == {0.1}
    assert not {"dataset", "seed", "n_samples", "noise", "outlier_fraction", "outlier_size", "outlier_side",
                "leak", "test_fraction", "df"} & set(OVERRIDABLE["regression"])


def test_regression_per_run_model_loss_params_and_bad_values():
    spec, warnings = CompareConfig.from_query({**REGRESSION_LINK, "r3.loss.delta": "0.5", "r2.model": "polynomial",
                                             "r2.degree": "5", "r1.band": "1", "r1.lr": "fast", "r2.loss.delta": "2"})
    a, b, c = spec.configs()
    assert (b.model, b.degree, c.loss_kwargs, a.band) == ("polynomial", 5, {"delta": 0.5}, True)
    assert {w.fields["key"] for w in warnings} == {"r1.lr", "r2.loss.delta"}  # MAE has no delta
    assert [label_text(p, "en") for p in run_labels(spec)] == [
        "Run 1 · MLP · MSE · quantile band", "Run 2 · polynomial · degree 5 · MAE · no band",
        "Run 3 · MLP · Huber δ=0.5 · no band"]
    assert label_text(run_labels(spec)[1], "zh") == "实验 2 · 多项式 · 5 次 · 平均绝对误差 · 无分位数带"


def test_regression_runs_share_one_data_object_initial_weights_and_step_in_lockstep():
    spec, _ = CompareConfig.from_query({**REGRESSION_LINK, "r3.band": "1"})
    runs, changes = build_regression_runs([None] * 3, spec.configs())
    assert changes == ["data"] * 3
    d = runs[0].data
    assert all(r.data is d for r in runs) and all(m.data is d for m in runs[2].band)
    assert int(d.outliers.sum()) == round(0.1 * len(d.y_train))
    start = [torch.cat([p.detach().flatten() for p in r.trainer.model.parameters()]) for r in runs]
    assert all(torch.equal(start[0], w) for w in start[1:])  # same model, one seed: the same initial weights
    assert advance_regression(runs, 25) == 25
    assert {m.trainer.steps for r in runs for m in r.members} == {25}  # the band's members too
    after = [torch.cat([p.detach().flatten() for p in r.trainer.model.parameters()]) for r in runs]
    assert not torch.equal(after[0], after[1])  # MSE and MAE step differently from the same start
    # a loss change keeps the runs (and the shared data); new data rebuilds them all on one new data set
    configs = spec.configs()
    again, changes = build_regression_runs(runs, [configs[0].replace(loss="log_cosh")] + configs[1:])
    assert changes[0] == "live" and again[0] is runs[0] and all(r.data is d for r in again)
    moved, changes = build_regression_runs(again, [c.replace(seed=3) for c in configs])
    assert changes == ["data"] * 3 and moved[0].data is not d and all(r.data is moved[0].data for r in moved)


def test_overlay_frame_draws_the_points_the_truth_and_one_fit_per_run_in_its_colour():
    spec, _ = CompareConfig.from_query(REGRESSION_LINK)
    runs, _ = build_regression_runs([None] * 3, spec.configs())
    frame = overlay_frame(runs, ["#111111", "#222222", "#333333"])
    assert frame["kind"] == "plot" and frame["info"]["runs"] == 3
    assert frame["points"]["n"] == runs[0].data.n_train + len(runs[0].data.y_test)
    assert [(c["role"], c["run"], c["colour"], c["dash"]) for c in frame["curves"]] == [
        ("truth", 0, "#555555", True), ("fit", 1, "#111111", False), ("fit", 2, "#222222", False),
        ("fit", 3, "#333333", False)]
    other = build_regression_run(spec.configs()[1])  # equal data, but not the same object: refused
    with pytest.raises(ValueError):
        overlay_frame([runs[0], other], ["#111111", "#222222"])


def test_regression_yardstick_is_mae_and_rmse_on_the_test_targets():
    ys = regression_yardstick(np.array([1.0, 2.0, 5.0]), torch.tensor([1.0, 3.0, 3.0]))
    assert ys["mae"] == pytest.approx(1.0) and ys["rmse"] == pytest.approx(np.sqrt(5 / 3))
