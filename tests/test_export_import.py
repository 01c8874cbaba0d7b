"""Export formats and the refusal of malformed or hostile imports."""
import csv
import io
import json
import pickle

import pytest
import torch

from core.app.export import (ImportRefused, curves_csv, load_state_dict_bytes, parse_run_json, png_bytes, run_json,
                         state_dict_bytes)
from core.i18n import STRINGS
from core.learning.models import build_model
from core.learning.trainer import History


def small_history() -> History:
    h = History()
    for i, (loss, acc) in enumerate([(0.7, 0.5), (0.4, 0.8)]):
        h.step.append(10 * i)
        h.epoch.append(0.5 * i)
        for m in h.values:
            h.values[m].append(float("nan") if m == "train_acc_flipped" else (loss if "loss" in m else acc))
    return h


def test_curves_csv_has_one_row_per_point_and_blank_nans():
    rows = list(csv.DictReader(io.StringIO(curves_csv(small_history()))))
    assert [r["step"] for r in rows] == ["0", "10"]
    assert float(rows[1]["test_loss"]) == 0.4 and rows[1]["train_acc_flipped"] == ""


def test_run_json_round_trip_and_nan_as_null():
    params = {"dataset": "moons", "lr": "0.01", "loss": "gce", "loss.q": "0.7"}
    text = run_json("2d", params, small_history(), "title")
    assert json.loads(text)["final"]["train_acc_flipped"] is None
    assert parse_run_json(text.encode()) == ("2d", params)


def doc(**changes) -> bytes:
    d = {"format": "loss-playground-run", "version": 1, "page": "2d", "config": {"lr": "0.1"}}
    d.update(changes)
    return json.dumps(d).encode()


@pytest.mark.parametrize("data, code", [
    (b"x" * 6_000_001, "err.import.too_large"),
    ("lr=0.1 é".encode("latin-1"), "err.import.encoding"),
    (b"{not json", "err.import.not_json"),
    (b"[" * 100_000 + b"]" * 100_000, "err.import.not_json"),
    (b'{"format": "loss-playground-run", "version": 1, "page": "2d", "config": {"lr": NaN}}', "err.import.config"),
    (b"[1, 2]", "err.import.not_run"),
    (doc(format="other"), "err.import.not_run"),
    (doc(version=2), "err.import.version"),
    (doc(page="evil"), "err.import.page"),
    (doc(config={"lr": {"nested": 1}}), "err.import.config"),
    (doc(config={"lr": [1, 2]}), "err.import.config"),
    (doc(config={f"k{i}": "1" for i in range(201)}), "err.import.config"),
    (doc(config="lr=1"), "err.import.config"),
])
def test_malformed_run_files_are_refused_with_a_reason(data, code):
    with pytest.raises(ImportRefused) as info:
        parse_run_json(data)
    assert info.value.code == code
    assert set(STRINGS[code]) == {"en", "zh"}


def test_plain_values_become_strings():
    assert parse_run_json(doc(config={"lr": 0.5, "seed": 3, "flag": True}))[1] == {"lr": "0.5", "seed": "3", "flag": "1"}


def test_weights_round_trip_into_a_fresh_model():
    a = build_model("mlp", 2, 3, seed=1)
    b = build_model("mlp", 2, 3, seed=2)
    load_state_dict_bytes(state_dict_bytes(a), b)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


class Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))  # would create a file if unpickled


def test_pickled_code_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    payload = io.BytesIO()
    torch.save({"net.weight": Exploit(str(marker))}, payload)
    model = build_model("mlp", 2, 3, seed=0)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for data in (payload.getvalue(), pickle.dumps(Exploit(str(marker)))):
        with pytest.raises(ImportRefused) as info:
            load_state_dict_bytes(data, model)
        assert info.value.code == "err.import.weights"
    assert not marker.exists()
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_wrong_shapes_are_refused_and_the_model_is_unchanged():
    model = build_model("mlp", 2, 3, seed=0, width=8)
    other = build_model("mlp", 2, 3, seed=0, width=16)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ImportRefused):
        load_state_dict_bytes(state_dict_bytes(other), model)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_png_bytes_is_a_png():
    from PIL import Image
    assert png_bytes(Image.new("RGB", (4, 4))).startswith(b"\x89PNG\r\n\x1a\n")


