"""Streamlit's own navigation over the page registry (core/app/pages.py), in a real Chromium: every
page listed with its title in the reader's language, stable addresses, and each page opens."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from core.app.pages import PAGES

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
# Streamlit's own marker of a finished script run, and nothing left over from the previous page.
IDLE_JS = ("() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
           " === 'notRunning' && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
HEADINGS = {"2d": "p2d.title", "mnist": "mn.title", "compare": "cmp.title", "lab": "lab.title", "runs": "runs.title",
            "regression": "reg.title"}
# The sidebar's page links' titles (icons are separate elements: the last line is the title).
NAV_TITLES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stPageLink"] a'))
  .map(a => a.innerText.trim().split('\\n').pop().trim())"""


def nav_titles(page, lang: str) -> None:
    wanted = [STRINGS[p.title_key][lang] for p in PAGES]
    page.wait_for_function(f"(w) => JSON.stringify(({NAV_TITLES_JS})()) === JSON.stringify(w)",
                           arg=wanted, timeout=WAIT_MS)


def test_navigation_lists_every_page_in_the_readers_language(server, page):
    base, _ = server
    page.goto(base)
    page.get_by_role("heading", name=STRINGS["app.title"]["en"], exact=True).wait_for(timeout=LOAD_MS)
    nav_titles(page, "en")
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name=STRINGS["app.title"]["zh"], exact=True).wait_for(timeout=WAIT_MS)
    nav_titles(page, "zh")
    # Each page by its title; its address is the registry's, whatever the language.
    # (Also a session that starts on another page than home lists the same titles.)
    for info in PAGES[1:]:
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a').filter(has_text=STRINGS[info.title_key]["zh"]).click()
        page.wait_for_url(f"**/{info.url_path}*", timeout=LOAD_MS)
        page.get_by_role("heading", name=STRINGS[HEADINGS[info.key]]["zh"], exact=True).first.wait_for(timeout=WAIT_MS)
        page.wait_for_function(IDLE_JS, timeout=LOAD_MS)  # the page's run is over (MNIST loads its data)
        assert page.locator('[data-testid="stException"]').count() == 0, info.key
        nav_titles(page, "zh")


def test_a_session_that_starts_on_a_page_lists_the_same_titles(server, page):
    base, _ = server
    page.goto(f"{base}/runs?lang=zh")
    page.get_by_role("heading", name=STRINGS["runs.title"]["zh"], exact=True).wait_for(timeout=LOAD_MS)
    nav_titles(page, "zh")
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # Streamlit's own menu stays hidden
