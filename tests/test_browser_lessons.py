"""A lesson in a real headless Chromium: open it from the landing page, see its banner, Step once.

Readiness is an on-page marker (#epoch-counter, its data-step, the banner's text), never a sleep.
"""
from __future__ import annotations

import re

import pytest

from core.i18n import STRINGS
from tests.support import button_label, key_button, open_lesson_in_browser, read_counter_step

pytestmark = pytest.mark.browser

LOAD_MS = 90_000  # first page load on a busy 2-core machine
WAIT_MS = 45_000
KEY = "relu_pieces"
TITLE = STRINGS[f"preset.{KEY}.title"]["en"]
WATCH = STRINGS[f"preset.{KEY}.watch"]["en"]
# The script run is over: the counter is shown and no element is stale.
RUN_DONE_JS = ("() => !!document.querySelector('#epoch-counter')"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
STEP_IS_JS = ("(n) => { const e = document.querySelector('#epoch-counter');"
              " return !!e && +e.dataset.step === n; }")


def test_lesson_opens_with_its_banner_and_step_is_one_step(server, page):
    open_lesson_in_browser(page, server[0], KEY, LOAD_MS, WAIT_MS)

    page.wait_for_url(re.compile(r"/playground_2d(\?|$)"), timeout=LOAD_MS)
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    banner = page.locator(".st-key-lesson-banner-2d")
    banner.get_by_text(f"Lesson: {TITLE}").wait_for(timeout=WAIT_MS)
    assert WATCH in banner.inner_text()
    assert banner.get_by_role("button", name=STRINGS["lesson.reset"]["en"], exact=True).count() == 1
    assert banner.get_by_role("button", name=STRINGS["lesson.back"]["en"], exact=True).count() == 1
    assert "speed=slow" in page.url  # the lesson opens at a speed a person can watch
    assert read_counter_step(page, "epoch-counter", 10.0) == 0

    step = key_button(page, "p2d.step_button")  # its name also holds the shortcut's hint
    assert button_label(step).inner_text() == STRINGS["ctl.step"]["en"]
    step.click()
    page.wait_for_function(STEP_IS_JS, arg=1, timeout=WAIT_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    assert read_counter_step(page, "epoch-counter", 10.0) == 1  # exactly one step, not a frame's worth
    assert banner.get_by_text(f"Lesson: {TITLE}").count() == 1  # the banner stays while the class works
