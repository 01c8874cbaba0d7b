"""The 2D playground in a real headless Chromium against `streamlit run app.py`.

One server for the whole session (conftest `server`); every test opens fresh pages.
Readiness is always an on-page marker (#epoch-counter, its data-step, the live canvas and images),
never a fixed sleep; the only sleeps are short pauses inside polling loops with a deadline.
"""
from __future__ import annotations

import re
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the session fixtures skip these tests (or fail them under REQUIRE_BROWSER=1)
    expect = None

from tests.support import (FRAME_COUNTER_JS, counter_step_js, cpu_seconds, key_button, labelled_button,
                           read_counter_step)

pytestmark = pytest.mark.browser

LOAD_MS = 90_000  # first page load on a busy 2-core machine (imports, first run, first frame)
WAIT_MS = 45_000

# #epoch-counter is replaced on every frame and missing for a moment during reruns: null-safe reads.
STEP_JS = counter_step_js("epoch-counter")
STEP_ABOVE_JS = ("(n) => { const e = document.querySelector('#epoch-counter');"
                 " return !!e && +e.dataset.step > n; }")
# The script run is over: the counter is shown and no element is marked stale. Never true while
# playing (one endless run, in which elements it has not redrawn stay stale).
RUN_DONE_JS = ("() => !!document.querySelector('#epoch-counter')"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
# Watches data-step on every animation frame and counts decreases (a reset shows as one).
STEP_WATCH_JS = """
() => {
  window.__steps = {last: null, decreases: 0, seen: 0};
  const tick = () => {
    const e = document.querySelector('#epoch-counter');
    if (e) {
      const s = +e.dataset.step, w = window.__steps;
      if (w.last !== null && s < w.last) w.decreases++;
      w.last = s; w.seen++;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""
STATUS_JS = "() => { const e = document.querySelector('#epoch-counter'); return e ? e.textContent : null; }"
LR_IS_JS = ("(lr) => { const e = document.querySelector('#epoch-counter');"
            " return !!e && e.textContent.trim().endsWith('learning rate ' + lr); }")


def open_2d(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/playground_2d{query}")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_selector("#boundary-live", timeout=WAIT_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)  # the first script run is complete


def step_of(page) -> int | None:
    return page.evaluate(STEP_JS)


def wait_step_above(page, n: int, timeout: float = WAIT_MS) -> int:
    page.wait_for_function(STEP_ABOVE_JS, arg=n, timeout=timeout)
    return read_step(page)


def read_step(page, timeout: float = 10.0) -> int:
    return read_counter_step(page, "epoch-counter", timeout)


def button(page, key: str, label: str):
    """The button of widget key `key`, once it reads `label` (its accessible name also holds the
    shortcut's hint, so it is found by key, not by name)."""
    return labelled_button(page, key, label, WAIT_MS)


def toggle(page):
    """The Play/Pause button, found by its widget key (`button` also checks its label)."""
    return key_button(page, "p2d.play_button")


def play(page) -> None:
    """Press ▶ Play and wait until training visibly runs."""
    start = read_step(page)
    toggle(page).click()
    wait_step_above(page, start)


def pause_and_check_stopped(page, watch_s: float = 1.5) -> int:
    """Press the Play/Pause button while playing, wait for the resulting (paused) script run to
    finish, then check that the step counter stays put for `watch_s` seconds; return it."""
    button(page, "p2d.play_button", "Pause").click()
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    button(page, "p2d.play_button", "Play")  # the button offers Play again
    paused = read_step(page)
    deadline = time.monotonic() + watch_s
    while time.monotonic() < deadline:  # watch the counter for a while: it must not move
        assert read_step(page) == paused, "the step counter moved after Pause"
        time.sleep(0.1)
    return paused


def status_lr(page) -> str:
    text = None
    deadline = time.monotonic() + 10
    while text is None:
        text = page.evaluate(STATUS_JS)
        if text is None:
            assert time.monotonic() < deadline, "#epoch-counter did not come back"
            time.sleep(0.05)
    m = re.search(r"learning rate (\S+)\s*$", text)
    assert m, f"no learning rate in the status text: {text!r}"
    return m.group(1)


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"Streamlit exception on the page: {exc.first.inner_text()[:2000]}"


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


# ---------------------------------------------------------------------------------------------


def test_play_animates_lr_change_applies_live_and_pause_stops(server, page):
    base, _ = server
    open_2d(page, base)
    assert step_of(page) == 0
    assert_no_exception(page)

    page.evaluate(FRAME_COUNTER_JS, "boundary-live")
    button(page, "p2d.play_button", "Play").click()
    # The boundary canvas really changes on screen (its pixels, not just its frame count).
    page.wait_for_function("() => window.__frames && window.__frames.changes >= 3", timeout=WAIT_MS)
    s1 = wait_step_above(page, 0)
    s2 = wait_step_above(page, s1)
    assert s2 > s1 > 0

    # Move the learning-rate select_slider with the keyboard while the run is playing.
    page.evaluate(STEP_WATCH_JS)
    lr_before = status_lr(page)
    assert lr_before == "0.01"  # the default
    # Streamlit 1.67's slider thumb is an <input type="range">: role "slider" implicitly, so
    # get_by_role (ARIA roles), not the CSS [role="slider"], finds it.
    thumb = (sidebar(page).locator('[data-testid="stSlider"]').filter(has_text="Learning rate")
             .get_by_role("slider"))
    thumb.focus()
    thumb.press("ArrowRight")
    page.wait_for_function(LR_IS_JS, arg="0.03", timeout=WAIT_MS)
    after_right = read_step(page)
    assert after_right >= s2, "changing the learning rate reset the run"
    thumb.focus()
    thumb.press("ArrowLeft")
    thumb.press("ArrowLeft")
    page.wait_for_function(LR_IS_JS, arg="0.003", timeout=WAIT_MS)
    s3 = read_step(page)
    assert s3 >= after_right, "changing the learning rate reset the run"
    # Still playing with the new rate: the counter keeps growing, no reset to 0 on the way.
    s4 = wait_step_above(page, s3 + 20)
    assert s4 > s3
    watch = page.evaluate("window.__steps")
    assert watch["seen"] > 0 and watch["decreases"] == 0, f"the step counter went back: {watch}"
    assert_no_exception(page)

    # Pause: the counter stops.
    paused = pause_and_check_stopped(page)
    assert paused >= s4
    assert_no_exception(page)


def test_closed_tab_stops_training(server, page):
    base, proc = server
    open_2d(page, base)
    play(page)
    s = wait_step_above(page, 30)
    wait_step_above(page, s + 30)  # training for real
    # The yardstick: the server's CPU per wall second while this tab plays, on this machine now
    # (no figure in seconds: a slower or faster machine moves both sides alike).
    c0, t0 = cpu_seconds(proc.pid), time.monotonic()
    wait_step_above(page, read_step(page) + 300)
    busy = (cpu_seconds(proc.pid) - c0) / (time.monotonic() - t0)
    assert busy > 0, "the server used no CPU while training"
    page.close()

    deadline = time.monotonic() + 10  # a give-up bound: stopping takes a frame or two
    rates = []
    while True:
        c0, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(2.0)  # one measuring window inside the polling loop
        rates.append((cpu_seconds(proc.pid) - c0) / (time.monotonic() - t0))
        if rates[-1] < busy / 4 or time.monotonic() > deadline:
            break
    assert rates[-1] < busy / 4, (f"the server kept training after the tab closed: {rates} cores per 2 s window "
                                  f"(while playing: {busy:.2f})")
    print(f"server CPU while playing {busy:.2f} cores, after closing the tab {rates}")


def test_second_session_steps_while_first_plays(server, new_page):
    base, _ = server
    a = new_page()
    open_2d(a, base)
    play(a)
    a_step = wait_step_above(a, 20)

    b = new_page()  # its own browser context: its own Streamlit session
    open_2d(b, base)
    assert step_of(b) == 0
    button(b, "p2d.step_button", "Step").click()
    b.wait_for_function(STEP_ABOVE_JS, arg=0, timeout=WAIT_MS)
    b_step = read_step(b)
    assert b_step > 0

    # A kept playing the whole time and still does.
    a_later = wait_step_above(a, a_step)
    assert a_later > a_step
    assert_no_exception(a)
    assert_no_exception(b)


def choose_dataset(page, label: str) -> None:
    box = sidebar(page).locator('[data-testid="stSelectbox"]').filter(has_text="Data set")
    box.locator('[role="combobox"], input').first.click()
    page.get_by_role("option", name=label, exact=True).click()

