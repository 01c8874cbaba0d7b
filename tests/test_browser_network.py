"""The network diagram beside the 2D boundary (side=network) in a real headless Chromium at 1280×720: drawn
from data on the side canvas, and pointing at a unit or a line names its bias or weight, in English and 中文.
Readiness is an on-page marker, never a sleep."""
from __future__ import annotations

import re

import pytest

from core.i18n import STRINGS
from core.pictures.frame_data import unb64
from tests.support import IDLE_2D_JS as IDLE_JS, click_until

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
NET_JS = """() => { const c = document.getElementById('side-live');
  if (!c || !c.__frame || c.__frame.kind !== 'network') return null;
  c.scrollIntoView({block: 'center'});
  const r = c.getBoundingClientRect(), f = c.__frame;
  return {left: r.left, top: r.top, css: r.width, k: r.width / f.w, w: f.w, h: f.h, size: f.size,
          columns: f.columns, weights: f.weights, biases: f.biases, step: +c.dataset.step}; }"""
# distinct colours at the nodes' centres and between the columns: a drawn diagram has many, a blank canvas 1
COLOURS_JS = """(spots) => { const c = document.getElementById('side-live'), ctx = c.getContext('2d'), seen = new Set();
  const k = c.width / c.__frame.w;
  for (const [x, y] of spots) { const d = ctx.getImageData(Math.floor(x * k), Math.floor(y * k), 1, 1).data;
    seen.add(d[0] + ',' + d[1] + ',' + d[2]); }
  return seen.size; }"""
MOVED_JS = """() => { const c = document.getElementById('side-live');
  return !!c && !!c.__frame && c.__frame.kind === 'network' && +c.dataset.step > 0 && +c.dataset.frames >= 3; }"""
PAUSED_JS = """() => { const c = document.getElementById('side-live'), e = document.getElementById('epoch-counter'),
    v = document.getElementById('side-view');
  return !!c && !!e && !!v && +c.dataset.step === +e.dataset.step && +v.dataset.step === +e.dataset.step
         && document.querySelectorAll('[data-stale="true"]').length === 0; }"""
HOVER_JS = "(want) => { const c = document.getElementById('side-live'); return !!c && (c.dataset.hover || '').startsWith(want); }"


def number_in(text: str) -> float:
    return float(re.findall(r"[−-]?\d+\.\d+(?:e[+−-]?\d+)?", text)[0].replace("−", "-"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_network_is_drawn_and_pointing_names_a_bias_and_a_weight(new_page, server, lang):
    page = new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server[0]}/playground_2d?depth=2&width=16&side=network&lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_function(NET_JS, timeout=WAIT_MS)
    page.evaluate(NET_JS)  # scrolled into view; its place once there
    net = page.evaluate(NET_JS)
    assert net["css"] >= 300  # readable in the side column at 1280×720
    s, cols = net["size"], net["columns"]
    assert [len(c["y"]) for c in cols] == [2, 8, 8, 1] and cols[1]["more"]
    spots = [(c["x"] + s / 2, y + s / 2) for c in cols for y in c["y"]]
    spots += [((a["x"] + s + b["x"]) / 2, y + s / 2) for a, b in zip(cols, cols[1:]) for y in b["y"]]
    assert page.evaluate(COLOURS_JS, spots) > 4  # the nodes' pictures and the lines are drawn

    def to_page(x, y):
        return net["left"] + x * net["k"], net["top"] + y * net["k"]

    # a hidden unit: its layer, index and bias
    page.mouse.move(*to_page(cols[1]["x"] + s / 2, cols[1]["y"][0] + s / 2))
    want = STRINGS["net.unit"][lang].format(l=1, i=1, b="")
    page.wait_for_function(HOVER_JS, arg=want.strip(), timeout=WAIT_MS)
    tip = page.evaluate("() => document.getElementById('side-live').dataset.hover")
    bias = float(unb64(net["biases"][0], "<f4")[0])
    assert number_in(tip) == pytest.approx(bias, abs=6e-4)

    # the line from the second hidden layer's first unit to the output: its weight
    x0, y0 = cols[2]["x"] + s, cols[2]["y"][0] + s / 2
    x1, y1 = cols[3]["x"], cols[3]["y"][0] + s / 2
    on_line = (x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0))
    page.mouse.move(*to_page(*on_line))
    a = STRINGS["net.unit_name"][lang].format(l=2, i=1)
    b = STRINGS["net.output_name"][lang].format(i=1)
    head = STRINGS["net.weight"][lang].split("{w}")[0]
    page.wait_for_function(f"() => {{ const t = document.getElementById('side-live').dataset.hover || '';"
                           f" return t.startsWith({head!r}) && t.endsWith({f'{a} → {b}'!r}); }}", timeout=WAIT_MS)
    tip = page.evaluate("() => document.getElementById('side-live').dataset.hover")
    w = unb64(net["weights"][2], "<f4")[0]  # row 0 (the output), column 0 (unit 1)
    assert number_in(tip) == pytest.approx(float(w), abs=6e-4)
    if lang == "en":  # playing: redrawn (at most 4 times a second), the resting pointer's tooltip kept
        click_until(page, "p2d.play_button", MOVED_JS)
        page.evaluate(NET_JS)
        net = page.evaluate(NET_JS)  # (clicking Play may have scrolled the page)
        page.mouse.move(*to_page(*on_line))
        frames = page.evaluate("() => +document.getElementById('side-live').dataset.frames")
        page.wait_for_function(f"() => {{ const c = document.getElementById('side-live');"
                               f" return +c.dataset.frames >= {frames + 2} && (c.dataset.hover || '').startsWith({head!r}); }}",
                               timeout=WAIT_MS)
        click_until(page, "p2d.play_button", PAUSED_JS)
    page.mouse.move(1, 1)  # off the canvas: the tooltip goes
    page.wait_for_function("() => !document.getElementById('side-live').dataset.hover", timeout=WAIT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
