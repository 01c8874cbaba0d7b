"""What one page may ask of the server (core/serving/compute_limits.py), and what a session holds
(core/serving/session_memory.py): estimates against the real models, links and widgets capped alike, and the
refusal said on the page."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings, strategies as st

from core.runs.compare import CompareConfig
from core.serving.compute_limits import EVAL_OVERHEAD_S, LIMITS, Load, cnn_shape, fit_to_server, mlp_shape, server_limits
from core.runs.mnist_run import MnistConfig, fit_to_server as fit_mnist
from core.learning.models import build_model
from core.runs.regression_config import BATCH_TICKS_1D, RegressionConfig
from core.serving.session_memory import held_bytes

CPU, GPU = LIMITS["cpu"], LIMITS["gpu"]


@pytest.mark.parametrize("hidden", [(256,), (512, 256), (2048,) * 4, (1, 7)])
def test_mlp_shape_counts_the_real_models_weights(hidden):
    model = build_model("mlp", 784, 10, 0, hidden=hidden, activation="relu")
    sizes = (784,) + hidden + (10,)
    shape = mlp_shape(sizes)
    assert shape.weights == sum(p.numel() for p in model.parameters())
    assert shape.matmul_macs == sum(a * b for a, b in zip(sizes, sizes[1:]))  # one multiply-add per weight
    assert shape.units == sum(hidden)


def test_cnn_shape_counts_the_real_cnns_weights_and_convolutions():
    model = build_model("cnn", 784, 10, 0)
    shape = cnn_shape()
    assert shape.weights == sum(p.numel() for p in model.parameters())
    # conv1: 28·28 outputs × 16 channels × 5·5 taps; conv2: 14·14 × 32 × 16·5·5; the dense layer 32·7·7 × 10
    assert shape.conv_macs == 28 * 28 * 16 * 25 + 14 * 14 * 32 * 16 * 25 and shape.matmul_macs == 32 * 49 * 10


def test_a_step_costs_a_forward_and_a_backward_pass_and_an_update():
    shape = mlp_shape((10, 20, 1))
    one, two = shape.step_seconds(100), shape.step_seconds(200)
    assert two - one == pytest.approx(3 * shape.forward_seconds(100))
    assert Load(((shape, 100, 0), (shape, 200, 0))).frame_seconds == pytest.approx(one + two)
    # a frame that also evaluates 1,000 rows: a forward pass over them, and the evaluation's own cost
    assert Load(((shape, 100, 1000),)).frame_seconds == pytest.approx(one + shape.forward_seconds(1000)
                                                                       + EVAL_OVERHEAD_S)


def test_a_model_too_big_for_a_cpu_server_falls_back_and_says_so():
    config = MnistConfig(hidden="2048,2048,2048,2048", batch_size=1024)
    warnings: list = []
    fitted = fit_mnist([config], warnings, CPU)[0]
    assert fitted.hidden == "256" and fitted.load().fits(CPU)
    assert [w.code for w in warnings][0] == "warn.heavy.model"
    assert warnings[0].fields["weights"] == f"{mlp_shape((784,) + (2048,) * 4 + (10,)).weights:,}"
    # a GPU server trains it, at a smaller batch: stricter on a CPU than with a GPU
    gpu = fit_mnist([config], [], GPU)[0]
    assert gpu.hidden == config.hidden and gpu.load().fits(GPU) and gpu.batch_size < 1024


def test_a_batch_too_big_is_capped_at_the_largest_mark_that_fits():
    ticks = (1, 8, 16, 32, 64, 128, 256, 512, 1024)
    config = MnistConfig(model="cnn", batch_size=1024)
    warnings: list = []
    fitted = fit_mnist([config], warnings, CPU)[0]
    assert fitted.batch_size in ticks and fitted.load().fits(CPU)
    bigger = ticks[ticks.index(fitted.batch_size) + 1]
    assert not config.replace(batch_size=bigger).load().fits(CPU)  # the largest that fits
    (w,) = warnings
    assert w.code == "warn.heavy.batch" and w.fields["wanted"] == 1024 and w.fields["batch"] == fitted.batch_size
    assert w.fields["ms"] > w.fields["limit"] == round(CPU.frame_seconds * 1000)


def test_what_fits_is_left_alone():
    config = MnistConfig()
    warnings: list = []
    assert fit_mnist([config], warnings, CPU) == [config] and warnings == []
    assert MnistConfig.from_query(config.to_query()) == (config, [])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([1, 16, 64, 256, 1024, 2048]), min_size=1, max_size=4),
       st.sampled_from([1, 8, 32, 128, 512, 1024, 4096]), st.sampled_from(["mlp", "cnn"]))
def test_every_link_gives_a_page_that_fits_the_server(hidden, batch, model):
    query = {"hidden": ",".join(map(str, hidden)), "batch_size": str(batch), "model": model}
    config, _ = MnistConfig.from_query(query)
    assert config.load().fits(server_limits())  # this server's: a CPU's here, a GPU's where MNIST trains on one


def test_a_comparison_fits_its_runs_together():
    spec, warnings = CompareConfig.from_query({"kind": "regression", "runs": "4", "model": "mlp", "depth": "6",
                                             "width": "64", "n_samples": "2000", "batch_size": "2000",
                                             "band": "true", "speed": "fastest"})
    configs = spec.configs()
    alone = RegressionConfig.from_query({"model": "mlp", "depth": "6", "width": "64", "n_samples": "2000",
                                         "batch_size": "2000", "band": "true"})[0]
    assert alone.batch_size == 2000  # one run and its band fit on their own ...
    together = Load(tuple(m for c in configs for m in c.load().members))
    assert len(together.members) == 16 and together.fits(CPU)  # ... four of them only at a smaller batch
    assert configs[0].batch_size in BATCH_TICKS_1D and configs[0].batch_size < 2000
    assert [w.code for w in warnings] == ["warn.heavy.batch"]
    spec, warnings = CompareConfig.from_query({"kind": "mnist", "runs": "4", "hidden": "1024", "batch_size": "1024"})
    assert all(c.batch_size < 128 for c in spec.configs()) and [w.code for w in warnings] == ["warn.heavy.batch"]
    # said once, naming what the link asked for (one run alone would have been capped less)
    assert warnings[0].fields["wanted"] == 1024 and warnings[0].fields["batch"] == spec.configs()[0].batch_size


def test_fit_to_server_caps_every_run_at_one_mark():
    configs = [RegressionConfig(model="mlp", depth=6, width=64, n_samples=2000, batch_size=b, band=True)
               for b in (2000, 64, 2000, 512)]
    fitted = fit_to_server(configs, BATCH_TICKS_1D, None, CPU)
    cap = max(c.batch_size for c in fitted)
    assert [c.batch_size for c in fitted] == [min(c.batch_size, cap) for c in configs]


# ---- a session's memory ----

def test_held_bytes_counts_weights_gradients_optimizer_state_and_data_once():
    model = torch.nn.Linear(100, 10)  # 1,010 weights
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(4, 100)).sum().backward()
    opt.step()

    class Run:  # what a page keeps: a model, its optimizer, data; the same tensor twice counts once
        pass
    run = Run()
    run.model, run.opt, run.data = model, opt, torch.zeros(1000)
    run.again = run.data
    weights = 1010 * 4
    # params, grads, Adam's two moments; the data; Adam's step counter of each parameter tensor
    assert held_bytes([run]) == weights * 4 + 1000 * 4 + 2 * 4
    assert held_bytes([run, run]) == held_bytes([run])


def _session_script():
    import streamlit as st
    import torch

    from ui.runs import keep_session_within_memory
    ss = st.session_state
    mb = 2**20 // 4  # float32 values in a MB
    if "step" not in ss:  # first visit: a 2D run, an MNIST run, then a comparison that needs the room
        ss.step = 0
        ss["p2d.run"] = {"weights": torch.zeros(1 * mb)}
        ss["mn.run"] = {"weights": torch.zeros(200 * mb)}
        ss["cmp.run"] = {"runs": [{"weights": torch.zeros(150 * mb)}]}
        keep_session_within_memory("cmp.run")
    else:  # back on the MNIST page: a new run
        ss["mn.run"] = {"weights": torch.zeros(10 * mb)}
        keep_session_within_memory("mn.run")
    ss.step += 1


def test_a_session_over_its_memory_closes_the_biggest_other_run_and_that_page_says_so():
    from streamlit.testing.v1 import AppTest

    from core.i18n import translate
    from core.serving.session_memory import SESSION_BYTES
    at = AppTest.from_function(_session_script, default_timeout=30).run()
    assert not at.exception
    ss = at.session_state
    assert "mn.run" not in ss and ss["mn.run.released"]  # 200 MB closed: 151 MB left
    assert "p2d.run" in ss and "cmp.run" in ss  # the small one kept
    assert not at.info  # the comparison's page says nothing: its run is whole
    at.run()
    assert [i.value for i in at.info] == [translate("budget.run_released", "en", mb=SESSION_BYTES // 2**20)]
    assert "mn.run.released" not in at.session_state
    at.run()
    assert not at.info  # said once
