import math

import pytest
import torch

from core.data.data2d import make_dataset
from core.learning.engines import AutogradSteps, TorchFastSteps
from core.learning.losses import compute_loss
from core.learning.models import build_model
from core.learning.trainer import METRICS, Trainer, TrainData, accuracy, predict
from tests.support import layers


def data_from(ds, flipped=None):
    n = len(ds.y_train)
    return TrainData(ds.X_train, ds.y_train,
                     torch.zeros(n, dtype=torch.bool) if flipped is None else flipped,
                     ds.X_test, ds.y_test)


@pytest.fixture(scope="module")
def blobs():
    return data_from(make_dataset("blobs", n_samples=80, seed=0))


@pytest.fixture(scope="module")
def xor():
    return data_from(make_dataset("xor", n_samples=60, seed=0))


def make_trainer(data, model="logistic", seed=0, n_classes=2, **kw):
    return Trainer(build_model(model, 2, n_classes, seed, width=8), data, seed=seed, **kw)


def set_linear(model, w, b):
    """Set a logistic model's single layer to weights (K, in) and biases (K,)."""
    (W, B), = layers(model.net)
    with torch.no_grad():
        W.copy_(torch.as_tensor(w, dtype=torch.float32).reshape(W.shape))
        B.copy_(torch.as_tensor(b, dtype=torch.float32).reshape(B.shape))


def same(a, b):
    """Equality where NaN == NaN (empty-subset metrics are NaN)."""
    return repr(a) == repr(b)


def weights(trainer):
    return [p.detach().clone() for p in trainer.model.parameters()]


# ---------------------------------------------------------------- learning


@pytest.mark.parametrize("model", ["logistic", "mlp"])
def test_loss_goes_down_on_separable_data(blobs, model):
    t = make_trainer(blobs, model, optimizer="adam", lr=0.05, batch_size=16)
    first = t.evaluate()
    assert t.step(60) == 60
    last = t.evaluate()
    assert last["train_loss"] < 0.5 * first["train_loss"]
    assert last["train_acc"] == 1.0
    assert last["test_acc"] >= 0.95
    assert t.steps == 60
    assert len(t.history) == 2 and t.history.step == [0, 60]


def test_multiclass_training(blobs):
    ds = make_dataset("blobs_multi", n_samples=90, seed=1, n_classes=3)
    t = make_trainer(data_from(ds), "mlp", n_classes=3, optimizer="adam", lr=0.05)
    first = t.evaluate()
    t.step(60)
    last = t.evaluate()
    assert last["train_loss"] < first["train_loss"]
    assert last["train_acc"] > 0.9


# ---------------------------------------------------------------- determinism


def test_same_seed_same_history_and_weights(xor):
    runs = []
    for _ in range(2):
        t = make_trainer(xor, "mlp", seed=3, optimizer="momentum", lr=0.05, batch_size=7)
        for _ in range(3):
            t.step(10)
            t.evaluate()
        runs.append(t)
    a, b = runs
    assert len(a.history) == 3
    assert same(a.history.rows(), b.history.rows())
    for pa, pb in zip(weights(a), weights(b)):
        assert torch.equal(pa, pb)


def test_different_seed_different_batch_order(xor):
    a = Trainer(build_model("mlp", 2, 2, 0, width=8), xor, seed=0, batch_size=5)
    b = Trainer(build_model("mlp", 2, 2, 0, width=8), xor, seed=1, batch_size=5)
    a.step(5)
    b.step(5)
    assert any(not torch.equal(x, y) for x, y in zip(weights(a), weights(b)))


# ---------------------------------------------------------------- batches


def test_one_epoch_visits_every_sample_once():
    n = 10
    X = torch.randn(n, 2)
    data = TrainData(X, torch.arange(n) % 2, torch.zeros(n, dtype=torch.bool), X[:2], torch.tensor([0, 1]))
    t = Trainer(build_model("logistic", 2, 2, 0), data, batch_size=3, seed=4)
    assert t.batch_size == 3
    batches = [torch.from_numpy(t.batcher.next_indices()) for _ in range(4)]
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(torch.cat(batches).tolist()) == list(range(n))
    assert t.epoch == pytest.approx(1.0)
    # the second epoch is again a permutation, and epochs are counted
    batches2 = [torch.from_numpy(t.batcher.next_indices()) for _ in range(4)]
    assert sorted(torch.cat(batches2).tolist()) == list(range(n))
    assert t.epoch == pytest.approx(2.0)
    assert t.batcher.epochs_done == 1
    # reshuffled, not the same order replayed (fixed seed: deterministic)
    assert torch.cat(batches).tolist() != torch.cat(batches2).tolist()


