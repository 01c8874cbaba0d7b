"""core/lessons/presets.py: every lesson opens without URL warnings, and the effects its text promises happen."""
import dataclasses
import re

import numpy as np
import pytest

from core.runs.config import Playground2DConfig, STEPS_PER_SECOND, VIEW_PARAMS
import torch

from core.i18n import LANGUAGES, STRINGS
from core.runs.mnist_run import MnistConfig
from core.runs.playground import build_run
from core.lessons.presets import PRESETS, Preset, lesson_params, preset
from core.runs.regression_config import RegressionConfig

CONFIGS = {"2d": Playground2DConfig, "mnist": MnistConfig, "regression": RegressionConfig}
REQUIRED = {"mse_vs_ce", "noise_ce_vs_gce", "exp_vs_logistic", "lr_too_high", "smoothing_calibration",
            "l2_vs_adamw", "relu_pieces", "logistic_line", "exp_pull", "hidden_space", "reg_outliers",
            "reg_quantile", "reg_zero", "feature_circle", "l1_sparsity"}
RUN_KEY = re.compile(r"^r(\d+)\.(.+)$")


def runs_of(p: Preset) -> tuple[str, list[dict[str, str]]]:
    """(kind, [params of each run]) as the pages read them: compare = {**base, **overrides_i}."""
    if p.page != "compare":
        return p.page, [dict(p.params)]
    kind, n = p.params["kind"], int(p.params["runs"])
    assert 2 <= n <= 4
    base, overrides = {}, [{} for _ in range(n)]
    for key, value in p.params.items():
        if key in ("kind", "runs"):
            continue
        m = RUN_KEY.match(key)
        if m:
            i = int(m.group(1))
            assert 1 <= i <= n, f"{p.key}: {key} names a run that does not exist"
            overrides[i - 1][m.group(2)] = value
        else:
            base[key] = value
    return kind, [{**base, **o} for o in overrides]


def configs_of(p: Preset) -> list:
    kind, runs = runs_of(p)
    out = []
    for params in runs:
        config, warnings = CONFIGS[kind].from_query(params)
        assert warnings == [], (p.key, params, warnings)
        out.append(config)
    return out


def test_the_lessons_exist_once_each():
    keys = [p.key for p in PRESETS]
    assert len(keys) == len(set(keys))
    assert set(keys) == REQUIRED
    for p in PRESETS:
        assert preset(p.key) is p
        assert p.page in ("2d", "mnist", "compare", "regression")
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in p.params.items()), p.key
    with pytest.raises(KeyError):
        preset("no_such_lesson")


@pytest.mark.parametrize("p", PRESETS, ids=lambda p: p.key)
def test_params_parse_without_warnings(p):
    configs = configs_of(p)
    if p.page == "compare":
        # a comparison must compare something: the runs' configs differ
        assert len(set(configs)) == len(configs), p.key
    # every param is used: none is silently ignored or falls back to its default
    kind, runs = runs_of(p)
    for params, config in zip(runs, configs):
        q = config.to_query()
        for k, v in params.items():
            if k in VIEW_PARAMS:  # how the page shows the run (e.g. the side view), not the run's config
                continue
            assert k in q, (p.key, k)
            if k.startswith("loss."):
                assert float(q[k]) == float(v), (p.key, k)
            else:
                context = {"dataset": params["dataset"]} if "dataset" in params else {}  # cross-field ranges
                assert getattr(config, k) == getattr(CONFIGS[kind].from_query({**context, k: v})[0], k), (p.key, k)


@pytest.mark.parametrize("p", [p for p in PRESETS if p.page == "compare"], ids=lambda p: p.key)
def test_compare_presets_are_valid_comparison_urls(p):
    compare = pytest.importorskip("core.runs.compare")
    spec, warnings = compare.CompareConfig.from_query(p.params)
    assert warnings == [], (p.key, warnings)
    assert spec.kind == p.params["kind"] and len(spec.overrides) == int(p.params["runs"])
    assert spec.configs() == configs_of(p)


@pytest.mark.parametrize("p", PRESETS, ids=lambda p: p.key)
def test_title_and_two_sentence_text_in_both_languages(p):
    for part in ("title", "text"):
        entry = STRINGS[f"preset.{p.key}.{part}"]
        assert set(entry) == set(LANGUAGES)
        assert all(entry[lang].strip() for lang in LANGUAGES)
    text = STRINGS[f"preset.{p.key}.text"]
    # a sentence ends in . ! ? followed by a space or the end (so 0.7 and 5,000 do not count)
    assert len(re.findall(r"[.!?](?=\s|$)", text["en"])) == 2, text["en"]
    assert text["en"].rstrip()[-1] in ".!?"
    assert sum(text["zh"].count(c) for c in "。！？") == 2, text["zh"]
    assert text["zh"].rstrip()[-1] in "。！？"


