"""core/runs/mnist_run.py: config <-> URL, run building with label noise, live updates vs rebuilds,
teacher + distillation, and the views, on the real MNIST test split (8,000 / 2,000).

Tests needing the MNIST files skip with the reason; REQUIRE_DATA=1 turns those skips into failures.
Training is driven by max_steps wherever a result must not depend on the machine's speed.
"""
from __future__ import annotations

import math
from collections import Counter

import pytest
import torch

from core.data import mnist_data as md
from core.runs.config import Warning_
from core.runs.mnist_run import (STANDARD_PAIRS, MnistConfig, attach_teacher, build_mnist_run, calibration,
                            confusion, flipped_examples, misclassified, parse_hidden, train_for, train_teacher)
from core.runs import update
from core.runs.mnist_run import test_outputs as outputs_of  # aliased: pytest would collect test_*
from core.data.noise import _check_pairs, apply_label_noise
from core.learning.engines import OPTIMIZERS
from tests.support import need_data

from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
LONG = 120.0  # a time budget that never binds: max_steps decides


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    need_data(all((MNIST_DIR / f).is_file() for f in TEST_FILES), f"MNIST test split not found in {MNIST_DIR}")
    # an empty data folder: only the shared test split is found, whatever else this machine has
    root = tmp_path_factory.mktemp("empty-data-root")
    data = md.load("mnist", root=root, extra_dirs=[MNIST_DIR])
    assert data.test_split_only and (len(data.y_train), len(data.y_test)) == (8000, 2000)
    return data


def cfg(**kw) -> MnistConfig:
    return MnistConfig(**{"n_train": 1000, **kw})


# ---- config ------------------------------------------------------------------------------------------


def test_default_config_round_trips_through_the_url():
    config = MnistConfig()
    query = config.to_query()
    assert query["dataset"] == "mnist" and query["hidden"] == "256" and query["loss"] == "cross_entropy"
    back, warnings = MnistConfig.from_query(query)
    assert warnings == []
    assert back == config


def test_non_default_config_round_trips_through_the_url():
    config = MnistConfig(dataset="fashion", n_train=2000, noise_kind="pairs", noise_rate=0.35, model="mlp",
                         hidden="512, 128", loss="focal", loss_params=(("gamma", 3.5),), optimizer="sgd",
                         lr=0.03, batch_size=64, weight_decay=1e-4, wd_mode="decoupled", teacher_epochs=2,
                         seed=17)
    back, warnings = MnistConfig.from_query(config.to_query())
    assert warnings == []
    assert back == config
    assert dict(back.loss_params) == {"gamma": 3.5}



def test_distillation_config_round_trips_through_the_url():
    config = MnistConfig(loss="distillation", loss_params=(("T", 2.5), ("alpha", 0.7)), teacher_epochs=1)
    query = config.to_query()
    assert query["loss"] == "distillation" and query["loss.T"] == "2.5" and query["loss.alpha"] == "0.7"
    back, warnings = MnistConfig.from_query(query)
    assert warnings == []
    assert back == config
    assert dict(back.loss_params) == {"T": 2.5, "alpha": 0.7}
    # no loss params in the link: distillation's own defaults, no warning
    bare, warnings = MnistConfig.from_query({"loss": "distillation"})
    assert warnings == [] and dict(bare.loss_params) == {"T": 4.0, "alpha": 0.9}


def test_bad_hidden_in_the_url_warns_and_falls_back():
    back, warnings = MnistConfig.from_query({"hidden": "abc", "n_train": "2000"})
    assert warnings == [Warning_("warn.url.bad_value", {"key": "hidden", "value": "abc"})]
    assert back.hidden == "256" and back.hidden_sizes == (256,)
    assert back.n_train == 2000  # the good values are kept


def test_parse_hidden():
    assert parse_hidden("256") == (256,)
    assert parse_hidden("512, 256") == (512, 256)
    assert parse_hidden(" 64 ,32, ") == (64, 32)
    assert parse_hidden("1,2048,3,4") == (1, 2048, 3, 4)
    for bad in ("", "abc", "256,x", "0", "2049", "-5", "1.5", "1,2,3,4,5", ",,"):
        with pytest.raises(ValueError):
            parse_hidden(bad)


# ---- label noise in runs ------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["mnist", "fashion"])
def test_standard_pairs_are_valid_and_flip_exact_counts(full, dataset):
    pairs = STANDARD_PAIRS[dataset]
    assert _check_pairs(pairs, 10) == pairs  # in range, no self-pairs, each source class once
    clean = full.subset(2000, 3).y_train  # class labels 0..9, whichever data set they name
    rate = 0.3
    noisy = apply_label_noise(clean, 10, "pairs", rate, seed=11, pairs=pairs)
    assert torch.equal(noisy.flipped, noisy.labels != clean)
    sources = {a for a, _ in pairs}
    assert set(clean[noisy.flipped].tolist()) <= sources  # only source classes are flipped
    class_counts = Counter(clean.tolist())
    for a, b in pairs:
        of_a = clean == a
        assert int(noisy.flipped[of_a].sum()) == round(rate * class_counts[a])
        assert set(noisy.labels[of_a & noisy.flipped].tolist()) == {b}  # all moved to the pair's target
    assert int(noisy.flipped.sum()) == sum(round(rate * class_counts[a]) for a in sources)