def test_batch_size_clamped_to_train_size(blobs):
    t = make_trainer(blobs, batch_size=10_000)
    assert t.batch_size == blobs.n_train
    t.configure(batch_size=0)
    assert t.batch_size == 1
    t.configure(batch_size=4)
    assert len(t.batcher.next_indices()) == 4


def test_epoch_progress(blobs):
    t = make_trainer(blobs, batch_size=8)
    t.step(3)
    assert t.epoch == pytest.approx(24 / blobs.n_train)


# ---------------------------------------------------------------- live changes


def test_set_lr_mid_run_keeps_everything_else(blobs):
    t = make_trainer(blobs, "mlp", optimizer="adam", lr=0.01)
    t.step(5)
    t.evaluate()
    w, steps, rows, opt = weights(t), t.steps, t.history.rows(), t.optimization.optimizer
    adam_state = [v["exp_avg"].clone() for v in opt.state.values()]
    assert len(adam_state) == len(w)
    t.set_lr(0.5)
    assert t.lr == 0.5
    assert all(g["lr"] == 0.5 for g in t.optimization.optimizer.param_groups)
    assert t.steps == steps
    assert same(t.history.rows(), rows)
    assert t.optimization.optimizer is opt  # state (Adam moments) kept
    for v, m in zip(opt.state.values(), adam_state):
        assert torch.equal(v["exp_avg"], m)
    for a, b in zip(w, weights(t)):
        assert torch.equal(a, b)
    t.step(2)
    assert t.steps == steps + 2


def test_set_lr_actually_changes_the_step_size(blobs):
    a = make_trainer(blobs, optimizer="sgd", lr=0.1)
    b = make_trainer(blobs, optimizer="sgd", lr=0.1)
    w0 = weights(a)
    b.set_lr(0.2)
    a.step(1)
    b.step(1)
    # plain SGD: same gradient, twice the step
    for p0, pa, pb in zip(w0, weights(a), weights(b)):
        assert torch.allclose(pb - p0, 2 * (pa - p0), atol=1e-6)


def test_configure_loss_switches_live(blobs):
    t = make_trainer(blobs, "mlp", loss="cross_entropy")
    t.step(3)
    w, steps = weights(t), t.steps
    t.configure(loss="hinge")
    assert t.loss_key == "hinge"
    assert t.steps == steps
    for a, b in zip(w, weights(t)):
        assert torch.equal(a, b)
    point = t.evaluate()
    with torch.no_grad():
        logits = t.model(blobs.X_train)
    assert point["train_loss"] == pytest.approx(compute_loss("hinge", logits, blobs.y_given).item(), rel=1e-6)
    assert point["train_loss"] != pytest.approx(compute_loss("cross_entropy", logits, blobs.y_given).item(),
                                                rel=1e-3)


def test_configure_loss_params(blobs):
    t = make_trainer(blobs, loss="gce", loss_params={"q": 0.3})
    assert t.loss_params == {"q": 0.3}
    t.configure(loss_params={"q": 0.9, "gamma": 2.0})  # unknown names dropped
    assert t.loss_params == {"q": 0.9}
    with torch.no_grad():
        logits = t.model(blobs.X_train)
    assert t.objective(logits, blobs.y_given).item() == pytest.approx(
        compute_loss("gce", logits, blobs.y_given, q=0.9).item())


def test_configure_unknown_loss_raises(blobs):
    t = make_trainer(blobs)
    with pytest.raises(ValueError):
        t.configure(loss="nope")


def test_configure_loss_alone_drops_foreign_params(blobs):
    t = make_trainer(blobs, loss="gce", loss_params={"q": 0.5})
    t.configure(loss="cross_entropy")
    assert t.step(2) == 2
    assert t.loss_params == {}


