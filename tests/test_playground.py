import numpy as np
import pytest
import torch
from PIL import Image

from core.runs.config import DATASET_KEYS, Playground2DConfig
from core.data.data2d import make_dataset, parse_points_csv
from core.runs.playground import Upload, build_run, draw, load_dataset, steps_per_frame
from core.runs import advance, update
from core.pictures.render import PlotBox

SMALL = Playground2DConfig(n_samples=60, width=6, depth=1, batch_size=8, lr=0.05)
FRAME = PlotBox(width=160, height=140, left=30, bottom=20)
CURVES = (120, 60)


def small_draw(run):
    return draw(run, resolution=16, frame=FRAME, curve_size=CURVES)


def weights(run):
    return [p.detach().clone() for p in run.trainer.model.parameters()]


def csv_bytes(n=24, seed=0):
    rng = np.random.default_rng(seed)
    rows = ["x1,x2,label"]
    for i in range(n):
        label = (3, 7)[i % 2]
        x = rng.normal(size=2) + (2.0 if label == 7 else -2.0)
        rows.append(f"{x[0]:.4f},{x[1]:.4f},{label}")
    return "\n".join(rows).encode()


# ---------------------------------------------------------------- build + frame


@pytest.mark.parametrize("dataset", [k for k in DATASET_KEYS if k != "upload"])
@pytest.mark.parametrize("model", ["logistic", "mlp"])
def test_every_dataset_builds_advances_and_draws(dataset, model):
    config = SMALL.replace(dataset=dataset, model=model)
    run = build_run(config)
    assert run.config is config
    assert len(run.trainer.history) == 1  # evaluated once at build
    assert advance(run, 5) == 5
    assert run.trainer.steps == 5
    assert len(run.trainer.history) == 2
    assert run.timings["steps"] == 5
    images = small_draw(run)
    assert len(images) == 3
    assert all(isinstance(im, Image.Image) for im in images)
    boundary, loss_img, acc_img = images
    assert boundary.size == (FRAME.width, FRAME.height)
    assert loss_img.size == CURVES and acc_img.size == CURVES
    expected_classes = config.class_count()
    assert run.data.n_classes == expected_classes
    assert run.trainer.model.n_classes == expected_classes
    assert run.painter is not None


def test_painter_kept_between_frames_and_rebuilt_for_new_frame():
    run = build_run(SMALL)
    small_draw(run)
    painter = run.painter
    advance(run, 2)
    small_draw(run)
    assert run.painter is painter
    draw(run, resolution=8, frame=PlotBox(width=100, height=100), curve_size=CURVES)
    assert run.painter is not painter


def test_build_is_deterministic():
    a, b = build_run(SMALL.replace(dataset="xor")), build_run(SMALL.replace(dataset="xor"))
    advance(a, 7)
    advance(b, 7)
    for pa, pb in zip(weights(a), weights(b)):
        assert torch.equal(pa, pb)
    assert np.array_equal(np.asarray(small_draw(a)[0]), np.asarray(small_draw(b)[0]))


def test_model_gets_standardizer_from_training_data():
    run = build_run(SMALL.replace(dataset="exam", model="logistic"))
    s = run.trainer.model.standardize
    assert torch.allclose(s.mean, run.data.X_train.mean(0))
    assert torch.allclose(s.std, run.data.X_train.std(0))


def test_trainer_gets_config_settings():
    config = SMALL.replace(loss="focal", loss_params=(("gamma", 1.5),), optimizer="momentum", lr=0.02,
                           batch_size=5, weight_decay=0.1, wd_mode="decoupled")
    t = build_run(config).trainer
    assert t.loss_key == "focal" and t.loss_params == {"gamma": 1.5}
    assert type(t.optimization.optimizer) is torch.optim.SGD
    assert t.lr == 0.02 and t.batch_size == 5
    assert t.optimization.weight_decay == 0.1 and t.optimization.wd_mode == "decoupled"


def test_steps_per_frame():
    assert steps_per_frame(SMALL.replace(speed="normal"), 30) == 10
    assert steps_per_frame(SMALL.replace(speed="slow"), 1000) == 1  # never zero


# ---------------------------------------------------------------- label noise


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.25, 1.0])
def test_symmetric_noise_flips_exact_count_and_spares_test(rate):
    config = SMALL.replace(dataset="blobs_multi", n_classes=4, n_samples=100,
                           noise_kind="symmetric", noise_rate=rate)
    run = build_run(config)
    d, ds = run.trainer.data, run.data
    n_train = len(ds.y_train)
    assert int(d.flipped.sum()) == round(rate * n_train)
    assert torch.equal(d.flipped, d.y_given != ds.y_train)
    # test labels: the clean generated ones, untouched
    clean = make_dataset("blobs_multi", n_samples=100, input_noise=config.input_noise,
                         test_fraction=config.test_fraction, seed=config.seed, n_classes=4)
    assert torch.equal(d.y_test, clean.y_test)
    assert torch.equal(ds.y_train, clean.y_train)  # the dataset keeps its clean labels
    assert torch.equal(d.X_test, clean.X_test)