# ---- the promised effects (deterministic: fixed seeds, single-threaded torch) ----
def trained(config, steps: int):
    run = build_run(config)
    done = 0
    while done < steps and run.trainer.diverged is None:
        done += run.trainer.step(min(100, steps - done))
    return run.trainer, run.trainer.evaluate()


def test_lr_too_high_diverges_and_a_small_lr_does_not():
    (config,) = configs_of(preset("lr_too_high"))
    run = build_run(config)
    for _ in range(30):  # at most 300 steps
        run.trainer.step(10)
        if run.trainer.diverged is not None:
            break
    assert run.trainer.diverged is not None, "the lesson promises a divergence"
    assert run.trainer.diverged.lr == config.lr
    assert all(torch.isfinite(p).all() for p in run.trainer.model.parameters())  # weights restored
    trainer, point = trained(config.replace(lr=0.1), 300)
    assert trainer.diverged is None and point["test_acc"] > 0.8


def test_noise_lesson_compares_ce_and_gce_on_a_net_that_can_memorise():
    # what it promises after 4,500 steps is checked over seeds and perturbed weights, through the page
    # (tests/test_lesson_promises.py::test_noise_lesson_over_variants_gce_ahead_and_ce_memorising)
    p = preset("noise_ce_vs_gce")
    ce, gce = configs_of(p)
    assert (ce.loss, gce.loss, dict(gce.loss_params)) == ("cross_entropy", "gce", {"q": 0.7})
    assert ce.noise_kind == "symmetric" and 0.3 <= ce.noise_rate <= 0.4 and ce.seed == 0
    assert ce.width == 64 and ce.depth >= 3 and ce.test_fraction == 0.5
    assert lesson_params(p)["speed"] == "normal" and STEPS_PER_SECOND["normal"] * 15 == 4500  # 15 s of play


def test_exponential_loss_is_dragged_by_flipped_labels():
    exp, ce = configs_of(preset("exp_vs_logistic"))
    assert (exp.loss, ce.loss, exp.model) == ("exponential", "cross_entropy", "logistic")
    _, p_exp = trained(exp, 1000)
    _, p_ce = trained(ce, 1000)
    assert p_ce["test_acc"] > p_exp["test_acc"], (p_ce, p_exp)
    assert p_ce["train_acc_clean"] >= p_exp["train_acc_clean"]


def test_cross_entropy_fits_sooner_than_brier_with_sgd():
    brier, ce = configs_of(preset("mse_vs_ce"))
    assert (brier.loss, ce.loss, ce.optimizer) == ("brier", "cross_entropy", "sgd")
    _, p_brier = trained(brier, 800)
    _, p_ce = trained(ce, 800)
    assert p_ce["test_acc"] > p_brier["test_acc"], (p_ce, p_brier)


def test_l2_in_adam_shrinks_weights_much_more_than_adamw_at_the_same_lambda():
    from core.lessons.analysis import weight_norm  # the ‖w‖ the Compare page shows under each boundary
    l2, adamw = configs_of(preset("l2_vs_adamw"))
    assert (l2.optimizer, l2.wd_mode, adamw.optimizer) == ("adam", "l2", "adamw")
    assert l2.weight_decay == adamw.weight_decay > 0
    start = weight_norm(build_run(l2).trainer.model)
    assert start == pytest.approx(4.6, abs=0.05)  # the watch text names it
    t_l2, _ = trained(l2, 1000)
    t_w, _ = trained(adamw, 1000)
    # the watch text: L2's stays near its start, AdamW's grows to about three times it within 1,000 steps
    assert 0.8 * start < weight_norm(t_l2.model) < 1.2 * start
    assert weight_norm(t_w.model) > 2.5 * start