def test_configure_optimizer_rebuilds_but_keeps_weights(blobs):
    t = make_trainer(blobs, "mlp", optimizer="sgd", lr=0.07)
    t.step(4)
    w, steps, old = weights(t), t.steps, t.optimization
    t.configure(optimizer="adam")
    assert t.optimization is not old
    assert type(t.optimization.optimizer) is torch.optim.Adam
    assert t.lr == 0.07
    assert t.steps == steps
    for a, b in zip(w, weights(t)):
        assert torch.equal(a, b)
    # the new optimizer drives the model's own parameters
    opt_params = {id(p) for g in t.optimization.optimizer.param_groups for p in g["params"]}
    assert opt_params == {id(p) for p in t.model.parameters()}
    t.step(2)
    assert any(not torch.equal(a, b) for a, b in zip(w, weights(t)))


def test_configure_same_optimizer_keeps_state(blobs):
    t = make_trainer(blobs, optimizer="adam")
    t.step(2)
    old = t.optimization
    t.configure(optimizer="adam", loss="brier", batch_size=5)
    assert t.optimization is old


def test_configure_weight_decay_rebuilds(blobs):
    t = make_trainer(blobs, optimizer="sgd", weight_decay=0.0)
    old = t.optimization
    t.configure(weight_decay=0.1, wd_mode="decoupled")
    assert t.optimization is not old
    assert t.optimization.weight_decay == 0.1 and t.optimization.wd_mode == "decoupled"


# ---------------------------------------------------------------- divergence


def test_divergence_restores_snapshot(xor):
    t = make_trainer(xor, loss="exponential", optimizer="momentum", lr=0.01, batch_size=8)
    assert t.step(5) == 5
    t.evaluate()
    good_w = weights(t)
    good_opt = {k: {n: v.clone() for n, v in s.items()} for k, s in t.optimization.optimizer.state.items()}
    rows = t.history.rows()
    t.set_lr(1e30)
    t.step(10)
    assert t.diverged is not None
    assert t.diverged.restored_step == 5
    assert t.diverged.lr == 1e30
    assert t.diverged.step > 5
    assert t.steps == 5
    for a, b in zip(good_w, weights(t)):
        assert torch.isfinite(b).all()
        assert torch.equal(a, b)
    # optimizer state (momentum buffers) restored too
    for k, s in t.optimization.optimizer.state.items():
        for n, v in s.items():
            assert torch.equal(v, good_opt[k][n])
    assert same(t.history.rows(), rows)
    # frozen until resumed
    assert t.step(3) == 0
    assert t.steps == 5
    for a, b in zip(good_w, weights(t)):
        assert torch.equal(a, b)
    t.set_lr(0.01)
    t.resume_after_divergence()
    assert t.diverged is None
    assert t.step(3) == 3
    assert t.steps == 8
    assert all(torch.isfinite(p).all() for p in weights(t))


def test_divergence_from_nan_data():
    X = torch.tensor([[0.0, 1.0], [float("nan"), 0.0], [1.0, 1.0], [2.0, -1.0]])
    data = TrainData(X, torch.tensor([0, 1, 1, 0]), torch.zeros(4, dtype=torch.bool),
                     X[[0, 2]], torch.tensor([0, 1]))
    t = Trainer(build_model("logistic", 2, 2, 0), data, batch_size=4, optimizer="sgd", lr=0.1)
    w0 = weights(t)
    assert t.step(5) == 0
    assert t.diverged is not None and t.diverged.restored_step == 0
    assert t.steps == 0
    for a, b in zip(w0, weights(t)):
        assert torch.equal(a, b)
    assert t.step(1) == 0


def _optimizer_state(t):
    return [{k: v.clone() if torch.is_tensor(v) else v for k, v in s.items()}
            for s in t.optimization.optimizer.state.values()]


def _finite_history(t) -> bool:
    return all(math.isfinite(v) for m in ("train_loss", "test_loss") for v in t.history.values[m])


def test_overflowing_evaluation_restores_the_start_of_the_last_step_call(xor):
    """Weights that the batch losses tolerate but the full-set evaluation does not: divergence."""
    t = make_trainer(xor, "mlp", optimizer="momentum", lr=0.05, batch_size=4)
    t.step(3)
    t.evaluate()
    good_w, good_opt, good_rows = weights(t), _optimizer_state(t), t.history.rows()
    assert t.step(2) == 2
    with torch.no_grad():  # what a wild step can leave: finite weights, overflowing logits
        for p in t.model.parameters():
            p.mul_(1e20)
    point = t.evaluate()
    assert not math.isfinite(point["train_loss"])
    assert t.diverged is not None
    assert (t.diverged.step, t.diverged.restored_step, t.diverged.lr) == (5, 3, 0.05)
    assert t.steps == 3
    for a, b in zip(good_w, weights(t)):
        assert torch.equal(a, b)
    for saved, now in zip(good_opt, _optimizer_state(t)):
        assert saved.keys() == now.keys() and all(torch.equal(saved[k], now[k]) for k in saved)
    assert same(t.history.rows(), good_rows)  # the non-finite point is not recorded
    assert t.step(1) == 0  # paused like any divergence
    t.resume_after_divergence()
    assert t.step(2) == 2 and math.isfinite(t.evaluate()["train_loss"]) and _finite_history(t)


