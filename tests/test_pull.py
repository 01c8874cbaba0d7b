"""Who pulls the boundary (core/lessons/pull.py): each training point's |∂ℓ/∂z_i| from the trainer's own
gradient, checked against per-sample autograd for every loss, and drawn as point size."""
from pathlib import Path

import numpy as np
import pytest
import torch

from core.i18n import STRINGS
from core.learning.losses import LOSSES, compute_loss
from core.runs.playground import build_run, draw_boundary
from core.lessons.presets import preset
from core.lessons.pull import per_sample_pull, shares, trainer_pull
from core.pictures.render import PULL_RADII, PlotBox, pull_sizes
from tests.support import live_canvases, open_lesson_in_apptest
from tests.test_presets import configs_of

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def autograd_per_sample(key, z, y, params):
    """|dℓ_i/dz_i| one row at a time: the loss of a single row is its own mean."""
    out = []
    for i in range(len(y)):
        zi = z[i:i + 1].clone().requires_grad_()
        (g,) = torch.autograd.grad(compute_loss(key, zi, y[i:i + 1], **params), zi)
        out.append(float(g.abs().sum()) if z.ndim == 1 else float(g.norm()))
    return np.array(out)


def settings():
    for key, spec in LOSSES.items():
        yield key, {}
        for p in spec.params:
            yield key, {p.name: p.low + p.step}


def logits(binary: bool, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    shape = (24,) if binary else (24, 3)
    z = (torch.randn(shape, generator=g) * 2.5).to(torch.float32)
    y = torch.randint(0, 2 if binary else 3, (24,), generator=g)
    return z, y


@pytest.mark.parametrize("key,params", list(settings()), ids=lambda v: str(v))
def test_multiclass_pull_equals_per_sample_autograd(key, params):
    z, y = logits(binary=False)
    expected = autograd_per_sample(key, z.double(), y, params)
    assert expected.max() > 0
    np.testing.assert_allclose(per_sample_pull(key, z, y, params), expected, rtol=2e-4, atol=1e-6)


@pytest.mark.parametrize("key,params", [(k, p) for k, p in settings() if LOSSES[k].binary is not None],
                         ids=lambda v: str(v))
def test_binary_pull_equals_per_sample_autograd(key, params):
    z, y = logits(binary=True)
    expected = autograd_per_sample(key, z.double(), y, params)
    np.testing.assert_allclose(per_sample_pull(key, z, y, params), expected, rtol=2e-4, atol=1e-6)


def test_hand_values_cross_entropy_exponential_gce():
    z = torch.tensor([2.0, -1.0, 0.0])
    y = torch.tensor([1, 1, 0])
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    # cross-entropy pulls with |p - y|
    np.testing.assert_allclose(per_sample_pull("cross_entropy", z, y), [1 - sig(2), 1 - sig(-1), sig(0)], rtol=1e-6)
    # exponential with e^(-m): the misclassified point (m = -1) pulls e^2 = 7.4 times as hard as m = 1 would
    np.testing.assert_allclose(per_sample_pull("exponential", z, y), [np.exp(-2), np.exp(1), 1.0], rtol=1e-6)
    # GCE: σ(m)^q σ(-m), which fades for a badly misclassified point
    q = 0.7
    m = np.array([2.0, -1.0, 0.0])
    np.testing.assert_allclose(per_sample_pull("gce", z, y, {"q": q}), sig(m) ** q * sig(-m), rtol=1e-5)
    far = per_sample_pull("gce", torch.tensor([-30.0, 0.0]), torch.tensor([1, 1]), {"q": q})
    assert far[0] < 1e-8 < far[1]


def test_shares_sum_to_one_and_handle_nothing_pulling():
    np.testing.assert_allclose(shares(np.array([1.0, 3.0])), [0.25, 0.75])
    assert shares(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]  # every hinge margin met: nobody pulls
    assert shares(np.array([np.inf, 1.0])).tolist() == [1.0, 0.0]
    # hinge: points beyond the margin pull nothing
    assert per_sample_pull("hinge", torch.tensor([3.0, 0.5]), torch.tensor([1, 1])).tolist() == [0.0, 1.0]


def test_distillation_uses_the_trainers_own_objective():
    from core.learning import distill
    z, y = logits(binary=False, seed=3)
    teacher = torch.randn(24, 3, generator=torch.Generator().manual_seed(4))
    objective = lambda zz, yy: distill.distillation_loss(zz, yy, teacher)  # noqa: E731
    got = per_sample_pull(distill.KEY, z, y, objective=objective)
    expected = []
    for i in range(24):
        zi = z[i:i + 1].clone().requires_grad_()
        (g,) = torch.autograd.grad(distill.distillation_loss(zi, y[i:i + 1], teacher[i:i + 1]), zi)
        expected.append(float(g.norm()))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)


