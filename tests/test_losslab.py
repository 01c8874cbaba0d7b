"""Loss lab sections 1-2 (core/lessons/losslab.py, core/lessons/losslab_config.py): the curves are the registry's
numbers, the pulls are autograd's, GCE's weight is p_y^q, proper scoring minimisers sit where the
theory says."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from core.learning.losses import LOSSES, compute_loss
from core.lessons.losslab import (SCORE_STEP, ZERO_ONE, brier_decomposition, expected_loss, margin_rows, multiclass_rows,
                          score_grid, scoring_curves)
from core.lessons.losslab_config import BINARY_LOSSES, LossLabConfig, parse_loss_list

# Non-default parameters: the lab must pass them through to the registry.
PARAMS = {"label_smoothing": {"eps": 0.3}, "huber": {"delta": 0.2}, "gce": {"q": 0.4}, "focal": {"gamma": 3.0}}


def rows_of(rows, loss):
    return [r for r in rows if r["loss"] == loss]


def test_binary_losses_are_the_registry_ones_with_a_binary_form():
    assert BINARY_LOSSES == tuple(k for k, s in LOSSES.items() if s.binary is not None)
    assert {"cross_entropy", "hinge", "exponential", "gce", "mae", "brier"} <= set(BINARY_LOSSES)


@pytest.mark.parametrize("loss", BINARY_LOSSES)
def test_margin_curve_is_the_registry_loss_and_its_autograd_pull(loss):
    rows = rows_of(margin_rows([loss], PARAMS, -4.0, 4.0, n=41), loss)
    assert [r["m"] for r in rows] == pytest.approx(np.linspace(-4, 4, 41))
    for r in rows[::5]:
        z = torch.tensor([r["m"]], dtype=torch.float64, requires_grad=True)  # label 1: z = m
        value = compute_loss(loss, z, torch.tensor([1.0], dtype=torch.float64), **PARAMS.get(loss, {}))
        value.backward()
        assert r["loss_value"] == pytest.approx(value.item(), rel=1e-12, abs=1e-12)
        assert r["pull"] == pytest.approx(-z.grad.item(), rel=1e-10, abs=1e-12)
        # and the registry's closed-form gradient (the live trainer's) agrees
        closed = LOSSES[loss].numpy_grad_binary(np.array([r["m"]]), np.array([1.0]), **PARAMS.get(loss, {}))
        assert r["pull"] == pytest.approx(-closed[0], rel=1e-6, abs=1e-9)


def test_pulls_by_hand():
    rows = margin_rows(["cross_entropy", "hinge", "exponential", "mae"], {}, -4.0, 4.0, n=17)  # step 0.5
    ce, hinge, exp, mae = (rows_of(rows, k) for k in ("cross_entropy", "hinge", "exponential", "mae"))
    for r in ce:  # log(1 + e^-m): pull σ(-m)
        assert r["loss_value"] == pytest.approx(math.log1p(math.exp(-r["m"])))
        assert r["pull"] == pytest.approx(1 / (1 + math.exp(r["m"])))
    for r in hinge:  # max(0, 1 - m): pull 1 below m = 1, 0 above
        assert r["loss_value"] == pytest.approx(max(0.0, 1 - r["m"]))
        if r["m"] != 1.0:
            assert r["pull"] == (1.0 if r["m"] < 1 else 0.0)
    for r in exp:  # e^-m and its pull e^-m
        assert r["loss_value"] == pytest.approx(math.exp(-r["m"])) and r["pull"] == pytest.approx(math.exp(-r["m"]))
    for r in mae:  # σ(-m); pull σ(m)σ(-m)
        s = 1 / (1 + math.exp(r["m"]))
        assert r["loss_value"] == pytest.approx(s) and r["pull"] == pytest.approx(s * (1 - s))
    assert ce[0]["pull"] == pytest.approx(0.982, abs=1e-3)  # saturating towards 1 at m = -4
    assert exp[0]["pull"] == pytest.approx(math.e**4)


def test_zero_one_loss_is_drawn_for_reference():
    zero_one = rows_of(margin_rows(["hinge"], {}, -2.0, 2.0, n=5), ZERO_ONE)
    assert [(r["m"], r["loss_value"]) for r in zero_one] == [(-2, 1), (-1, 1), (0, 1), (1, 0), (2, 0)]


@pytest.mark.parametrize("classes", [3, 10])
@pytest.mark.parametrize("q", [0.05, 0.4, 0.7, 1.0])
def test_gce_gradient_weight_is_p_y_to_the_q(classes, q):
    rows = multiclass_rows(["gce"], {"gce": {"q": q}}, classes)
    p_y = np.array([r["p_y"] for r in rows])
    assert p_y[0] == pytest.approx(0.005) and p_y[-1] == pytest.approx(0.995)
    assert [r["weight"] for r in rows] == pytest.approx(p_y**q, rel=1e-9)
    assert [r["loss_value"] for r in rows] == pytest.approx((1 - p_y**q) / q, rel=1e-9)


@pytest.mark.parametrize("classes", [3, 10])
def test_multiclass_curves_by_hand(classes):
    rows = multiclass_rows(["cross_entropy", "mae", "brier"], {}, classes, n=19)
    p_y = np.arange(1, 20) / 20
    ce, mae, brier = (rows_of(rows, k) for k in ("cross_entropy", "mae", "brier"))
    assert [r["loss_value"] for r in ce] == pytest.approx(-np.log(p_y))
    assert [r["weight"] for r in ce] == pytest.approx(np.ones(19))
    assert [r["loss_value"] for r in mae] == pytest.approx(2 * (1 - p_y))  # Σ_k |p_k - y_k|
    assert [r["weight"] for r in mae] == pytest.approx(2 * p_y)
    rest = (1 - p_y) / (classes - 1)
    assert [r["loss_value"] for r in brier] == pytest.approx((1 - p_y) ** 2 + (classes - 1) * rest**2)


def test_multiclass_values_are_the_registry_ones():
    rows = rows_of(multiclass_rows(["focal"], {"focal": {"gamma": 3.0}}, 3, n=9), "focal")
    for r in rows:
        p = torch.tensor([[r["p_y"], (1 - r["p_y"]) / 2, (1 - r["p_y"]) / 2]], dtype=torch.float64)
        assert r["loss_value"] == pytest.approx(compute_loss("focal", p.log(), torch.tensor([0]), gamma=3.0).item())


def test_score_grid_leaves_out_the_ends():
    q = score_grid()
    assert q[0] == pytest.approx(SCORE_STEP) and q[-1] == pytest.approx(1 - SCORE_STEP) and len(q) == 199


@pytest.mark.parametrize("p", [0.03, 0.2, 0.37, 0.5, 0.7, 0.91])
def test_cross_entropy_and_brier_are_minimised_at_q_equals_p(p):
    curves = {c.loss: c for c in scoring_curves(p)}
    assert abs(curves["cross_entropy"].minimiser - p) <= SCORE_STEP
    assert abs(curves["brier"].minimiser - p) <= SCORE_STEP
    # the minimum values by hand: the entropy of p, and p(1 - p)
    assert curves["cross_entropy"].minimum == pytest.approx(-(p * math.log(p) + (1 - p) * math.log(1 - p)), abs=1e-4)
    assert curves["brier"].minimum == pytest.approx(p * (1 - p), abs=1e-4)


@pytest.mark.parametrize("p, end", [(0.2, SCORE_STEP), (0.45, SCORE_STEP),
                                    (0.55, 1 - SCORE_STEP), (0.9, 1 - SCORE_STEP)])
def test_mae_is_minimised_at_an_end(p, end):
    (mae,) = scoring_curves(p, losses=("mae",))
    assert mae.minimiser == pytest.approx(end)
    assert mae.expected == pytest.approx(p * (1 - mae.q) + (1 - p) * mae.q)  # linear in q


def test_expected_loss_uses_the_registry_binary_forms():
    q = np.array([0.1, 0.5, 0.8])
    for loss in ("cross_entropy", "brier", "mae", "gce"):
        z = torch.tensor(np.log(q / (1 - q)))
        want = [0.3 * compute_loss(loss, z[i:i + 1], torch.tensor([1.0])).item()
                + 0.7 * compute_loss(loss, z[i:i + 1], torch.tensor([0.0])).item() for i in range(3)]
        assert expected_loss(loss, 0.3, q) == pytest.approx(want, rel=1e-9)
    # the registry's binary Brier is (q - y)², its MAE |q - y|
    assert expected_loss("brier", 0.3, q) == pytest.approx(0.3 * (1 - q) ** 2 + 0.7 * q**2)


def test_brier_decomposition():
    d = brier_decomposition(0.7, 0.5)
    assert (d.calibration, d.uncertainty) == pytest.approx((0.04, 0.21))
    assert d.expected == pytest.approx(0.25)
    for p, q in [(0.1, 0.9), (0.33, 0.34), (0.5, 0.5)]:
        d = brier_decomposition(p, q)
        assert d.expected == pytest.approx(d.calibration + d.uncertainty)


# ---- the config ----------------------------------------------------------------------------------


def test_config_round_trips_and_reads_ranges_from_the_registry():
    import dataclasses
    from core.runs.config import field_schema
    c = LossLabConfig(losses="mae,focal", margin_low=-6.5, gamma=3.5, classes=10, score_p=0.31, score_q=0.02,
                      score_losses="gce,brier")
    back, warnings = LossLabConfig.from_query(c.to_query())
    assert back == c and warnings == []
    for loss in LOSSES.values():
        for p in loss.params:
            m = field_schema(LossLabConfig, p.name)
            assert (m["low"], m["high"], m["step"]) == (p.low, p.high, p.step)
            assert getattr(LossLabConfig(), p.name) == p.default
    assert c.params_of("focal") == {"gamma": 3.5} and c.params_of("hinge") == {}
    assert [f.name for f in dataclasses.fields(LossLabConfig)][:2] == ["losses", "margin_low"]


def test_config_bad_link_values_fall_back_with_warnings():
    c, warnings = LossLabConfig.from_query({"losses": "hinge,nope,hinge", "classes": "5", "q": "7", "score_p": "x",
                                            "score_losses": "mae,<b>"})
    assert c.losses == "hinge" and c.classes == 3 and c.q == 0.7 and c.score_p == 0.7 and c.score_losses == "mae"
    assert sorted(w.fields["key"] for w in warnings) == ["classes", "losses", "q", "score_losses", "score_p"]
    assert parse_loss_list(" gce, mae ,gce,,x") == (["gce", "mae"], ["x"])


@pytest.mark.parametrize("p", [0.3, 0.7, 0.85])
def test_other_losses_minimisers_by_hand(p):
    """Label smoothing is minimised at its soft target p(1 - ε) + ε/2, GCE at odds (p/(1-p))^(1/(1-q)):
    neither honest; the hinge at z = ±1, i.e. q = σ(±1)."""
    curves = {c.loss: c for c in scoring_curves(p, ("label_smoothing", "gce", "hinge", "brier"),
                                                params={"label_smoothing": {"eps": 0.2}, "gce": {"q": 0.5}})}
    assert abs(curves["label_smoothing"].minimiser - (p * 0.8 + 0.1)) <= SCORE_STEP
    odds = (p / (1 - p)) ** (1 / 0.5)
    assert abs(curves["gce"].minimiser - odds / (1 + odds)) <= SCORE_STEP
    sigma_1 = 1 / (1 + math.exp(-1))
    assert abs(curves["hinge"].minimiser - (sigma_1 if p > 0.5 else 1 - sigma_1)) <= SCORE_STEP
    assert curves["brier"].honest(p)
    assert not curves["label_smoothing"].honest(p) and not curves["gce"].honest(p) and not curves["hinge"].honest(p)


def test_every_binary_loss_has_its_asymptotics_in_both_languages():
    from core.i18n import LANGUAGES, STRINGS
    for key in BINARY_LOSSES:
        entry = STRINGS[f"lab.margin.asym.{key}"]
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_every_setting_belongs_to_exactly_one_tab():
    """The page keeps a closed tab's settings by this table: a field missing from it would be lost."""
    from core.lessons.losslab_config import SECTION_FIELDS, SECTIONS
    owned = [f for s in SECTIONS for f in SECTION_FIELDS[s]]
    fields = [f.name for f in dataclasses.fields(LossLabConfig) if f.name != "section"]
    assert sorted(owned) == sorted(fields) and len(set(owned)) == len(owned)
