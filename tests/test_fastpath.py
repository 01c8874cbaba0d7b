"""The numpy step path (core/learning/engines.py) must be the torch.optim path, only cheaper.

Two trainers start from the same weights and batches; one steps with torch (autograd or the
hand-written torch backward + torch.optim), the other in numpy. They must agree step for step,
in weights and in the optimizer's own state, for every optimizer, decay mode, activation and loss.
"""
import itertools

import pytest
import torch

from core.data.data2d import make_dataset
from core.learning.engines import NumpySteps
from core.i18n import UserFacingError
from core.learning.losses import LOSSES
from core.learning.models import build_model
from core.learning.trainer import Trainer, TrainData


def data(name, n_classes=None):
    kw = {"n_classes": n_classes} if n_classes else {}
    ds = make_dataset(name, n_samples=120, seed=3, **kw)
    return TrainData(ds.X_train, ds.y_train, torch.zeros(len(ds.y_train), dtype=torch.bool),
                     ds.X_test, ds.y_test), ds.n_classes


def pair(name="moons", model="mlp", activation="relu", n_classes=None, **kw):
    """(numpy-path trainer, torch-path trainer) with identical weights, data and batch order."""
    d, k = data(name, n_classes)
    X = d.X_train

    def one(numpy_steps):
        m = build_model(model, 2, k, 0, mean=X.mean(0), std=X.std(0), depth=2, width=8, activation=activation)
        return Trainer(m, d, seed=1, numpy_steps=numpy_steps, **kw)
    return one(True), one(False)


def assert_same(a: Trainer, b: Trainer, tol=2e-5):
    assert a.steps == b.steps and a.epoch == pytest.approx(b.epoch)
    for pa, pb in zip(a.model.parameters(), b.model.parameters()):
        torch.testing.assert_close(pa, pb, atol=tol, rtol=tol)
    sa, sb = a.optimization.optimizer.state, b.optimization.optimizer.state
    for pa, pb in zip(a.model.parameters(), b.model.parameters()):
        assert sa[pa].keys() == sb[pb].keys()
        for key in sa[pa]:
            torch.testing.assert_close(sa[pa][key], sb[pb][key], atol=tol, rtol=tol)


@pytest.mark.parametrize("optimizer,wd_mode,dataset", list(itertools.product(
    ["sgd", "momentum", "adam", "adamw"], ["l2", "decoupled", "l1"], ["moons", "blobs_multi"])))
def test_optimizers_and_weight_decay_match_torch_optim(optimizer, wd_mode, dataset):
    a, b = pair(dataset, optimizer=optimizer, lr=0.05, batch_size=10, weight_decay=0.05, wd_mode=wd_mode)
    for _ in range(6):
        assert a.step(15) == b.step(15) == 15
    assert_same(a, b)
    assert NumpySteps.attach(a) is not None  # the numpy path really ran


@pytest.mark.parametrize("activation,model", [("relu", "mlp"), ("tanh", "mlp"), ("sigmoid", "mlp"),
                                              ("linear", "mlp"), ("linear", "logistic")])
@pytest.mark.parametrize("dataset", ["xor", "spiral_multi"])
def test_activations_and_models_match(activation, model, dataset):
    a, b = pair(dataset, model, activation, optimizer="adam", lr=0.02, batch_size=7)
    for _ in range(5):
        a.step(20), b.step(20)
    assert_same(a, b)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("dataset", ["moons", "blobs_multi"])
def test_every_loss_matches(loss, dataset):
    # losses without a numpy closed form take dℓ/dz from autograd on the logits
    params = {p.name: p.default * 0.5 + p.low * 0.5 for p in LOSSES[loss].params}
    if LOSSES[loss].binary is None and dataset == "moons":  # multiclass only: refused for 2 classes
        with pytest.raises(UserFacingError, match="3 or more classes"):
            pair(dataset, loss=loss)
        return
    a, b = pair(dataset, optimizer="momentum", lr=0.05, batch_size=12, loss=loss, loss_params=params)
    for _ in range(4):
        a.step(10), b.step(10)
    assert_same(a, b)


def test_live_changes_act_on_the_numpy_path():
    a, b = pair(optimizer="adam", lr=0.01, batch_size=8)
    for t in (a, b):
        t.step(20)
        t.set_lr(0.1)
        t.step(20)
        t.configure(batch_size=3, loss="label_smoothing", loss_params={"eps": 0.2})
        t.step(20)
        t.configure(optimizer="momentum", weight_decay=0.01, wd_mode="decoupled")
        t.step(20)
    assert_same(a, b)
    assert a.optimization.optimizer.param_groups[0]["lr"] == 0.1


