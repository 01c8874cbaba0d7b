"""The live views beside the 2D boundary (parameter space, hidden space) in a real headless Chromium:
drawn on their own canvas in the live element, moving while playing, exact again when paused, chosen
by a radio and kept in the link. Readiness is an on-page marker, never a sleep."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from tests.support import IDLE_2D_JS as IDLE_JS, click_until

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
SIDE_JS = """() => { const c = document.getElementById('side-live');
  return !!c && !!c.__frame && c.__frame.kind === 'plot' ? {step: +c.dataset.step, frames: +c.dataset.frames,
    info: c.__frame.info, w: c.width, h: c.height} : null; }"""
# distinct colours at 64 spots of the side canvas's plot area: a drawn map has many, a blank one 1
COLOURS_JS = """() => { const c = document.getElementById('side-live'), ctx = c.getContext('2d'), seen = new Set();
  for (let i = 1; i < 9; i++) for (let j = 1; j < 9; j++) {
    const d = ctx.getImageData(Math.floor(c.width * (0.15 + 0.8 * i / 9)), Math.floor(c.height * (0.85 * j / 9)), 1, 1).data;
    seen.add(d[0] + ',' + d[1] + ',' + d[2]); }
  return seen.size; }"""
TILES_JS = """() => { const c = document.getElementById('side-live');
  return !!c && !!c.__frame && c.__frame.kind === 'tiles' ? {step: +c.dataset.step, tiles: c.__frame.tiles.length,
    w: c.width} : null; }"""
MOVED_JS = """(start) => { const c = document.getElementById('side-live');
  return !!c && !!c.__frame && +c.dataset.step > start && +c.dataset.frames >= 3; }"""
PAUSED_JS = """() => { const c = document.getElementById('side-live'), e = document.getElementById('epoch-counter'),
    v = document.getElementById('side-view');
  return !!c && !!e && !!v && +c.dataset.step === +e.dataset.step && +v.dataset.step === +e.dataset.step
         && document.querySelectorAll('[data-stale="true"]').length === 0; }"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_parameter_space_moves_live_beside_the_boundary(page, server, lang):
    page.goto(f"{server[0]}/playground_2d?model=logistic&dataset=blobs&side=params&speed=slow&lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_function(SIDE_JS, timeout=WAIT_MS)
    first = page.evaluate(SIDE_JS)
    assert first["step"] == 0 and first["info"]["points"] == 1 and first["w"] > 0
    assert page.evaluate(COLOURS_JS) > 8  # the J map is drawn
    text = page.locator("#side-view").inner_text()
    assert "−∇J" in text and STRINGS["side.params_note"][lang][:8] in text
    assert page.locator("#boundary-live").count() == 1  # the boundary stays, the view is under it

    click_until(page, "p2d.play_button", MOVED_JS, 0)  # the weights' path grows while playing
    click_until(page, "p2d.play_button", PAUSED_JS)  # paused: the view is the paused model's, exactly
    paused = page.evaluate(SIDE_JS)
    assert paused["info"]["points"] > 1 and paused["step"] > 0
    data = page.evaluate("() => document.getElementById('side-view').dataset")
    assert float(data["w1"]) == pytest.approx(paused["info"]["w1"], rel=1e-6)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_hidden_space_of_a_two_unit_layer_is_drawn_with_its_line_and_chosen_by_the_radio(page, server):
    page.goto(f"{server[0]}/playground_2d?model=mlp&dataset=circles&depth=2&width=8&last_width=2&activation=tanh")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    assert page.locator("#side-live").count() == 0  # nothing beside the boundary by default
    page.locator(".st-key-p2d-side-en label", has_text=STRINGS["side.hidden"]["en"]).click()
    page.wait_for_function(SIDE_JS, timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    shown = page.evaluate(SIDE_JS)
    assert shown["info"]["exact"] is True and shown["info"]["points"] > 0
    assert page.evaluate(COLOURS_JS) > 1  # points (and the output layer's line, where it crosses the view)
    assert "side=hidden" in page.url  # the view rides along in the link
    click_until(page, "p2d.step10_button", "() => +document.getElementById('side-live').dataset.step >= 10")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_an_explained_step_shows_its_table_and_the_old_line_dashed_on_the_canvas(page, server):
    page.goto(f"{server[0]}/playground_2d?model=logistic&dataset=blobs&optimizer=sgd&lr=0.5&lang=zh")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.get_by_text(STRINGS["se.toggle"]["zh"], exact=True).click()
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    click_until(page, "p2d.step_button", "() => !!document.getElementById('step-explained')")
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    data = page.evaluate("() => document.getElementById('step-explained').dataset")
    assert data["step"] == "1" and data["plain"] == "1"
    assert float(data["w1"]) == pytest.approx(float(data["p1"]), rel=1e-5, abs=1e-7)
    text = page.locator("#step-explained").inner_text()
    assert STRINGS["se.title"]["zh"].format(step=1) in text and "p − y" in text
    assert page.locator("#step-explained tr").count() == 1 + 12  # header and the first 12 of 16 points
    frame = page.evaluate("() => document.getElementById('boundary-live').__frame")
    assert frame["old_line"] and frame["line"] and frame["old_line"] != frame["line"]
    assert page.locator('[data-testid="stException"]').count() == 0


def test_each_unit_view_draws_its_tiles_and_follows_the_steps(page, server):
    page.goto(f"{server[0]}/playground_2d?depth=2&width=6&side=units")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_function(TILES_JS, timeout=WAIT_MS)
    shown = page.evaluate(TILES_JS)
    assert shown["tiles"] == 12 and shown["w"] > 0 and shown["step"] == 0
    assert page.evaluate(COLOURS_JS) > 1  # the units' pictures (orange for ReLU outputs) are drawn
    click_until(page, "p2d.step10_button", "() => +document.getElementById('side-live').dataset.step >= 10")
    assert page.locator('[data-testid="stException"]').count() == 0
