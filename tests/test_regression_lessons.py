"""The Regression page's lessons in core/lessons/regression_lessons.py: "Why square?" (error summaries, gradient descent
of a constant under MSE and MAE) and the inventory lesson (the cost L(θ), its slope, the quantile)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.data.data1d import DEMAND_Q80, make_regression_data
from core.pictures.frame_data import Layout, unb64
from core.runs.regression_config import RegressionConfig
from core.lessons.regression_lessons import (DESCENT_LR, DESCENT_STEPS, DESCENT_TARGETS, EXAMPLES, INVENTORY, chatter,
                                     descent_paths, error_summaries, inventory_costs, inventory_frame,
                                     inventory_info, inventory_minimiser, is_inventory_run, lesson_costs, run_theta)
from core.runs.regression_run import build_regression_run
from core.runs import advance

# ---------------------------------------------------------------- why square?


def test_opposite_errors_cancel_in_the_plain_mean_but_not_in_mse_or_mae():
    s = error_summaries([5, -5])
    assert (s.mean_error, s.mse, s.mae) == (0.0, 25.0, 5.0)
    assert s.mse_share == s.mae_share == (0.5, 0.5)


def test_mse_gives_the_one_large_error_most_of_the_total():
    even, one_big = error_summaries([2, 2, 2, 2, 2]), error_summaries([1, 1, 1, 1, 6])
    assert even.mae == one_big.mae == 2.0  # MAE cannot tell them apart ...
    assert (even.mse, one_big.mse) == (4.0, 8.0)  # ... MSE doubles: (4·1 + 36)/5
    assert one_big.mse_share[-1] == pytest.approx(36 / 40)  # the 6 holds 90% of MSE
    assert one_big.mae_share[-1] == pytest.approx(6 / 10)  # and 60% of MAE
    assert even.mse_share == even.mae_share == (0.2,) * 5
    assert sum(one_big.mse_share) == pytest.approx(1.0)


def test_error_summaries_edge_cases_and_the_examples():
    zero = error_summaries([0.0, 0.0])
    assert zero.mse == zero.mae == 0.0 and zero.mse_share == zero.mae_share == (0.0, 0.0)
    for bad in ([], [1.0, float("nan")]):
        with pytest.raises(ValueError):
            error_summaries(bad)
    assert [e.key for e in EXAMPLES] == ["cancel", "even", "one_big"]
    assert error_summaries(EXAMPLES[0].errors).mean_error == 0.0


def test_mse_descent_is_monotone_and_follows_the_closed_form():
    y, lr, theta0 = np.array(DESCENT_TARGETS), 0.1, -2.0
    path = descent_paths(y, lr, 60, losses=("mse",), theta0=theta0)["mse"]
    mean = y.mean()  # 4
    t = np.arange(61)
    np.testing.assert_allclose(path - mean, (1 - 2 * lr) ** t * (theta0 - mean), atol=1e-12)
    assert (np.diff(path) > 0).all()  # approaches the mean from below without overshooting
    assert path[-1] == pytest.approx(4.0, abs=1e-4)
    # hand-checked: θ1 = −2 − 0.1·2·(−2 − 4) = −0.8
    assert path[1] == pytest.approx(-0.8)


def test_mae_descent_climbs_at_constant_speed_then_chatters_around_the_median():
    paths = descent_paths(DESCENT_TARGETS, DESCENT_LR, DESCENT_STEPS)
    mae, mse = paths["mae"], paths["mse"]
    assert len(mae) == len(mse) == DESCENT_STEPS + 1
    # all five targets above θ: dL/dθ = mean(sign(θ − y)) = −1, θ climbs lr = 0.2 a step
    np.testing.assert_allclose(mae[:6], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], atol=1e-12)
    # at θ = 1 (the target 1 has sign 0): −4/5; then −(3 − 1)/5 = −0.6 between 1 and 3: steps of 0.12
    assert mae[6] == pytest.approx(1.16)
    assert mae[7] - mae[6] == pytest.approx(0.12)
    tail = mae[-20:]
    assert len(set(tail.round(9))) >= 2  # it never settles
    median = 3.0
    assert np.abs(tail - median).max() <= 0.6 * DESCENT_LR + 1e-9  # |gradient| near the median is 3/5
    np.testing.assert_allclose(sorted(set(tail.round(9))), [2.96, 3.08])
    assert chatter(mae) == pytest.approx(0.12)
    assert chatter(mse) <= 4 * 0.6**30 and mse[-1] == pytest.approx(4.0)  # MSE: the mean, settling


def test_descent_paths_takes_other_losses_and_checks_its_input():
    huber = descent_paths([0.0], 0.5, 3, losses=("huber",), theta0=4.0, delta=1.0)["huber"]
    np.testing.assert_allclose(huber, [4.0, 3.5, 3.0, 2.5])  # the gradient is clipped at δ = 1
    with pytest.raises(ValueError):
        descent_paths([1.0], 0.0, 3)
    with pytest.raises(ValueError):
        descent_paths([], 0.1, 3)


# ---------------------------------------------------------------- the inventory lesson

HAND = np.array([12.0, 6.0, 20.0, 9.0, 10.0])  # sorted: 6, 9, 10, 12, 20


def test_inventory_costs_by_hand():
    cost, slope = inventory_costs(HAND, 4.0, 1.0, [10.0, 12.0, 20.0, 5.0, 25.0])
    # L(10): short 2 + 10 = 12 units × 4 = 48; over 4 + 1 = 5 units × 1; / 5
    np.testing.assert_allclose(cost, [53 / 5, 43 / 5, 43 / 5, 4 * (HAND - 5).sum() / 5, (25 - HAND).sum() / 5])
    # slope = b·share(d ≤ θ) − a·share(d > θ)
    np.testing.assert_allclose(slope, [1 * 3 / 5 - 4 * 2 / 5, 4 / 5 - 4 / 5, 1.0, -4.0, 1.0])


def test_the_minimiser_is_where_the_slope_turns_and_the_cost_is_lowest():
    theta = inventory_minimiser(HAND, 4.0, 1.0)
    assert theta == 12.0  # τ = 0.8, 0.8·5 = 4: the 4th smallest
    _, (before, at) = inventory_costs(HAND, 4.0, 1.0, [np.nextafter(12.0, 0), 12.0])
    assert before < 0 <= at
    grid = np.linspace(0, 30, 30001)
    cost, _ = inventory_costs(HAND, 4.0, 1.0, grid)
    best, = inventory_costs(HAND, 4.0, 1.0, [theta])[0]
    assert best <= cost.min() + 1e-12  # here L is flat from 12 to 20 (slope 0): 12 is its left end


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [6, 7, 40])
@pytest.mark.parametrize("a,b", [(4.0, 1.0), (1.0, 1.0), (1.0, 3.0), (2.5, 0.7)])
def test_the_minimiser_is_the_inverse_cdf_quantile_and_a_minimiser(seed, n, a, b):
    d = np.random.default_rng(seed).lognormal(2.0, 0.5, n).round(1)  # ties possible
    theta, tau = inventory_minimiser(d, a, b), a / (a + b)
    assert theta == np.quantile(d, tau, method="inverted_cdf")
    s, pos = np.sort(d), tau * (n - 1)  # np.quantile's default interpolates between these two
    assert s[int(np.floor(pos))] <= theta <= s[int(np.ceil(pos))]
    assert theta in d
    grid = np.concatenate([np.linspace(d.min() - 1, d.max() + 1, 4001), d])
    cost, _ = inventory_costs(d, a, b, grid)
    assert inventory_costs(d, a, b, [theta])[0][0] <= cost.min() + 1e-9


def test_a_slope_that_is_zero_only_up_to_rounding_counts_as_zero():
    d = np.arange(1.0, 11.0)  # τ = 0.3, n = 10: at 3 the slope is (0.7·3 − 0.3·7)/10 = 0, though not in floats
    assert inventory_minimiser(d, 0.3, 0.7) == 3.0 == np.quantile(d, 0.3, method="inverted_cdf")


def test_equal_costs_give_the_median():
    assert inventory_minimiser([5.0, 1.0, 3.0, 9.0, 4.0], 1.0, 1.0) == 4.0
    assert inventory_minimiser([1.0, 2.0, 3.0, 4.0], 1.0, 1.0) == 2.0  # even n: the lower middle (L flat to 3)


def test_demand_data_with_costs_4_and_1_gives_about_the_0_8_quantile():
    d = make_regression_data("demand", n=2000, seed=0)
    y = d.y_train.numpy()
    theta = inventory_minimiser(y, 4.0, 1.0)
    assert theta == pytest.approx(np.quantile(y, 0.8), abs=0.05)
    assert theta == pytest.approx(DEMAND_Q80, abs=0.6)  # the population's 0.8 quantile; ~3 standard errors


def test_inventory_minimiser_refuses_bad_costs():
    with pytest.raises(ValueError):
        inventory_minimiser(HAND, 0.0, 0.0)
    with pytest.raises(ValueError):
        inventory_costs(HAND, -1.0, 1.0, [1.0])


def test_lesson_costs_from_the_runs_loss():
    assert lesson_costs("asymmetric", {"a": 3.0, "b": 2.0}) == (3.0, 2.0, True)
    a, b, own = lesson_costs("pinball", {"tau": 0.3})
    assert (a, b, own) == pytest.approx((0.3, 0.7, True)) and a / (a + b) == pytest.approx(0.3)
    assert lesson_costs("mse", {}) == (4.0, 1.0, False)


def inventory_run(loss="asymmetric", **params):
    config = RegressionConfig(dataset="demand", n_samples=200, model="constant", loss=loss, optimizer="sgd",
                              lr=0.05, batch_size=2000, loss_params=tuple(params.items()))
    return build_regression_run(config)


def decode_xy(s: str) -> np.ndarray:
    return unb64(s, "<i2").reshape(-1, 2) / 16.0


def test_inventory_frame_draws_the_cost_the_quantile_and_the_runs_theta():
    run = inventory_run(a=4.0, b=1.0)
    assert is_inventory_run(run)
    advance(run, 3000)
    y = run.trainer.data.y_given.numpy().astype(np.float64)
    f = inventory_frame(run, 4.0, 1.0)
    info = f["info"]
    assert f["kind"] == "plot" and (f["w"], f["h"]) == (460, 220)
    assert info["quantile"] == np.quantile(y, 0.8, method="inverted_cdf") and info["tau"] == 0.8
    assert info["theta"] == run_theta(run)
    assert info["theta"] == pytest.approx(info["quantile"], abs=0.25)  # trained: one step of 0.05·4 or so
    cost, slope = inventory_costs(y, 4.0, 1.0, [info["theta"], info["quantile"]])
    assert (info["cost_theta"], info["cost_quantile"], info["slope_theta"]) == (cost[0], cost[1], slope[0])
    assert info["cost_quantile"] <= info["cost_theta"] + 1e-12
    layout = Layout(info["bounds"], INVENTORY)
    # the curve: L(θ) at its points, to the 1/16 pixel the frame sends
    px = decode_xy(f["curves"][0]["xy"])
    data = np.stack([info["bounds"][0] + (px[:, 0] - INVENTORY.left) / layout.sx,
                     info["bounds"][3] - (px[:, 1] - INVENTORY.top) / layout.sy], 1)
    want, _ = inventory_costs(y, 4.0, 1.0, data[:, 0])
    np.testing.assert_allclose(data[:, 1], want, atol=(1 / layout.sy + 4 / layout.sx) / 8)  # 1/16 px, slope ≤ 4
    # the line stands at the quantile, the marker sits on the curve at θ
    x0, _, x1, _ = f["lines"][0]
    q_px = layout.to_px([[info["quantile"], 0.0]])[0]
    assert x0 == x1 == pytest.approx(q_px[0], abs=0.01)
    np.testing.assert_allclose(f["marker"], layout.to_px([[info["theta"], info["cost_theta"]]])[0], atol=0.01)


def test_inventory_frame_at_the_start_and_for_other_models():
    run = inventory_run("mse")
    f = inventory_frame(run, 4.0, 1.0)
    assert f["info"]["theta"] == 0.0 and f["step"] == 0
    assert f["info"]["bounds"][0] < 0.0  # the window holds θ = 0 as well as the demand
    assert f["info"]["slope_theta"] == -4.0  # all the demand lies above θ = 0: −a
    other = build_regression_run(RegressionConfig(dataset="demand", model="linear"))
    assert inventory_frame(other, 4.0, 1.0) is None and not is_inventory_run(other)


@pytest.mark.parametrize("where,advice", [("zero", "raise"), ("top", "lower"), ("quantile", "hold"),
                                          ("mean", "raise")])
def test_inventory_info_tells_which_way_to_move_the_stock(where, advice):
    run = inventory_run(a=4.0, b=1.0)
    y = run.trainer.data.y_given.numpy().astype(np.float64)
    q = inventory_minimiser(y, 4.0, 1.0)
    theta = {"zero": 0.0, "top": float(y.max()) + 1.0, "quantile": q, "mean": float(y.mean())}[where]
    with torch.no_grad():
        run.trainer.model.net.theta.fill_(theta)
    theta = run_theta(run)  # float32
    info = inventory_info(run, 4.0, 1.0)
    assert info["advice"] == advice and info["quantile"] == q
    n, above, at_or_below = len(y), int((y > theta).sum()), int((y <= theta).sum())
    assert (info["above"], info["at_or_below"], info["points"]) == (above, at_or_below, n)
    assert info["slope_theta"] == pytest.approx((1.0 * at_or_below - 4.0 * above) / n)
    if advice == "raise":  # more points above θ than b/a = 1/4 times those at or below
        assert above > at_or_below / 4
    if where == "quantile":  # the kink: L falls into θ* from the left, and does not fall after it
        assert info["slope_left"] < 0 <= info["slope_theta"]