def test_pair_noise_in_build_run():
    config = SMALL.replace(dataset="blobs_multi", n_classes=3, n_samples=90,
                           noise_kind="pairs", noise_rate=0.5, noise_pairs="0>2")
    run = build_run(config)
    d, ds = run.trainer.data, run.data
    from_0 = int((ds.y_train == 0).sum())
    assert int(d.flipped.sum()) == round(0.5 * from_0)
    assert (ds.y_train[d.flipped] == 0).all() and (d.y_given[d.flipped] == 2).all()


def test_noise_shows_in_accuracy_curves():
    run = build_run(SMALL.replace(dataset="blobs", noise_kind="symmetric", noise_rate=0.2))
    assert run.trainer.data.flipped.any()
    point = run.trainer.history.rows()[-1]
    assert not np.isnan(point["train_acc_flipped"])


# ---------------------------------------------------------------- core.runs.update


def test_update_none_builds_new():
    run, kind = update(None, SMALL, build_run)
    assert kind == "new" and run.config == SMALL


def test_update_same():
    run = build_run(SMALL)
    advance(run, 3)
    new, kind = update(run, SMALL.replace(), build_run)
    assert kind == "same" and new is run
    assert run.trainer.steps == 3


@pytest.mark.parametrize("changes", [
    {"lr": 0.2},
    {"loss": "hinge"},
    {"loss": "gce", "loss_params": (("q", 0.4),)},
    {"optimizer": "sgd"},
    {"batch_size": 3},
    {"weight_decay": 0.01, "wd_mode": "decoupled"},
    {"speed": "fast"},
])
def test_update_live_keeps_trainer_and_steps(changes):
    run = build_run(SMALL)
    advance(run, 4)
    trainer, dataset, w = run.trainer, run.data, weights(run)
    config = SMALL.replace(**changes)
    new, kind = update(run, config, build_run)
    assert kind == "live"
    assert new is run and new.trainer is trainer and new.data is dataset
    assert new.config == config
    assert trainer.steps == 4
    assert len(trainer.history) == 2
    for a, b in zip(w, weights(new)):
        assert torch.equal(a, b)
    t = new.trainer
    assert t.lr == config.lr
    assert t.loss_key == config.loss and t.loss_params == config.loss_kwargs
    assert t.batch_size == config.batch_size
    assert t._optimizer_key == config.optimizer
    assert (t.optimization.weight_decay, t.optimization.wd_mode) == (config.weight_decay, config.wd_mode)
    assert advance(new, 2) == 2 and t.steps == 6


def test_update_loss_back_to_one_without_params():
    run = build_run(SMALL.replace(loss="gce", loss_params=(("q", 0.4),)))
    config = SMALL.replace(loss="cross_entropy", loss_params=())
    new, kind = update(run, config, build_run)
    assert kind == "live" and new.trainer.loss_params == {}
    assert advance(new, 2) == 2


@pytest.mark.parametrize("changes", [{"width": 9}, {"depth": 2}, {"activation": "tanh"}, {"model": "logistic"}])
def test_update_model_rebuilds_model_keeps_dataset(changes):
    run = build_run(SMALL)
    advance(run, 4)
    old_trainer, dataset = run.trainer, run.data
    config = SMALL.replace(**changes)
    new, kind = update(run, config, build_run)
    assert kind == "model"
    assert new.data is dataset
    assert new.trainer is not old_trainer
    assert new.trainer.model is not old_trainer.model
    assert new.trainer.steps == 0
    assert new.config == config
    # same (noisy) training data
    assert torch.equal(new.trainer.data.y_given, old_trainer.data.y_given)
    assert torch.equal(new.trainer.data.X_train, old_trainer.data.X_train)


def test_update_width_gives_fresh_weights():
    run = build_run(SMALL)
    new, kind = update(run, SMALL.replace(width=9), build_run)
    assert kind == "model"
    net = new.trainer.model.net
    first = net.weights(net.weight)[0] if hasattr(net, "weights") else net[0].weight
    assert first.shape == (9, 2)
    assert sum(p.numel() for p in new.trainer.model.parameters()) != \
        sum(p.numel() for p in run.trainer.model.parameters())


@pytest.mark.parametrize("changes", [{"seed": 5}, {"dataset": "circles"}, {"n_samples": 80},
                                     {"noise_kind": "symmetric"}, {"input_noise": 0.3}])
