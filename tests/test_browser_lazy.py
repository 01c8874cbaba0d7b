"""Lazy views in a real headless Chromium: a closed expander's charts are not built on the server,
and opening it builds them (one rerun). Readiness is an on-page marker, never a sleep."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from tests.support import IDLE_2D_JS as IDLE_JS

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
CHARTS_JS = "(n) => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length === n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_2d_interactive_curves_are_built_only_when_opened(page, server, lang):
    page.goto(f"{server[0]}/playground_2d?lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["p2d.interactive_curves"][lang]).click()
    page.wait_for_function(CHARTS_JS, arg=2, timeout=WAIT_MS)  # loss and accuracy, built by the rerun
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_click_on_a_lazy_section_toggles_it(page, server, lang):
    """Open, close, open, close: the charts come and go with each click (a section whose identity changed with
    its open state once ignored every second click), and a language switch keeps it open."""
    page.goto(f"{server[0]}/playground_2d?lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    header = page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["p2d.interactive_curves"][lang])
    for click in range(4):
        header.click()
        page.wait_for_function(CHARTS_JS, arg=2 if click % 2 == 0 else 0, timeout=WAIT_MS)
        page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    header.click()  # open again, then the other language: still open, its charts built
    page.wait_for_function(CHARTS_JS, arg=2, timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    other = "zh" if lang == "en" else "en"
    page.locator('[data-testid="stSidebar"]').get_by_text("中文" if other == "zh" else "English", exact=True).click()
    page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["p2d.interactive_curves"][other]).wait_for(
        timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    page.wait_for_function(CHARTS_JS, arg=2, timeout=WAIT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
