"""Each hidden unit's output over the plane on the 2D page (ui/unit_views.py), as the page shows it (AppTest)."""
from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

from core.i18n import STRINGS
from core.lessons.inside import layers_of
from core.pictures.unit_maps import PALETTE, colour_indices, unit_maps
from tests.test_pages import assert_ok, open_2d, run_of
from ui.unit_views import RESOLUTION


def marker(at) -> str:
    return "".join(e.proto.body for e in at.get("html") if 'id="unit-maps"' in e.proto.body)


def opened(query: dict):
    at = open_2d(query)
    assert not marker(at)  # closed: nothing built
    at.session_state["p2d.open_units"] = True  # the reader opens the expander
    at.run()
    assert_ok(at)
    return at


def pictures(body: str) -> list[np.ndarray]:
    """The thumbnails as RGB arrays, decoded from their data: URLs."""
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))
            for b64 in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', body)]


def test_counts_follow_the_config_and_pictures_are_the_units_outputs():
    at = opened({"model": "mlp", "depth": "3", "width": "5", "activation": "tanh"})
    body = marker(at)
    assert 'data-layers="2" data-units="5,5"' in body  # the first two of three hidden layers
    assert 'data-activation="tanh"' in body
    shown = pictures(body)
    assert len(shown) == 10 and all(p.shape == (RESOLUTION, RESOLUTION, 3) for p in shown)
    run = run_of(at)
    layers, act = layers_of(run.trainer.model)
    expected = [PALETTE[i] for m in unit_maps(layers, act, run.bounds, RESOLUTION) for i in colour_indices(m, act)]
    for got, want in zip(shown, expected):
        np.testing.assert_array_equal(got, want)  # each picture: that unit's output over the view, coloured
    assert any(STRINGS["um.scale_centred"]["en"] in c.value for c in at.caption)
    assert "Hidden layer 2: 5 units" in body


def test_one_layer_relu_and_the_language_switch():
    at = opened({"model": "mlp", "depth": "1", "width": "7", "activation": "relu"})
    assert 'data-layers="1" data-units="7"' in marker(at)
    assert any(STRINGS["um.scale_zero_max"]["en"] in c.value for c in at.caption)
    at.radio(key="_lang_widget").set_value("zh").run()  # the section stays open, now in 中文
    assert_ok(at)
    body = marker(at)
    assert 'data-layers="1" data-units="7"' in body and len(pictures(body)) == 7
    assert "第 1 个隐藏层：7 个单元" in body
    assert any(STRINGS["um.scale_zero_max"]["zh"] in c.value for c in at.caption)


def test_logistic_has_no_units_to_draw():
    at = opened({"model": "logistic"})
    assert not marker(at)
    assert any(STRINGS["um.none"]["en"] in c.value for c in at.caption)