def test_pairs_noise_in_a_run(full):
    run = build_mnist_run(cfg(noise_kind="pairs", noise_rate=0.25), full)
    d, clean = run.trainer.data, run.data.y_train
    assert torch.equal(d.flipped, d.y_given != clean)
    counts = Counter(clean.tolist())
    for a, b in STANDARD_PAIRS["mnist"]:
        moved = (clean == a) & d.flipped
        assert int(moved.sum()) == round(0.25 * counts[a])
        assert set(d.y_given[moved].tolist()) <= {b}
    assert set(clean[d.flipped].tolist()) <= {a for a, _ in STANDARD_PAIRS["mnist"]}


def test_symmetric_noise_flips_an_exact_count_and_never_the_test_labels(full):
    run = build_mnist_run(cfg(noise_kind="symmetric", noise_rate=0.3), full)
    d = run.trainer.data
    assert len(d.y_given) == 1000
    assert int(d.flipped.sum()) == round(0.3 * 1000)
    assert torch.equal(d.flipped, d.y_given != run.data.y_train)
    assert torch.equal(d.y_test, full.y_test) and torch.equal(run.data.y_test, full.y_test)
    assert int(d.y_given.min()) >= 0 and int(d.y_given.max()) <= 9
    # another rate, another exact count; no noise, no flips
    assert int(build_mnist_run(cfg(noise_kind="symmetric", noise_rate=0.15, n_train=1500),
                               full).trainer.data.flipped.sum()) == round(0.15 * 1500)
    clean = build_mnist_run(cfg(), full).trainer.data
    assert not clean.flipped.any() and torch.equal(clean.y_given, full.subset(1000, 0).y_train)


# ---- training and live updates --------------------------------------------------------------------------


def test_training_lowers_train_loss_and_raises_test_accuracy(full):
    run = build_mnist_run(cfg(n_train=2000), full)
    h = run.trainer.history
    assert len(h) == 1 and run.trainer.steps == 0
    assert train_for(run, LONG, max_steps=60) == 60
    assert run.trainer.steps == 60 and len(h) == 2 and h.step == [0, 60]
    assert h.values["train_loss"][-1] < h.values["train_loss"][0]
    assert h.values["test_acc"][-1] > h.values["test_acc"][0]
    assert h.values["test_acc"][-1] > 0.7  # chance is 0.1
    # 16 batches an epoch (the last one short): 3 full epochs, then 12 batches of 128
    assert run.epoch == pytest.approx(3 + 12 * 128 / 2000)


def test_update_same_live_model_data(full):
    from core.learning.models import first_layer_weights

    run, change = update(None, cfg(), build_mnist_run, full)
    assert change == "new"
    train_for(run, LONG, max_steps=5)
    trainer = run.trainer

    same, change = update(run, run.config, build_mnist_run, full)
    assert change == "same" and same is run and same.trainer is trainer

    # a training setting: applied to the running trainer, nothing reset
    faster = run.config.replace(lr=3e-3)
    live, change = update(run, faster, build_mnist_run, full)
    assert change == "live" and live is run and live.trainer is trainer
    assert trainer.steps == 5 and trainer.lr == 3e-3 and live.config == faster
    other_opt = next(o for o in OPTIMIZERS if o != "adam")
    live, change = update(run, faster.replace(loss="focal", optimizer=other_opt, batch_size=64), build_mnist_run, full)
    assert change == "live" and live.trainer is trainer and trainer.steps == 5
    assert trainer.loss_key == "focal" and trainer.batch_size == 64
    train_for(live, LONG, max_steps=3)
    assert trainer.steps == 8

    # the network's shape: a new model, same data
    model_run, change = update(live, live.config.replace(hidden="64"), build_mnist_run, full)
    assert change == "model" and model_run is not live and model_run.trainer.steps == 0
    assert model_run.trainer.model is not trainer.model
    assert tuple(first_layer_weights(model_run.trainer.model).shape) == (64, 784)
    assert torch.equal(model_run.trainer.data.y_given, trainer.data.y_given)

    # the data: n_train or seed
    bigger, change = update(model_run, model_run.config.replace(n_train=1500), build_mnist_run, full)
    assert change == "data" and len(bigger.data.y_train) == 1500 and bigger.trainer.steps == 0
    reseeded, change = update(bigger, bigger.config.replace(seed=1), build_mnist_run, full)
    assert change == "data" and reseeded is not bigger and reseeded.trainer.steps == 0
    assert not torch.equal(reseeded.data.y_train, bigger.data.y_train)


# ---- teacher and distillation ----------------------------------------------------------------------------


