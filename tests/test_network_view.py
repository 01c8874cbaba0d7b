"""The network diagram beside the 2D boundary (side=network, core/pictures/inside_frames.network_frame): its
nodes, lines and thumbnails decode to the model's own parameters and to unit_maps' pictures; a layer too wide
is cut to its first units and counted; the page shows it with its caption in both languages, playing."""
from __future__ import annotations

import html

import numpy as np
import pytest

from core.i18n import STRINGS
from core.lessons.inside import layers_of
from core.pictures.frame_data import unb64
from core.pictures.inside_frames import NET_SHOWN, available_views, network_frame, side_frame
from core.runs import advance
from core.runs.config import SIDE_VIEWS, Playground2DConfig
from core.runs.playground import build_run


def trained(**kw):
    run = build_run(Playground2DConfig(**kw))
    advance(run, 20, seconds=None)
    return run


def params(run):
    net = run.trainer.model.net
    return ([w.detach().float().numpy() for w in net.weights(net.weight)],
            [b.detach().float().numpy() for b in net.biases(net.bias)])


def test_every_model_offers_the_network_view():
    assert "network" in SIDE_VIEWS
    assert available_views(trained(model="logistic", dataset="blobs").trainer.model)[-1] == "network"
    assert available_views(trained(model="mlp", dataset="moons").trainer.model) == (
        "none", "hidden", "units", "network")


def test_the_frame_holds_every_node_and_the_models_weights_and_biases():
    run = trained(model="mlp", dataset="moons", depth=2, width=5, activation="tanh")
    f = network_frame(run, resolution=12)
    assert f["kind"] == "network" and f["info"]["layers"] == [2, 5, 5, 1] == f["info"]["shown"]
    assert f["info"]["hidden"] == [0, 0, 0, 0] and not any(c["more"] for c in f["columns"])
    assert [len(c["y"]) for c in f["columns"]] == [2, 5, 5, 1] and f["inputs"] == ["x₁", "x₂"]
    ws, bs = params(run)
    got = [unb64(w, "<f4").reshape(ref.shape) for w, ref in zip(f["weights"], ws)]
    for w, ref in zip(got, ws):
        np.testing.assert_array_equal(w, ref)  # the lines are the model's parameters, exactly
    for b, ref in zip(f["biases"], bs):
        np.testing.assert_array_equal(unb64(b, "<f4"), ref)
    assert f["info"]["lines"] == 2 * 5 + 5 * 5 + 5 and f["wmax"] == pytest.approx(max(np.abs(w).max() for w in ws))
    # every node inside the canvas, none overlapping in a column
    size = f["size"]
    for c in f["columns"]:
        assert 0 <= c["x"] and c["x"] + size <= f["w"]
        ys = np.array(c["y"])
        assert ys.min() >= 0 and ys.max() + size <= f["h"] and (np.diff(ys) >= size).all()


def test_the_thumbnails_are_unit_maps_pictures_and_the_output_is_the_class_probability():
    from core.lessons.inside import forward, grid
    from core.learning.losses import probabilities
    from core.pictures.unit_maps import colour_indices, unit_maps
    import torch
    run = trained(model="mlp", dataset="moons", depth=3, width=4, activation="tanh")
    f = network_frame(run, resolution=12)
    layers, activation = layers_of(run.trainer.model)
    maps = unit_maps(layers, activation, run.bounds, 12, n_layers=3)
    values = unb64(f["values"], np.uint8).reshape(-1, 12, 12)
    np.testing.assert_array_equal(values, np.concatenate([colour_indices(m, activation) for m in maps]))
    logits, _ = forward(layers, grid(run.bounds, 12), activation)
    p1 = probabilities(torch.from_numpy(logits[:, 0])).numpy()[:, 1].reshape(12, 12)
    out = unb64(f["out"]["p"], np.uint8).reshape(12, 12)
    assert f["out"]["binary"]
    np.testing.assert_allclose(out / 255, p1, atol=0.5 / 255 + 1e-9)