def test_seeded_runs_repeat_exactly():
    a1, _ = pair(optimizer="adam", lr=0.01)
    a2, _ = pair(optimizer="adam", lr=0.01)
    a1.step(150), a2.step(150)
    for p1, p2 in zip(a1.model.parameters(), a2.model.parameters()):
        assert torch.equal(p1, p2)


def test_divergence_on_the_numpy_path_restores_the_snapshot():
    a, _ = pair("xor", loss="exponential", optimizer="sgd", lr=0.01, batch_size=8)
    assert a.step(5) == 5 and NumpySteps.attach(a) is not None
    good = [p.detach().clone() for p in a.model.parameters()]
    a.set_lr(1e30)
    assert a.step(50) == 0
    assert a.diverged is not None and a.diverged.restored_step == 5 and a.steps == 5
    for g, p in zip(good, a.model.parameters()):
        assert torch.equal(g, p)
    a.set_lr(0.01)
    a.resume_after_divergence()
    assert a.step(10) == 10
    assert all(torch.isfinite(p).all() for p in a.model.parameters())


def test_not_used_for_other_models_or_before_the_optimizer_has_state():
    d, k = data("moons")

    class Plain(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 1)

        def forward(self, x):
            return self.lin(x).squeeze(-1)

    plain = Plain()
    plain.binary = True
    t = Trainer(plain, d, numpy_steps=True)
    assert not t.numpy_steps and NumpySteps.attach(t) is None
    assert t.step(5) == 5  # the ordinary autograd path
    a, _ = pair()
    assert NumpySteps.attach(a) is None  # torch.optim makes its state on its first step
    a.step(1)
    assert NumpySteps.attach(a) is not None


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("model,depth,n_classes", [("mlp", 2, None), ("mlp", 1, 3), ("logistic", 0, None)])
def test_numpy_logits_equal_the_torch_forward(activation, model, depth, n_classes):
    """The live view's measurements use the numpy forward: the same logits as the torch model."""
    from core.learning.engines import numpy_logits
    d, k = data("moons" if n_classes is None else "blobs_multi", n_classes)
    X = d.X_train
    for standardize in (True, False):
        stats = dict(mean=X.mean(0), std=X.std(0)) if standardize else {}
        m = build_model(model, 2, k, 0, depth=depth, width=8, activation=activation, **stats)
        with torch.no_grad():
            m.net.weight.mul_(3.0)  # well away from zero: every activation's nonlinear part is used
            expected = m(X)
        got = numpy_logits(m, X)
        assert got.shape == expected.shape and got.dtype == torch.float32
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
        with torch.no_grad():
            m.net.bias.add_(1.0)  # parameters change in place: the next call sees the new values
            torch.testing.assert_close(numpy_logits(m, X), m(X), rtol=1e-5, atol=1e-5)
    assert numpy_logits(m, X.double()) is None  # anything else goes the torch way
    assert numpy_logits(torch.nn.Linear(2, 1), X) is None
    wide = build_model("mlp", 784, 10, 0, depth=1, width=8, activation="relu")
    assert numpy_logits(wide, torch.zeros(3, 784)) is None  # MNIST's matmuls stay with torch


@pytest.mark.parametrize("optimizer,wd_mode", list(itertools.product(["sgd", "momentum", "adam", "adamw"],
                                                                     ["l2", "decoupled", "l1"])))
@pytest.mark.parametrize("dataset", ["blobs", "blobs_multi"])
def test_logistic_without_bias_matches_torch_and_keeps_its_bias_at_zero(optimizer, wd_mode, dataset):
    d, k = data(dataset)

    def one(numpy_steps):
        m = build_model("logistic", 2, k, 0, mean=torch.zeros(2), std=d.X_train.std(0), bias=False)
        return Trainer(m, d, seed=1, numpy_steps=numpy_steps, optimizer=optimizer, lr=0.05, batch_size=10,
                       weight_decay=0.05, wd_mode=wd_mode)
    a, b = one(True), one(False)
    w0 = a.model.net.weight.detach().clone()
    for _ in range(6):
        assert a.step(15) == b.step(15) == 15
    assert NumpySteps.attach(a) is not None  # the numpy path really ran
    for p, q in zip(a.model.net.parameters(), b.model.net.parameters()):
        torch.testing.assert_close(p, q, atol=2e-5, rtol=2e-5)
    for t in (a, b):
        assert not t.model.net.bias.detach().any()  # exactly 0.0, every step, every optimizer
        assert t.model.net.bias not in t.optimization.optimizer.state
    assert (a.model.net.weight.detach() - w0).abs().max() > 0.1  # the weights did train