def exp_pull_run(steps: int = 600):
    (config,) = configs_of(preset("exp_pull"))
    run = build_run(config)
    run.trainer.step(steps)
    run.trainer.evaluate()
    return run


def test_trainer_pull_is_each_points_pull_at_its_last_logits():
    run = exp_pull_run(50)
    t = run.trainer
    pulled = trainer_pull(t)
    z = t.logits(t.data.X_train)
    expected = autograd_per_sample(t.loss_key, z.double(), t.data.y_given, t.loss_params)
    np.testing.assert_allclose(pulled, expected, rtol=1e-4, atol=1e-9)
    assert pulled.sum() > 10  # absolute, not shares


def test_pull_sizes_are_one_scale_for_every_loss_with_a_marked_cap():
    r = 3.5
    radii, capped = pull_sizes([1.0, 4.0, 0.25, 0.0, np.nan, 6.0, 7.0, 1e3, np.inf], r)
    # area ∝ pull: a pull of 1 (binary cross-entropy's most) is the usual dot, 4 twice its radius
    assert radii[:3].tolist() == pytest.approx([r, 2 * r, r / 2])
    assert radii[3] == radii[4] == PULL_RADII[0]  # no pull (or none defined): still visible
    assert radii[5] == pytest.approx(r * np.sqrt(6.0)) and radii[5] < PULL_RADII[1]
    assert (radii[6:] == PULL_RADII[1]).all()
    assert capped.tolist() == [False] * 6 + [True] * 3


def test_a_capped_disc_has_a_thick_grey_edge():
    from core.pictures.render import Grid
    from core.pictures.render import PULL_CAPPED, BoundaryPainter
    bounds = (-1.0, 1.0, -1.0, 1.0)
    X = np.array([[-0.5, 0.0], [0.5, 0.0]])
    painter = BoundaryPainter(bounds, X_train=X, y_train=np.array([0, 0]), X_test=np.zeros((0, 2)),
                              y_test=np.zeros(0, int))
    grid = Grid(bounds, np.full((8, 8, 2), 0.5, dtype=np.float32))
    img = np.asarray(painter.paint(grid, pull=np.array([1e4, 5.0])))
    (x0, y), (x1, _) = painter.train_px
    r_big, r_small = painter.last_radii
    assert r_big == PULL_RADII[1] and r_small < PULL_RADII[1]
    edge = lambda x, r: img[int(round(y)), int(round(x + r - 1))]  # noqa: E731  (just inside the rim)
    assert tuple(edge(x0, r_big)) == PULL_CAPPED
    assert tuple(edge(x1, r_small)) != PULL_CAPPED