def test_overflowing_evaluation_without_a_step_flags_and_keeps_the_weights(blobs):
    t = make_trainer(blobs)
    set_linear(t.model, [[1e38, 1e38]], [0.0])
    w = weights(t)
    t.evaluate()
    assert t.diverged is not None and t.diverged.restored_step == t.steps == 0
    assert len(t.history) == 0
    for a, b in zip(w, weights(t)):
        assert torch.equal(a, b)


def test_nan_accuracy_of_an_empty_subset_is_not_a_divergence(blobs):
    t = make_trainer(blobs)  # no flipped labels: train_acc_flipped is NaN
    point = t.evaluate()
    assert math.isnan(point["train_acc_flipped"]) and t.diverged is None and len(t.history) == 1


def test_lr_100_from_the_url_diverges_in_evaluation_with_a_message():
    """SGD at lr 100 (reachable by URL) blows up the full-set loss while each
    batch loss stays finite. The run must stop with `diverged` set, finite history and weights."""
    from core.runs.config import Playground2DConfig
    from core.runs.playground import build_run

    in_evaluation = 0
    for seed in range(5):  # the blow-up is chaotic: over several seeds it must happen at least once
        t = build_run(Playground2DConfig(dataset="circles", loss="cross_entropy", optimizer="momentum",
                                         lr=100.0, batch_size=1, seed=seed)).trainer
        for _ in range(100):
            start, w = t.steps, weights(t)
            done = t.step(5)
            if t.diverged is None:
                point = t.evaluate()
            if t.diverged is not None:
                break
        if t.diverged is not None and done == 5:  # every batch loss was finite: evaluation caught it
            in_evaluation += 1
            assert not (math.isfinite(point["train_loss"]) and math.isfinite(point["test_loss"]))
            assert (t.diverged.step, t.diverged.restored_step, t.steps) == (start + 5, start, start)
            for a, b in zip(w, weights(t)):
                assert torch.equal(a, b)
        assert _finite_history(t)
        assert all(torch.isfinite(p).all() for p in t.model.parameters())
    assert in_evaluation >= 1


# ---------------------------------------------------------------- metrics


def hand_trainer(y_given, flipped, X_test=None, y_test=None):
    """Logistic model with logit z = x1 (class 1 iff x1 > 0)."""
    model = build_model("logistic", 2, 2, 0)
    set_linear(model, [[1.0, 0.0]], [0.0])
    X = torch.tensor([[-1.0, 0.0], [1.0, 0.0], [2.0, 5.0], [-2.0, 0.0], [0.5, 0.0]])
    if X_test is None:
        X_test, y_test = torch.tensor([[1.0, 0.0], [-1.0, 0.0], [3.0, 0.0]]), torch.tensor([1, 1, 1])
    data = TrainData(X, torch.tensor(y_given), torch.tensor(flipped), X_test, y_test)
    return Trainer(model, data, loss="cross_entropy")


def test_evaluate_metrics_by_hand():
    # predictions: [0, 1, 1, 0, 1]
    # clean labels: [0, 1, 1, 0, 0]; given: samples 2, 3, 4 flipped
    t = hand_trainer([0, 1, 0, 1, 1], [False, False, True, True, True])
    p = t.evaluate()
    assert set(p) == set(METRICS)
    assert p["train_acc"] == pytest.approx(3 / 5)       # agree with given at 0, 1, 4
    assert p["train_acc_clean"] == pytest.approx(1.0)   # unflipped 0, 1: both right
    assert p["train_acc_flipped"] == pytest.approx(1 / 3)  # memorised the wrong label only at 4
    assert p["test_acc"] == pytest.approx(2 / 3)
    z = torch.tensor([-1.0, 1.0, 2.0, -2.0, 0.5])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor([0.0, 1, 0, 1, 1]))
    assert p["train_loss"] == pytest.approx(expected.item(), rel=1e-6)
    assert t.history.values["train_acc_flipped"] == [p["train_acc_flipped"]]
    assert t.history.last("test_acc") == p["test_acc"]
    assert t.history.step == [0] and t.history.epoch == [0.0]


