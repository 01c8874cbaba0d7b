"""At 1280×720 with the sidebar open, no button or toggle of a live page is cut: each label's text fits its
button beside the keyboard hint Streamlit draws in it ("Space", "→"), in English and 中文."""
from __future__ import annotations

import pytest

from tests.support import CUT_LABELS_JS

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
SCREEN = {"width": 1280, "height": 720}
PAGES = {"playground_2d": "#epoch-counter", "regression": "#reg-counter", "compare": "#compare-counter",
         "mnist": "#mnist-counter"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", list(PAGES))
def test_no_control_label_is_cut_at_1280x720(server_with_data, new_page, path, lang):
    page = new_page(viewport=SCREEN)
    page.goto(f"{server_with_data}/{path}?lang={lang}")
    page.wait_for_selector(PAGES[path], timeout=LOAD_MS)
    page.locator('[data-testid="stMain"] [data-testid="stButton"] button').first.wait_for(timeout=LOAD_MS)
    page.wait_for_function("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=LOAD_MS)
    buttons = page.evaluate(CUT_LABELS_JS)
    assert buttons, "no buttons found"
    cut = [b["text"] for b in buttons if b["cut"]]
    assert not cut, f"cut at 1280×720: {cut}"