def test_the_widest_deepest_net_draws_the_first_units_and_counts_the_rest():
    run = build_run(Playground2DConfig(model="mlp", dataset="moons", depth=6, width=64))
    f = network_frame(run, net_text=(("more", "另有 {n} 个"),), resolution=8)
    assert f["info"]["layers"] == [2] + [64] * 6 + [1]
    assert f["info"]["shown"] == [2] + [NET_SHOWN] * 6 + [1]
    assert f["info"]["hidden"] == [0] + [64 - NET_SHOWN] * 6 + [0]
    assert [c["more"] for c in f["columns"]] == [""] + [f"另有 {64 - NET_SHOWN} 个"] * 6 + [""]
    ws, _ = params(run)
    for w, ref in zip(f["weights"], ws):  # lines between drawn nodes only: each matrix's top-left block
        shown = ref[:NET_SHOWN, :NET_SHOWN]
        np.testing.assert_array_equal(unb64(w, "<f4").reshape(shown.shape), shown)
    assert len(unb64(f["values"], np.uint8)) == 6 * NET_SHOWN * 8 * 8
    assert f["size"] >= 16 and f["w"] == 340 and f["h"] <= 340  # readable in the side column


def test_logistic_regression_joins_its_inputs_to_its_outputs():
    run = trained(model="logistic", dataset="blobs_multi")
    f = network_frame(run, resolution=8)
    assert f["info"]["layers"] == [2, 3] and len(f["weights"]) == 1 and f["values"] == ""
    assert not f["out"]["binary"]
    p = unb64(f["out"]["p"], np.uint8).reshape(3, 8, 8).astype(int)
    assert (np.abs(p.sum(0) - 255) <= 2).all()  # one picture per class: its probability
    ws, _ = params(run)
    np.testing.assert_array_equal(unb64(f["weights"][0], "<f4").reshape(3, 2), ws[0])


def test_the_side_frame_is_reused_while_playing():
    run = trained(model="mlp", dataset="moons")
    first = side_frame(run, "network", every=10.0)
    advance(run, 3, seconds=None)
    assert side_frame(run, "network", every=10.0) == {"kind": "network", "same": first["stamp"], "w": first["w"]}
    assert side_frame(run, "network", every=0.0)["step"] == run.trainer.steps


# ---- the page (AppTest) ----


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_shows_the_network_and_plays_with_it(lang, monkeypatch):
    from tests.test_page_side_views import side_shown
    from tests.test_pages import assert_ok, open_2d, run_of
    from ui.common import RunTurn
    at = open_2d({"depth": "2", "width": "16", "side": "network", "lang": lang})
    assert_ok(at)
    frame, marks = side_shown(at)
    assert marks["view"] == "network" and frame["kind"] == "network"
    assert marks["layers"] == "2,16,16,1" and marks["shown-units"] == f"2,{NET_SHOWN},{NET_SHOWN},1"
    assert marks["hidden-units"] == f"0,{16 - NET_SHOWN},{16 - NET_SHOWN},0"
    text = html.unescape(marks["text"])
    assert text.startswith(STRINGS["side.network_note"][lang][:12])
    assert STRINGS["side.network_more"][lang].format(shown=NET_SHOWN) in text
    assert frame["columns"][1]["more"] == STRINGS["net.more"][lang].format(n=16 - NET_SHOWN)
    assert frame["text"]["weight"] == STRINGS["net.weight"][lang]
    assert at.query_params["side"] == "network"
    assert at.radio(key=f"p2d.side@{lang}").options[-1] == STRINGS["side.network"][lang]
    frames = {}

    def superseded(turn) -> bool:  # a few frames of play, then the loop ends as a newer script run would end it
        frames[id(turn)] = frames.get(id(turn), 0) + 1
        return frames[id(turn)] > 8
    monkeypatch.setattr(RunTurn, "superseded", superseded)
    at.button(key="p2d.play_button").click().run()
    assert_ok(at)
    at.button(key="p2d.play_button").click().run()  # Pause: the view is the paused model's, exactly
    assert_ok(at)
    frame, marks = side_shown(at)
    steps = run_of(at).trainer.steps
    assert steps > 0 and frame["step"] == marks["step"] == steps


def test_feature_inputs_are_the_input_nodes():
    from core.learning.models import input_labels
    run = trained(model="mlp", dataset="circles", depth=1, width=3, features="x1,x2,x1sq,sinx1")
    f = network_frame(run, resolution=8)
    assert f["inputs"] == input_labels(run.trainer.model) and len(f["inputs"]) == 4
    assert f["info"]["layers"] == [4, 3, 1]
    ws, _ = params(run)
    np.testing.assert_array_equal(unb64(f["weights"][0], "<f4").reshape(3, 4), ws[0])