def test_metrics_nan_for_empty_subsets():
    none = hand_trainer([0, 1, 1, 0, 0], [False] * 5).evaluate()
    assert math.isnan(none["train_acc_flipped"])
    assert none["train_acc_clean"] == pytest.approx(4 / 5)
    everything = hand_trainer([1, 0, 0, 1, 1], [True] * 5).evaluate()
    assert math.isnan(everything["train_acc_clean"])
    assert everything["train_acc_flipped"] == pytest.approx(1 / 5)


def test_accuracy_and_predict_helpers():
    assert accuracy(torch.tensor([1.0, -1.0, 0.0]), torch.tensor([1, 0, 1])) == pytest.approx(2 / 3)
    logits = torch.tensor([[0.1, 2.0, 0.3], [5.0, 0.0, 0.0]])
    assert predict(logits).tolist() == [1, 0]
    assert accuracy(logits, torch.tensor([1, 2])) == pytest.approx(0.5)
    assert math.isnan(accuracy(torch.zeros(0), torch.zeros(0, dtype=torch.long)))


def test_history_rows(blobs):
    t = make_trainer(blobs)
    t.evaluate()
    t.step(2)
    t.evaluate()
    rows = t.history.rows()
    assert [r["step"] for r in rows] == [0, 2]
    assert set(rows[0]) == {"step", "epoch", *METRICS}
    assert t.history.last("train_loss") == rows[-1]["train_loss"]


# ---------------------------------------------------------------- fast path == autograd path


@pytest.mark.parametrize("model,n_classes,activation,loss,opt,wd_mode", [
    ("logistic", 2, "relu", "cross_entropy", "sgd", "l2"),
    ("mlp", 2, "relu", "gce", "adam", "l2"),
    ("mlp", 2, "tanh", "hinge", "momentum", "decoupled"),
    ("mlp", 3, "sigmoid", "focal", "adamw", "l2"),
    ("mlp", 3, "linear", "exponential", "adam", "decoupled"),
    ("logistic", 3, "relu", "brier", "sgd", "l2"),
])
def test_fast_path_matches_autograd_path(model, n_classes, activation, loss, opt, wd_mode):
    ds = make_dataset("blobs_multi" if n_classes == 3 else "moons", n_samples=60, seed=2,
                      **({"n_classes": 3} if n_classes == 3 else {}))
    data = data_from(ds)
    X = ds.X_train

    def trainer():
        m = build_model(model, 2, n_classes, 5, mean=X.mean(0), std=X.std(0), depth=2, width=6,
                        activation=activation)
        return Trainer(m, data, loss=loss, optimizer=opt, lr=0.05, batch_size=8,
                       weight_decay=0.05, wd_mode=wd_mode, seed=5)

    fast, slow = trainer(), trainer()
    assert isinstance(fast.torch_steps, TorchFastSteps)
    slow.torch_steps = AutogradSteps(slow)  # force loss.backward()
    for _ in range(3):
        assert fast.step(4) == slow.step(4) == 4
        a, b = fast.evaluate(), slow.evaluate()
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=1e-4, abs=1e-6)
    for pf, ps in zip(weights(fast), weights(slow)):
        assert torch.allclose(pf, ps, rtol=1e-4, atol=1e-5)
    assert any(not torch.equal(p, q) for p, q in
               zip(weights(fast), [p.detach() for p in trainer().model.parameters()]))  # it trained


# ---------------------------------------------------------------- public checkpoint / history API


def test_restore_goes_back_quietly_and_rollback_flags_a_divergence(xor):
    t = make_trainer(xor, "mlp", optimizer="adam", lr=0.05, batch_size=7)
    t.step(3)
    saved, w, epoch = t.checkpoint(), weights(t), t.epoch
    next_batches = [t.batcher.next_indices().tolist() for _ in range(3)]
    t.step(5)
    t.restore(saved)
    assert (t.steps, t.epoch, t.diverged) == (3, epoch, None)
    assert all(torch.equal(a, b) for a, b in zip(w, weights(t)))
    assert [t.batcher.next_indices().tolist() for _ in range(3)] == next_batches
    t.step(2)
    t.rollback(saved)  # flagged at the failed next step, 6; back at 3
    assert (t.diverged.step, t.diverged.restored_step, t.steps) == (6, 3, 3)
    assert t.step(1) == 0  # paused like any divergence