# ---- export -> import: every model of every page loads its own weights back ----
def _trained_2d(seed: int, **fields):
    from core.runs.config import Playground2DConfig
    from core.runs.playground import build_run
    run = build_run(Playground2DConfig(seed=seed, **fields))
    run.trainer.step(5)
    return run.trainer.model


def _trained_regression(seed: int, solve: bool = False, **fields):
    from core.runs.regression_config import RegressionConfig
    from core.runs.regression_run import build_regression_run, solve_least_squares
    run = build_regression_run(RegressionConfig(seed=seed, **fields))
    run.trainer.step(5)
    if solve:
        solve_least_squares(run)  # the loss = 0 lesson's exact fit: huge weights, huge values off the data
    return run.trainer.model


def _mnist(seed: int, **fields):
    from core.runs.mnist_run import MnistConfig
    config = MnistConfig(**fields)
    return build_model(config.model, 784, 10, seed, hidden=config.hidden_sizes, activation="relu")


PAGE_MODELS = {
    "2d-logistic": lambda s: _trained_2d(s, model="logistic"),
    "2d-logistic-no-bias": lambda s: _trained_2d(s, model="logistic", bias=False),
    "2d-mlp": lambda s: _trained_2d(s, model="mlp", depth=3, width=16),
    "2d-mlp-3-classes": lambda s: _trained_2d(s, model="mlp", dataset="blobs", n_classes=3),
    "regression-linear": lambda s: _trained_regression(s, model="linear"),
    "regression-constant": lambda s: _trained_regression(s, model="constant", dataset="demand",
                                                         loss="asymmetric"),
    "regression-mlp": lambda s: _trained_regression(s, model="mlp"),
    **{f"regression-polynomial-{d}": (lambda s, d=d: _trained_regression(s, model="polynomial", degree=d))
       for d in (1, 3, 8, 15)},
    "regression-polynomial-13-solved": lambda s: _trained_regression(s, solve=True, model="polynomial", degree=13,
                                                                     n_samples=20, test_fraction=0.4),
    "mnist-mlp": lambda s: _mnist(s, model="mlp", hidden="64,32"),
    "mnist-cnn": lambda s: _mnist(s, model="cnn"),
}


@pytest.mark.parametrize("name", list(PAGE_MODELS))
def test_every_pages_model_imports_its_own_exported_weights(name):
    exported, target = PAGE_MODELS[name](1), PAGE_MODELS[name](2)
    load_state_dict_bytes(state_dict_bytes(exported), target)
    assert all(torch.equal(a, b) for a, b in zip(exported.state_dict().values(), target.state_dict().values()))


@pytest.mark.parametrize("name, key, value", [
    ("regression-constant", "net.theta", 3e38),      # finite outputs, but every loss of them overflows
    ("regression-linear", "net.weight", 1e30),
    ("regression-polynomial-8", "net.bias", 1e20),
    ("2d-mlp", "net.bias", 1e30),
])
def test_weights_whose_outputs_overflow_any_loss_are_refused(name, key, value):
    model = PAGE_MODELS[name](0)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    hostile = {k: torch.full_like(v, value) if k == key else v for k, v in model.state_dict().items()}
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(state_dict_bytes_of(hostile), model)
    assert info.value.fields["reason"].key in ("imp.why.outputs_huge", "imp.why.overflow")
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def state_dict_bytes_of(state: dict) -> bytes:
    buf = io.BytesIO()
    torch.save(state, buf)
    return buf.getvalue()