def test_teacher_then_distillation(full):
    run = build_mnist_run(cfg(), full)
    fractions = []
    teacher, acc = train_teacher(run, 1, progress=fractions.append)
    assert acc > 0.5
    assert fractions and fractions[-1] == 1.0
    student = attach_teacher(run, teacher, acc)
    assert student is not run and student.teacher is teacher and student.teacher_test_acc == acc
    assert student.trainer.steps == 0
    d = student.trainer.data
    assert d.teacher_train.shape == (1000, 10) and d.teacher_test.shape == (2000, 10)
    assert torch.equal(d.y_given, run.trainer.data.y_given)  # the same (possibly noisy) labels

    config = student.config.replace(loss="distillation")
    live, change = update(student, config, build_mnist_run, full)
    assert change == "live" and live is student
    assert live.trainer.loss_key == "distillation" and live.trainer.loss_params == {"T": 4.0, "alpha": 0.9}
    assert train_for(live, LONG, max_steps=20) == 20
    h = live.trainer.history
    assert all(math.isfinite(v) for v in h.values["train_loss"] + h.values["test_loss"])
    # a new network shape keeps the teacher
    reshaped, change = update(live, config.replace(hidden="64"), build_mnist_run, full)
    assert change == "model" and reshaped.teacher is teacher and reshaped.trainer.loss_key == "distillation"


def test_distillation_without_a_teacher_falls_back_to_cross_entropy(full):
    run = build_mnist_run(cfg(loss="distillation"), full)
    assert run.teacher is None and run.config.loss == "distillation"
    assert run.trainer.loss_key == "cross_entropy" and run.trainer.loss_params == {}
    assert train_for(run, LONG, max_steps=5) == 5

    ce = build_mnist_run(cfg(), full)
    live, change = update(ce, ce.config.replace(loss="distillation"), build_mnist_run, full)
    assert change == "live" and live is ce and live.trainer.loss_key == "cross_entropy"
    assert train_for(live, LONG, max_steps=5) == 5
    assert math.isfinite(live.trainer.history.last("train_loss"))


# ---- views ------------------------------------------------------------------------------------------------


def test_views_are_consistent(full):
    run = build_mnist_run(cfg(noise_kind="symmetric", noise_rate=0.3), full)
    train_for(run, LONG, max_steps=20)
    probs, pred = outputs_of(run)
    y = run.data.y_test
    assert probs.shape == (2000, 10) and torch.allclose(probs.sum(1), torch.ones(2000), atol=1e-5)

    counts = confusion(run)
    assert counts.shape == (10, 10) and counts.sum() == len(y) == 2000
    assert counts.trace() == int((pred == y).sum())
    assert list(counts.sum(1)) == [int((y == k).sum()) for k in range(10)]

    rel = calibration(run)
    assert 0.0 <= rel.ece <= 1.0 and rel.counts.sum() == 2000

    wrong = misclassified(run)
    assert len(wrong) == min(24, int((pred != y).sum())) and wrong
    for i, true, guess in wrong:
        assert true == int(y[i]) and guess == int(pred[i]) and true != guess

    d = run.trainer.data
    flips = flipped_examples(run)
    assert len(flips) == 24  # 300 flipped labels
    for i, given, true, _ in flips:
        assert d.flipped[i] and given != true
        assert given == int(d.y_given[i]) and true == int(run.data.y_train[i])
    assert flipped_examples(build_mnist_run(cfg(), full)) == []


def test_same_config_gives_identical_histories(full):
    config = cfg(noise_kind="symmetric", noise_rate=0.2, seed=3)
    runs = [build_mnist_run(config, full) for _ in range(2)]
    for run in runs:
        assert train_for(run, LONG, max_steps=20) == 20
    a, b = (r.trainer for r in runs)
    assert a.steps == b.steps == 20
    assert a.history.step == b.history.step and a.history.values == b.history.values
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)


def test_live_evaluation_of_a_big_mlp_is_bounded_and_small_nets_keep_full_subsets():
    from core.runs.mnist_run import (EVAL_SECONDS, EVAL_TEST_SAMPLES, EVAL_TRAIN_SAMPLES, MIN_EVAL_TEST, MIN_EVAL_TRAIN,
                                eval_sizes)
    assert eval_sizes(MnistConfig(hidden="256")) == (EVAL_TRAIN_SAMPLES, EVAL_TEST_SAMPLES)
    assert eval_sizes(MnistConfig(hidden="2048,2048,2048,2048")) == (MIN_EVAL_TRAIN, MIN_EVAL_TEST)
    cnn = MnistConfig(model="cnn")  # its images are costly to evaluate
    n_train, n_test = eval_sizes(cnn)
    assert n_train == MIN_EVAL_TRAIN and MIN_EVAL_TEST <= n_test < 2 * MIN_EVAL_TEST
    assert n_test == int(0.7 * EVAL_SECONDS / cnn.net_shape().forward_seconds(1))  # its share of the time
    mid = MnistConfig(hidden="1024,1024")
    n_train, n_test = eval_sizes(mid)
    assert MIN_EVAL_TEST < n_test < EVAL_TEST_SAMPLES and MIN_EVAL_TRAIN < n_train < EVAL_TRAIN_SAMPLES
    assert mid.net_shape().forward_seconds(n_train + n_test) <= EVAL_SECONDS * 1.001