def test_update_data_rebuilds_everything(changes):
    run = build_run(SMALL)
    advance(run, 3)
    config = SMALL.replace(**changes)
    new, kind = update(run, config, build_run)
    assert kind == "data"
    assert new is not run and new.data is not run.data and new.trainer is not run.trainer
    assert new.config == config and new.trainer.steps == 0


def test_update_seed_changes_data():
    run = build_run(SMALL)
    new, _ = update(run, SMALL.replace(seed=5), build_run)
    assert not torch.equal(new.data.X_train, run.data.X_train)


def diverge(run):
    t = run.trainer
    t.configure(loss="exponential", optimizer="sgd")
    t.set_lr(1e30)
    t.step(10)
    assert t.diverged is not None


def test_lr_change_after_divergence_clears_it():
    config = SMALL.replace(dataset="xor", model="logistic", loss="exponential", optimizer="sgd")
    run = build_run(config)
    diverge(run)
    assert run.trainer.step(3) == 0
    new, kind = update(run, config.replace(lr=0.01), build_run)
    assert kind == "live"
    assert new.trainer.diverged is None
    assert new.trainer.lr == 0.01
    assert advance(new, 3) == 3


def test_other_change_after_divergence_keeps_it():
    config = SMALL.replace(dataset="xor", model="logistic", loss="exponential", optimizer="sgd")
    run = build_run(config)
    diverge(run)
    run.trainer.set_lr(config.lr)  # lr equal to the config's: no "new lr" in the update
    new, kind = update(run, config.replace(batch_size=5), build_run)
    assert kind == "live"
    assert new.trainer.diverged is not None
    assert advance(new, 3) == 0


# ---------------------------------------------------------------- upload


def test_upload_path():
    X, y = parse_points_csv(csv_bytes())
    assert sorted(set(y.tolist())) == [0, 1]  # labels 3, 7 remapped
    upload = Upload(X, y)
    config = SMALL.replace(dataset="upload", test_fraction=0.25)
    run, kind = update(None, config, build_run, upload)
    assert kind == "new"
    assert run.data.n_classes == 2
    assert len(run.data.y_train) + len(run.data.y_test) == 24
    assert len(run.data.y_test) == 6
    assert advance(run, 4) == 4
    images = small_draw(run)
    assert images[0].size == (FRAME.width, FRAME.height)
    # a live change keeps the uploaded data
    new, kind = update(run, config.replace(lr=0.1), build_run, upload)
    assert kind == "live" and new.data is run.data


def test_upload_multiclass_with_pair_noise():
    rows = ["x1,x2,label"] + [f"{i % 5},{i // 5},{i % 3}" for i in range(30)]
    X, y = parse_points_csv("\n".join(rows).encode())
    config = SMALL.replace(dataset="upload", noise_kind="pairs", noise_pairs="2>0", noise_rate=1.0)
    run = build_run(config, Upload(X, y))
    d = run.trainer.data
    assert run.data.n_classes == 3
    assert int(d.flipped.sum()) == int((run.data.y_train == 2).sum()) > 0
    assert not (d.y_given == 2).any()


def test_upload_required():
    with pytest.raises(ValueError):
        load_dataset(SMALL.replace(dataset="upload"))


def _count(img, colour):
    return int(np.all(np.asarray(img).astype(int) == np.array(colour), axis=-1).sum())


def test_accuracy_image_shows_clean_and_flipped_curves_only_with_noise():
    green = (0, 158, 115)  # train_acc_clean
    noisy = build_run(SMALL.replace(dataset="blobs", noise_kind="symmetric", noise_rate=0.3))
    clean = build_run(SMALL.replace(dataset="blobs"))
    for run in (noisy, clean):
        advance(run, 5)
        advance(run, 5)
    _, _, acc_noisy = draw(noisy, resolution=8, frame=FRAME, curve_size=(300, 150))
    _, _, acc_clean = draw(clean, resolution=8, frame=FRAME, curve_size=(300, 150))
    assert _count(acc_noisy, green) > 10
    assert _count(acc_clean, green) == 0


def test_a_small_fair_share_still_trains_when_drawing_costs_more():
    """A busy server's slice is small; last frame's evaluation + drawing may cost more than all of
    it. Without a kept share the frame trains one step (at least one is always tried); with it, the
    training keeps half the slice and does many."""
    run = build_run(SMALL)
    advance(run, 5, seconds=None)
    run.timings.update(eval_ms=500.0, boundary_ms=500.0)  # far above the slice below
    starved = advance(run, 10_000, seconds=0.05)
    run.timings.update(eval_ms=500.0, boundary_ms=500.0)
    kept = advance(run, 10_000, seconds=0.05, min_train_share=0.5)
    assert starved == 1 and kept > 5