def test_load_history_continues_from_a_copy_of_a_recorded_run(blobs):
    old = make_trainer(blobs)
    old.evaluate()
    old.step(4)
    old.evaluate()
    t = make_trainer(blobs)
    t.load_history(old.history)
    assert t.steps == 4 and t.history.rows() == old.history.rows() and t.history is not old.history
    assert t.epoch == old.epoch  # the status line goes on from the record's epoch, not from 0
    t.step(1)
    t.evaluate()
    assert t.history.step == [0, 4, 5] and old.history.step == [0, 4]
    assert t.history.epoch[-1] > old.history.epoch[-1]


def test_forget_logits_after_weights_change_outside_training(blobs):
    t = make_trainer(blobs)
    t.evaluate()
    set_linear(t.model, [[3.0, -1.0]], [0.5])  # as a weights upload does
    t.forget_logits()
    train, _ = t.current_logits()
    assert torch.allclose(train, blobs.X_train @ torch.tensor([3.0, -1.0]) + 0.5)


# ---------------------------------------------------------------- logistic regression without bias


def test_no_bias_sgd_step_by_hand():
    """One full-batch SGD step with L2: w ← w − η·(mean (p − y)·x + λw), and b stays exactly 0."""
    X = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0], [0.0, -2.0]])
    y = torch.tensor([1, 0, 1, 0])
    data = TrainData(X, y, torch.zeros(4, dtype=torch.bool), X, y)
    t = Trainer(build_model("logistic", 2, 2, 0, bias=False), data, batch_size=4, optimizer="sgd", lr=0.5,
                weight_decay=0.1, numpy_steps=True)
    set_linear(t.model, [0.3, -0.2], [0.0])
    w = torch.tensor([0.3, -0.2], dtype=torch.float64)
    p = torch.sigmoid(X.double() @ w)
    expected = w - 0.5 * (((p - y) @ X.double()) / 4 + 0.1 * w)
    for _ in range(3):  # the first step is torch's, the next ones numpy's
        assert t.step(1) == 1
        torch.testing.assert_close(t.model.net.weight.detach().double(), expected, atol=1e-6, rtol=1e-6)
        assert t.model.net.bias.item() == 0.0
        p = torch.sigmoid(X.double() @ expected)
        expected = expected - 0.5 * (((p - y) @ X.double()) / 4 + 0.1 * expected)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw"])
@pytest.mark.parametrize("wd_mode", ["l2", "decoupled"])
def test_no_bias_stays_zero_and_every_engine_agrees(blobs, optimizer, wd_mode):
    def one(engine):
        t = Trainer(build_model("logistic", 2, 2, 0, bias=False), blobs, seed=2, optimizer=optimizer, lr=0.05,
                    batch_size=8, weight_decay=0.01, wd_mode=wd_mode, numpy_steps=engine == "numpy")
        if engine == "autograd":
            t.torch_steps = AutogradSteps(t)  # loss.backward(): the plain loop
        return t
    runs = [one(e) for e in ("numpy", "torch", "autograd")]
    w0 = runs[0].model.net.weight.detach().clone()
    for t in runs:
        assert t.step(40) == 40
        assert t.model.net.bias.item() == 0.0  # exactly: never trained, never decayed
    for t in runs[1:]:
        torch.testing.assert_close(t.model.net.weight, runs[0].model.net.weight, atol=1e-5, rtol=1e-5)
    assert (runs[0].model.net.weight.detach() - w0).norm() > 0.1  # the weights do train
    assert runs[0].evaluate()["test_acc"] > 0.95  # blobs: the line x1 + x2 = 0 goes through the origin


def test_with_a_bias_the_bias_still_trains(blobs):
    t = make_trainer(blobs, optimizer="adam", lr=0.05, batch_size=8, numpy_steps=True)
    b0 = t.model.net.bias.item()
    t.step(40)
    assert t.model.net.bias.item() != b0 and t.model.net.bias in t.optimization.optimizer.state
