"""A click on the 2D page's live boundary (and on the Regression page's fit) in a real Chromium adds a training
point there (ui/live_canvas.js sends the click's data coordinates as the element's trigger; ui/canvas_edits.py
records the edit): while the run plays,
the status line's count of training points grows by one, the run goes on from its step (no reset, the play loop
carries on), the point is drawn where the click was, and the link carries the edit."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.pictures import frame_data as fd
from core.pictures.render import CLASS_COLOURS
from core.data.edits import parse_edits
from tests.support import key_button, pause_2d
from tests.test_browser_canvas import FRAME_JS, IDLE_JS, STEP_ABOVE_JS, WAIT_MS, open_page, pixels, train_and_pause

pytestmark = pytest.mark.browser

LINK = "/playground_2d?dataset=blobs&model=logistic&optimizer=sgd&lr=0.1&n_samples=60&speed=slow&seed=0"
STATUS_JS = """() => { const e = document.getElementById('epoch-counter');
  return e ? {step: +e.dataset.step, n: +e.dataset.nTrain, edited: +e.dataset.edited} : null; }"""
GREW_JS = ("(n) => { const e = document.getElementById('epoch-counter');"
           " return !!e && +e.dataset.nTrain === n + 1 && +e.dataset.edited === 1; }")
# What the page shows when the steps stop moving after a click (said in the failure)
STALLED_JS = """() => ({counters: document.querySelectorAll('#epoch-counter').length,
  step: (document.getElementById('epoch-counter') || {dataset: {}}).dataset.step,
  canvases: document.querySelectorAll('.live-canvas').length,
  frames: (document.getElementById('boundary-live') || {dataset: {}}).dataset.frames,
  script: (document.querySelector('[data-testid="stApp"]') || {getAttribute: () => null}).getAttribute('data-test-script-state'),
  stale: document.querySelectorAll('[data-stale="true"]').length, url: location.search})"""
# Counts the page's elements marked stale from now on: a new script run (a rerun) marks the elements it redraws
STALE_WATCH_JS = """() => { window.__staled = 0; new MutationObserver((changes) => {
  for (const c of changes) if (c.target.getAttribute('data-stale') === 'true') window.__staled++; })
  .observe(document.body, {attributes: true, attributeFilter: ['data-stale'], subtree: true}); }"""
DRAWN_JS = ("(n) => { const c = document.getElementById('boundary-live');"
            " return !!c && !!c.__frame && !!c.__frame.static.train && c.__frame.static.train.n === n + 1; }")


def pause(page) -> None:
    """Press Pause until the page is idle (tests.support.pause_2d)."""
    pause_2d(page, IDLE_JS, timeout_ms=WAIT_MS)


def empty_spot(static) -> np.ndarray:
    """A layout point inside the plot, at least 25 px from every point."""
    points = np.concatenate([fd.decode_points(static["train"]), fd.decode_points(static["test"])])
    L, T, PW, PH = static["plot"]
    for fx in np.linspace(0.15, 0.85, 15):
        for fy in np.linspace(0.15, 0.85, 15):
            p = np.array([L + fx * PW, T + fy * PH])
            if np.hypot(*(points - p).T).min() > 25:
                return p
    raise AssertionError("no empty spot in the plot")


def test_a_click_on_the_playing_boundary_adds_a_point_there(server, new_page):
    page = open_page(new_page, server[0], LINK, scale=1.0)
    train_and_pause(page, 5)  # a frame drawn by the play loop, then paused: the points are known
    frame = page.evaluate(FRAME_JS)
    static = frame["static"]
    n, grid_before = static["train"]["n"], frame["grid"]["p"]
    spot = empty_spot(static)
    canvas = page.locator("#boundary-live")
    box = canvas.bounding_box()
    k = box["width"] / static["w"]
    key_button(page, "p2d.play_button").click()  # playing again: the click must not stop the loop
    before = page.evaluate(STATUS_JS)
    page.wait_for_function(STEP_ABOVE_JS, arg=before["step"] + 5, timeout=WAIT_MS)
    page.evaluate(STALE_WATCH_JS)
    canvas.click(position={"x": float(spot[0] * k), "y": float(spot[1] * k)})
    page.wait_for_function(GREW_JS, arg=n, timeout=WAIT_MS)
    at_edit = page.evaluate(STATUS_JS)
    assert at_edit["step"] >= before["step"]  # no reset
    try:  # still playing
        page.wait_for_function(STEP_ABOVE_JS, arg=at_edit["step"] + 10, timeout=WAIT_MS)
    except PlaywrightTimeout:
        raise AssertionError(f"the play loop stopped after the click: {page.evaluate(STALLED_JS)}") from None
    assert int(page.locator("#boundary-live").get_attribute("data-clicks")) == 1
    # the play loop took the click between two frames: the link and the count under the picture say it, and no
    # script ran again for it (a rerun would have marked the picture's elements stale, and cost frames)
    page.wait_for_function("() => location.search.includes('edits=a')", timeout=WAIT_MS)
    tally = page.locator("[data-testid='stMain'] .st-key-w2d-edits-live")
    tally.get_by_text("1 of at most 50 edits").wait_for(timeout=WAIT_MS)
    assert tally.get_by_role("button", name="Clear the edits").is_visible()
    assert page.evaluate("window.__staled") == 0
    pause(page)
    page.wait_for_function(DRAWN_JS, arg=n, timeout=WAIT_MS)
    frame = page.evaluate(FRAME_JS)
    assert frame["grid"]["p"] != grid_before and frame["step"] > at_edit["step"]  # the boundary moved on
    train = fd.decode_points(frame["static"]["train"])
    assert np.hypot(*(train[-1] - spot)) < 1.5  # the new point is where the click was (layout px)
    assert fd.unbits(frame["static"]["train"]["edit"], n + 1)[-1]
    # its disc is drawn there, in class 0's colour (the sidebar's default class)
    centre = pixels(page, [train[-1]], page.evaluate("() => document.getElementById('boundary-live').width")
                    / frame["static"]["w"])[0]
    assert np.abs(centre - np.array(CLASS_COLOURS[0][:3])).max() < 40, centre
    assert "edits=a" in page.url


REG_IDLE_JS = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
               " return !!document.getElementById('reg-counter') && !!document.getElementById('reg-fit')"
               " && !!document.getElementById('reg-fit').__frame && !!a"
               " && a.getAttribute('data-test-script-state') === 'notRunning'"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0; }")
REG_GREW_JS = "(n) => { const e = document.getElementById('reg-counter'); return !!e && +e.dataset.nTrain === n + 1; }"


def test_a_click_on_the_regression_fit_adds_a_point_where_it_fell(server, new_page):
    page = new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server[0] + "/regression?dataset=linear&model=linear&n_samples=40&seed=0")
    page.wait_for_function(REG_IDLE_JS, timeout=90_000)
    frame = page.evaluate("() => document.getElementById('reg-fit').__frame")
    n = int(page.evaluate("() => +document.getElementById('reg-counter').dataset.nTrain"))
    L, T, PW, PH = frame["plot"]
    x0, x1, y0, y1 = frame["bounds"]
    canvas = page.locator("#reg-fit")
    k = canvas.bounding_box()["width"] / frame["w"]
    spot = (L + 0.5 * PW, T + 0.1 * PH)  # high above the line: an outlier by hand
    canvas.click(position={"x": spot[0] * k, "y": spot[1] * k})
    page.wait_for_function(REG_GREW_JS, arg=n, timeout=WAIT_MS)
    page.wait_for_function(REG_IDLE_JS, timeout=WAIT_MS)
    frame = page.evaluate("() => document.getElementById('reg-fit').__frame")
    want_x, want_y = x0 + 0.5 * (x1 - x0), y1 - 0.1 * (y1 - y0)
    (edit,) = parse_edits(parse_qs(urlsplit(page.url).query)["edits"][0], regression=True)
    assert abs(edit.x - want_x) < 0.01 * (x1 - x0) and abs(edit.y - want_y) < 0.01 * (y1 - y0)
    assert frame["info"]["points"] == frame["points"]["n"] and frame["info"]["outliers"] >= 1


def test_a_tap_on_a_touch_screen_adds_a_point(server, new_page):
    """A tablet without keyboard or mouse: a tap is a pointer press and release in place, like a click."""
    page = open_page(lambda **kw: new_page(**kw, has_touch=True), server[0], LINK, scale=1.0)
    frame = page.evaluate(FRAME_JS)
    static = frame["static"]
    n, spot = static["train"]["n"], empty_spot(static)
    box = page.locator("#boundary-live").bounding_box()
    k = box["width"] / static["w"]
    page.touchscreen.tap(box["x"] + float(spot[0] * k), box["y"] + float(spot[1] * k))
    page.wait_for_function(GREW_JS, arg=n, timeout=WAIT_MS)
    assert "edits=a" in page.url
