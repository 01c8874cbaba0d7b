"""Fisher consistency (core/lessons/fisher.py): the minimiser of Σ_i p_i ℓ(f, i) against closed forms."""
import math

import numpy as np
import pytest
import torch

from core.lessons.fisher import FISHER_LOSSES, PRESET_P, conditional_risk, minimise, minimise_all, normalised, risk_gradient
from core.i18n import UserFacingError


def centred(values):
    values = np.asarray(values, dtype=float)
    return values - values.mean()


def test_one_vs_all_hinge_ties_all_three_at_the_preset():
    result = minimise("ova_hinge", PRESET_P)
    np.testing.assert_allclose(result.f, (-1.0, -1.0, -1.0), atol=1e-3)
    assert result.top_f == (0, 1, 2) and result.top_p == (0,)
    assert result.verdict == "tie"
    # per class: p·max(0, 1 − f) + (1 − p)·max(0, 1 + f) is 2p at f = −1, so the risk is 2·Σp = 2
    assert result.risk == pytest.approx(2.0, abs=1e-3)


@pytest.mark.parametrize("p", [PRESET_P, (0.6, 0.3, 0.1), (0.2, 0.5, 0.3), (0.1, 0.15, 0.75)])
def test_cross_entropy_minimiser_is_log_p_up_to_a_constant(p):
    result = minimise("cross_entropy", p)
    np.testing.assert_allclose(centred(result.f), centred(np.log(p)), atol=1e-6)
    assert result.verdict == "bayes"
    entropy = -sum(q * math.log(q) for q in p)  # the smallest expected cross-entropy
    assert result.risk == pytest.approx(entropy, abs=1e-9)


def test_brier_minimiser_gives_softmax_equal_to_p():
    p = (0.5, 0.2, 0.3)
    result = minimise("brier", p)
    np.testing.assert_allclose(torch.softmax(torch.tensor(result.f), 0).numpy(), p, atol=1e-4)
    assert result.risk == pytest.approx(1 - sum(q * q for q in p), abs=1e-6)  # Σ p_i (1 − p_i)


def test_weston_watkins_ties_top_class_with_a_less_likely_one():
    # risk·3 at (1/3, 1/3, −2/3) is 0.4 + 0.35 + 4·0.25 = 1.75, below 1.8 at (2/3, −1/3, −1/3)
    result = minimise("hinge", (0.4, 0.35, 0.25))
    np.testing.assert_allclose(centred(result.f), (1 / 3, 1 / 3, -2 / 3), atol=1e-3)
    assert result.risk == pytest.approx(1.75 / 3, abs=1e-3)
    assert result.verdict == "tie"
    majority = minimise("hinge", (0.6, 0.3, 0.1))
    np.testing.assert_allclose(centred(majority.f), (1.0, 0.0, -1.0), atol=1e-3)
    assert majority.verdict == "bayes"


def test_one_vs_all_hinge_with_a_majority_class_is_right():
    result = minimise("ova_hinge", (0.6, 0.3, 0.1))
    np.testing.assert_allclose(result.f, (1.0, -1.0, -1.0), atol=1e-3)
    assert result.verdict == "bayes"


def test_risk_gradient_is_autograd_of_the_conditional_risk():
    p = np.array([0.5, 0.2, 0.3])
    f = np.array([0.3, -1.7, 0.45])  # away from every hinge kink
    for loss in FISHER_LOSSES:
        ft = torch.tensor(f, requires_grad=True)
        (expected,) = torch.autograd.grad(conditional_risk(loss, ft, torch.tensor(p)), ft)
        np.testing.assert_allclose(risk_gradient(loss, f, p), expected.numpy(), atol=1e-12, err_msg=loss)


def test_minimiser_beats_nearby_scores():
    p = (0.45, 0.35, 0.2)
    pt = torch.tensor(p, dtype=torch.float64)
    rng = np.random.default_rng(0)
    for result in minimise_all(p):
        for _ in range(50):
            nearby = torch.tensor(np.array(result.f) + rng.normal(scale=0.05, size=3))
            assert conditional_risk(result.loss, nearby, pt).item() >= result.risk - 1e-3, result.loss


def test_deterministic():
    assert minimise_all((0.3, 0.3, 0.4)) == minimise_all((0.3, 0.3, 0.4))


def test_normalised_divides_by_the_sum_and_refuses_bad_input():
    assert normalised((0.4, 0.3, 0.3)) == pytest.approx((0.4, 0.3, 0.3))
    assert normalised((2, 1, 1)) == pytest.approx((0.5, 0.25, 0.25))
    with pytest.raises(UserFacingError) as err:
        normalised((0, 0, 0))
    assert err.value.code == "err.lab.fisher_zero"
    for bad in [(0.5, -0.1, 0.6), (0.5, float("nan"), 0.5), ("a", 1, 1), (1, 1)]:
        with pytest.raises(UserFacingError) as err:
            normalised(bad)
        assert err.value.code == "err.lab.fisher_numbers"


def test_minimise_wants_probabilities():
    with pytest.raises(ValueError):
        minimise("cross_entropy", (0.5, 0.5, 0.5))
    with pytest.raises(ValueError):
        minimise("focal", PRESET_P)
