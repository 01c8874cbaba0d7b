"""The landing page (app.py) in a real headless Chromium: title, language switch, navigation."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS

try:
    from playwright.sync_api import expect
except ImportError:  # the session fixtures skip these tests (or fail them under REQUIRE_BROWSER=1)
    expect = None

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000


def heading(page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def test_home_language_switch_and_link_to_2d(server, page):
    base, _ = server
    page.goto(base)
    heading(page, STRINGS["app.title"]["en"]).wait_for(timeout=LOAD_MS)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("link", name=STRINGS["nav.2d"]["en"])).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0

    # Language radio in the sidebar: 中文 -> every text on the page switches.
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("中文", exact=True).click()
    heading(page, STRINGS["app.title"]["zh"]).wait_for(timeout=WAIT_MS)
    expect(heading(page, STRINGS["app.title"]["en"])).to_have_count(0)
    expect(page.get_by_text(STRINGS["home.intro"]["zh"]).first).to_be_visible()

    # The page link in the main area leads to the live 2D page (still in Chinese).
    main.get_by_role("link", name=STRINGS["nav.2d"]["zh"]).click()
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    assert "/playground_2d" in page.url
    heading(page, STRINGS["p2d.title"]["zh"]).wait_for(timeout=WAIT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
