"""core/learning/engines.py: where the MNIST page trains (a GPU when present, chosen once), and the device
rules the rest relies on: inputs go to the model's device, results come back where the inputs were.

The GPU test runs only on a machine with CUDA (it skips here with the reason)."""
from __future__ import annotations


import pytest
import torch

from core.data import mnist_data as md
from core.learning.engines import choose, device_name, model_device, training_device
from core.learning.models import build_model
from core.learning.trainer import Trainer, TrainData
from tests.support import need_data

from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)


@pytest.mark.parametrize("asked, cuda, expected", [
    ("auto", True, "cuda"), ("auto", False, "cpu"), ("cpu", True, "cpu"), ("cuda", False, "cpu"),
    ("CUDA ", True, "cuda"), ("gpu please", True, "cuda"), ("gpu please", False, "cpu")])
def test_choose_takes_cuda_when_present_unless_told_cpu(asked, cuda, expected):
    assert choose(asked, cuda).type == expected


def test_training_device_is_chosen_once_and_named():
    assert training_device() is training_device()
    assert training_device().type == ("cuda" if torch.cuda.is_available() else "cpu") or \
        training_device().type == "cpu"  # PLAYGROUND_DEVICE=cpu on a GPU server
    assert device_name(torch.device("cpu")) == "CPU"


def test_logits_come_back_where_the_inputs_were():
    model = build_model("mlp", 784, 10, 0, hidden=(8,), activation="relu")
    X, y = torch.randn(20, 784), torch.randint(0, 10, (20,))
    t = Trainer(model, TrainData(X, y, torch.zeros(20, dtype=torch.bool), X, y), batch_size=4)
    assert t.device == model_device(model) == torch.device("cpu")
    assert t.logits(X).device == X.device and t.logits_batched(X, batch=7).shape == (20, 10)
    assert torch.allclose(t.logits_batched(X, batch=7), t.logits(X), atol=1e-6)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine: the CPU path is tested")
def test_an_mnist_run_trains_and_shows_its_views_on_the_gpu(tmp_path, monkeypatch):
    from core.app.run_store import weights_of
    from core.runs.mnist_run import (MnistConfig, build_mnist_run, calibration, confusion, flipped_examples,
                                misclassified, pca_slice, train_for)
    need_data((MNIST_DIR / "t10k-images-idx3-ubyte.gz").is_file(), f"MNIST test split not found in {MNIST_DIR}")
    data = md.load("mnist", root=tmp_path, extra_dirs=[MNIST_DIR])
    config = MnistConfig(n_train=1000, noise_kind="symmetric", noise_rate=0.2)
    run = build_mnist_run(config, data)
    assert run.trainer.device.type == "cuda" and run.trainer.data.X_train.is_cuda
    assert train_for(run, 60.0, max_steps=30) == 30
    assert run.trainer.history.last("test_acc") > 0.3
    assert confusion(run).sum() == len(data.y_test)
    assert 0 <= calibration(run).ece <= 1
    assert misclassified(run) and flipped_examples(run)
    assert pca_slice(run).probs.shape[-1] == 10
    assert all(not w.is_cuda for w in weights_of(run.trainer.model).values())  # exports are CPU tensors