def test_relu_pieces_fits_the_circles_with_few_units():
    (config,) = configs_of(preset("relu_pieces"))
    assert config.activation == "relu" and config.width <= 8 and config.dataset in ("circles", "spiral")
    _, point = trained(config, 1000)
    assert point["test_acc"] > 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hidden_space_lesson_makes_the_circles_separable_by_the_output_line(seed):
    import numpy as np

    from core.lessons.inside import hidden_view, layers_of
    (config,) = configs_of(preset("hidden_space"))
    assert (config.dataset, config.model, config.hidden_sizes()[-1]) == ("circles", "mlp", 2)
    trainer, point = trained(config.replace(seed=seed), 600)
    assert point["test_acc"] > 0.9
    layers, activation = layers_of(trainer.model)
    view = hidden_view(layers, trainer.data.X_train.double().numpy(), activation)
    assert view.exact and len(view.lines) == 1  # the 2 units' own coordinates; one logit, one line
    normal, offset = view.lines[0]
    split = (view.coords @ normal + offset > 0).astype(int)
    assert (split == trainer.data.y_given.numpy()).mean() > 0.9


def test_logistic_line_is_a_line():
    from core.learning.models import linear_boundary
    (config,) = configs_of(preset("logistic_line"))
    assert (config.dataset, config.model) == ("exam", "logistic")
    trainer, point = trained(config, 1000)
    w, b = linear_boundary(trainer.model)
    assert point["test_acc"] > 0.85
    # p > 0.5 exactly where w·x + b > 0
    X = trainer.data.X_test
    logits = trainer.logits(X)
    side = (X @ w) + b > 0
    near = ((X @ w) + b).abs() < 1e-3 * w.norm()
    assert torch.equal((logits > 0)[~near], side[~near])


def test_smoothing_lesson_is_the_same_setup_but_the_loss():
    ce, ls = configs_of(preset("smoothing_calibration"))
    assert (ce.loss, ls.loss, dict(ls.loss_params)) == ("cross_entropy", "label_smoothing", {"eps": 0.1})
    assert ce.replace(loss="label_smoothing", loss_params=(("eps", 0.1),)) == ls
    assert ce.n_train <= 10_000 and ce.noise_kind == "none"


# ---- through the real app: the sidebar widgets must accept every value (their ranges are narrower
# than the config's, e.g. width ≤ 64), or the page would crash on the click ----
@pytest.mark.parametrize("p", PRESETS, ids=lambda p: p.key)
def test_every_preset_opens_its_page(p):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.run()
    at.button(key=f"preset.{p.key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    configs = configs_of(dataclasses.replace(p, params=lesson_params(p)))  # a lesson opens at a watchable speed
    if p.page == "compare":
        spec = at.session_state["cmp.config"]
        assert spec.kind == p.params["kind"] and spec.configs() == configs
    else:
        key = {"2d": "p2d.config", "mnist": "mn.config", "regression": "reg.config"}[p.page]
        assert at.session_state[key] == configs[0]


# ---- the regression lessons ----
def regression_trained(key: str, steps: int, **changes):
    from core.runs.regression_run import build_regression_run
    from core.runs import advance
    (config,) = configs_of(preset(key))
    run = build_regression_run(config.replace(**changes))
    advance(run, steps)
    return run


def test_reg_outliers_mse_is_dragged_and_mae_stays_on_the_clean_line():
    from core.data.data1d import f_line
    from core.runs.regression_run import predict
    xs = np.linspace(-3, 3, 61)
    errors = {}
    for loss in ("mse", "mae", "huber"):
        run = regression_trained("reg_outliers", 3000, loss=loss)
        errors[loss] = float(np.abs(predict(run, xs) - f_line(xs)).mean())
    assert errors["mse"] > 0.5  # ~10% of the targets 8 sd up: the line moves up by about 1
    assert errors["mae"] < 0.25 * errors["mse"] and errors["huber"] < 0.5 * errors["mse"]


def test_reg_quantile_orders_the_demands_0_8_quantile():
    run = regression_trained("reg_quantile", 3000)
    theta = float(run.trainer.model.net.theta.detach()[0])
    y = run.trainer.data.y_given.numpy()
    assert theta == pytest.approx(float(np.quantile(y, 0.8)), abs=0.5)
    assert theta == pytest.approx(10.0, abs=1.0)  # the population's 0.8 quantile (core.data.data1d.DEMAND_Q80)


def test_reg_zero_solved_exactly_fits_the_training_points_not_the_test_points():
    from core.runs.regression_run import build_regression_run, solve_least_squares
    (config,) = configs_of(preset("reg_zero"))
    run = build_regression_run(config)
    assert run.trainer.data.n_train == 12
    solve_least_squares(run)
    h = run.trainer.history
    assert h.last("train_loss") < 1e-3 and h.last("test_loss") > 1.0
