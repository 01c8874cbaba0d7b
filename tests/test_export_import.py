"""Export formats and the refusal of malformed or hostile imports."""
import csv
import io
import json
import pickle

import pytest
import torch

from core.export import (ImportRefused, curves_csv, load_state_dict_bytes, parse_run_json, png_bytes, run_json,
                         state_dict_bytes)
from core.i18n import STRINGS
from core.models import build_model
from core.trainer import History


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