def test_flipped_points_pull_hardest_under_exponential_loss_and_are_drawn_biggest():
    run = exp_pull_run()
    t = run.trainer
    flipped = t.data.flipped.numpy()
    assert flipped.sum() >= 10
    pulled = trainer_pull(t)
    # the few flipped points (27 of 280) hold almost half of the gradient: 0.46 at step 600
    assert shares(pulled)[flipped].sum() > 4 * flipped.mean(), (shares(pulled)[flipped].sum(), flipped.mean())
    assert np.median(pulled[flipped]) > 20 * np.median(pulled[~flipped])
    frame = PlotBox()
    plain = draw_boundary(run, frame=frame)
    assert run.painter.last_radii is None
    sized = draw_boundary(run, frame=frame, pull=True)
    radii = run.painter.last_radii
    np.testing.assert_allclose(radii, run.painter.pull_radii(pulled))
    assert np.median(radii[flipped]) > 2 * np.median(radii[~flipped])
    assert radii.min() >= PULL_RADII[0] and radii.max() <= PULL_RADII[1]
    # pulling harder than cross-entropy ever can (> 1): bigger than the usual dot
    assert np.median(radii[flipped]) > 1.2 * run.painter.r
    assert np.asarray(sized).shape == np.asarray(plain).shape
    assert (np.asarray(sized) != np.asarray(plain)).any()
    # the same weights under other losses: cross-entropy's |p - y| <= 1 gives the flipped points
    # less (a share of 0.29), GCE's σ(m)^q fades them further (0.20)
    ce = trainer_pull_with_loss(t, "cross_entropy")
    gce = trainer_pull_with_loss(t, "gce")
    assert shares(gce)[flipped].sum() < shares(ce)[flipped].sum() < shares(pulled)[flipped].sum() - 0.1
    # drawn on the same scale, cross-entropy's discs are never bigger than the usual dot
    assert run.painter.pull_radii(ce).max() <= run.painter.r + 1e-9
    assert (ce[flipped] < pulled[flipped]).mean() > 0.9


def trainer_pull_with_loss(trainer, loss):
    trainer.configure(loss=loss)
    return trainer_pull(trainer)


def test_radii_scale_with_the_frame():
    run = exp_pull_run(20)
    draw_boundary(run, frame=PlotBox(), pull=True)
    r1 = run.painter.last_radii
    draw_boundary(run, frame=PlotBox().scaled(2), pull=True)
    np.testing.assert_allclose(run.painter.last_radii, 2 * r1)


def shown_pull_radii(at):
    """The train points' radii the 2D page's live canvas is drawing (None: sizes not by pull)."""
    import json
    from core.pictures.frame_data import RADIUS_UNITS, unb64
    (frame,) = [p["frame"] for el in live_canvases(at) for p in json.loads(el.proto.json)["panels"]
                if p["id"] == "boundary-live"]
    return None if frame["pull"] is None else unb64(frame["pull"], np.uint8) / RADIUS_UNITS


def test_pull_lesson_opens_with_the_pull_on_and_bigger_flipped_points():
    at = open_lesson_in_apptest(APP, "exp_pull")
    assert not at.exception
    assert at.checkbox(key="p2d.pull").value is True
    for _ in range(3):
        at.button(key="p2d.step10_button").click().run()
    run = at.session_state["p2d.run"]
    assert run.trainer.steps == 30
    radii = shown_pull_radii(at)  # the live canvas's data: each train point's radius
    flipped = run.trainer.data.flipped.numpy()
    assert radii is not None and np.median(radii[flipped]) > np.median(radii[~flipped])
    legend = STRINGS["pull.legend"]["en"]
    assert legend in [c.value for c in at.caption]  # what a disc's area means, beside the picture
    at.checkbox(key="p2d.pull").uncheck().run()
    assert shown_pull_radii(at) is None
    assert legend not in [c.value for c in at.caption]
    # a lesson that is not about the pull opens the page with it off
    other = open_lesson_in_apptest(APP, "lr_too_high")
    assert other.checkbox(key="p2d.pull").value is False


def test_the_exp_vs_logistic_banner_opens_the_pull_lesson():
    from core.i18n import STRINGS
    at = open_lesson_in_apptest(APP, "exp_vs_logistic")  # the Compare page
    button = at.button(key="lesson.compare.next")
    assert STRINGS["preset.exp_pull.title"]["en"] in button.label
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lesson"]["key"] == "exp_pull"
    assert any(STRINGS["preset.exp_pull.title"]["en"] in m.value for m in at.markdown)  # its banner
    assert at.checkbox(key="p2d.pull").value is True
    assert at.session_state["p2d.run"].config.loss == "exponential"
    # other lessons offer no follow-up
    assert not [b for b in open_lesson_in_apptest(APP, "mse_vs_ce").button if b.key == "lesson.compare.next"]
