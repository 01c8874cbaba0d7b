"""One logistic-regression step explained (core/lessons/step_explained.py): the batch it shows is the batch the
trainer uses, p − y and ∇J are hand formulas of it, and plain SGD moves exactly by −α·∇J."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.runs.config import Playground2DConfig
from core.learning.models import linear_boundary
from core.runs.playground import build_run
from core.runs import advance
from core.lessons.step_explained import explain_step, peek_batch


def logistic(**kw):
    settings = dict(model="logistic", dataset="blobs", optimizer="sgd", lr=0.5, batch_size=8) | kw
    return build_run(Playground2DConfig(**settings))


def test_peeking_does_not_move_the_batcher():
    b = logistic().trainer.batcher
    first = peek_batch(b)
    np.testing.assert_array_equal(peek_batch(b), first)
    np.testing.assert_array_equal(b.next_indices(), first)


@pytest.mark.parametrize("dataset", ["blobs", "exam"])  # exam: inputs standardised inside the model
def test_plain_sgd_moves_by_minus_alpha_times_the_mean_of_p_minus_y_times_x(dataset):
    run = logistic(dataset=dataset)
    t = run.trainer
    advance(run, 3, seconds=None)
    e = explain_step(t)
    assert e.step == 4 and e.plain and len(e.rows) == 8
    # p − y per sample: cross-entropy's ∂ℓ/∂z, by hand from the logits
    np.testing.assert_allclose(e.dz, e.p - e.y, atol=1e-6)
    np.testing.assert_allclose(e.grad_w, ((e.p - e.y)[:, None] * e.Xs).mean(0), atol=1e-6)
    assert e.grad_b == pytest.approx(float((e.p - e.y).mean()), abs=1e-6)
    # the rows are the training set's, as the model sees them
    with torch.no_grad():
        Xs = t.model.standardize(t.data.X_train[torch.from_numpy(e.rows)]).double().numpy()
    np.testing.assert_allclose(e.Xs, Xs, atol=1e-6)
    np.testing.assert_array_equal(e.y, t.data.y_given[torch.from_numpy(e.rows)].numpy())
    # the step taken is the textbook step
    np.testing.assert_allclose(e.w_new, e.predicted, rtol=1e-5, atol=1e-6)
    assert e.b_new == pytest.approx(e.b_old - e.lr * e.grad_b, abs=1e-6)
    w, b = linear_boundary(t.model)  # the line drawn after the step, in the data's units
    np.testing.assert_allclose(e.line_new[0], w.double().numpy())
    assert e.line_new[1] == pytest.approx(b) and not np.allclose(e.line_old[0], e.line_new[0])


def test_l2_weight_decay_adds_lambda_w_and_adam_does_not_take_the_textbook_step():
    run = logistic(weight_decay=0.1, wd_mode="l2")
    e = explain_step(run.trainer)
    np.testing.assert_allclose(e.decay, 0.1 * e.w_old)
    np.testing.assert_allclose(e.w_new, e.w_old - e.lr * (e.grad_w + 0.1 * e.w_old), rtol=1e-5, atol=1e-6)
    run = logistic(optimizer="adam", lr=0.1)
    e = explain_step(run.trainer)
    assert not e.plain
    # Adam's first step moves each weight by about lr, whatever the gradient's size
    np.testing.assert_allclose(np.abs(e.w_new - e.w_old), 0.1, rtol=1e-3)
    assert not np.allclose(e.w_new, e.predicted, rtol=1e-3)


def test_the_step_across_an_epoch_end_uses_the_new_permutation_it_showed():
    run = logistic(batch_size=64)
    t = run.trainer
    while t.steps == 0 or t.batcher.cursor < t.data.n_train:  # to the end of the first epoch
        t.step(1)
    assert t.batcher.epochs_done == 0
    e = explain_step(t)  # its batch comes from the next epoch's permutation, drawn by the peek
    assert t.batcher.epochs_done == 1 and len(e.rows) == 64
    np.testing.assert_allclose(e.w_new, e.predicted, rtol=1e-5, atol=1e-6)


def test_hinge_loss_shows_its_own_derivative_and_other_models_are_not_stepped():
    run = logistic(loss="hinge")
    e = explain_step(run.trainer)
    margin = (2 * e.y - 1) * e.z
    np.testing.assert_allclose(e.dz, np.where(margin < 1, -(2 * e.y - 1), 0.0), atol=1e-6)
    np.testing.assert_allclose(e.w_new, e.predicted, rtol=1e-5, atol=1e-6)
    mlp = build_run(Playground2DConfig(model="mlp", dataset="moons"))
    assert explain_step(mlp.trainer) is None and mlp.trainer.steps == 0


def test_without_bias_only_the_weights_move_and_the_step_is_still_the_textbook_one():
    run = logistic(bias=False)
    e = explain_step(run.trainer)
    assert not e.has_bias and e.grad_b == 0.0 and e.b_old == e.b_new == 0.0
    np.testing.assert_allclose(e.w_new, e.predicted, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(e.grad_w, ((e.p - e.y)[:, None] * e.Xs).mean(0), atol=1e-6)
