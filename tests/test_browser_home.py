"""The landing page (app.py) in a real headless Chromium: title, language switch, navigation, the
path of lessons (pictures loaded, in order, "Start here" on the first)."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from core.lessons.presets import LESSON_PATH

try:
    from playwright.sync_api import expect
except ImportError:  # the session fixtures skip these tests (or fail them under REQUIRE_BROWSER=1)
    expect = None

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000


# Each lesson card (container key "lesson-card-<key>") in page order: its key, its pictures'
# natural widths (0 until decoded) and its text.
CARDS_JS = """
() => Array.from(document.querySelectorAll('[class*="st-key-lesson-card-"]')).map(card => ({
  key: Array.from(card.classList).find(c => c.startsWith('st-key-lesson-card-')).slice('st-key-lesson-card-'.length),
  widths: Array.from(card.querySelectorAll('img')).map(img => img.complete ? img.naturalWidth : 0),
  text: card.innerText,
}))
"""
ALL_PICTURES_JS = ("(n) => { const imgs = document.querySelectorAll('[class*=\"st-key-lesson-card-\"] img');"
                   " return imgs.length === n && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0); }")


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


def check_path(page, lang: str) -> None:
    for key in LESSON_PATH:  # pictures below the fold load once scrolled to
        page.locator(f".st-key-lesson-card-{key}").scroll_into_view_if_needed()
    page.wait_for_function(ALL_PICTURES_JS, arg=len(LESSON_PATH), timeout=WAIT_MS)
    cards = page.evaluate(CARDS_JS)
    assert [c["key"] for c in cards] == list(LESSON_PATH)
    for number, (card, key) in enumerate(zip(cards, LESSON_PATH), start=1):
        assert card["widths"] == [320], (key, card["widths"])  # its thumbnail, decoded at full size
        assert STRINGS[f"preset.{key}.title"][lang] in card["text"], key
        assert STRINGS["home.path.step"][lang].format(n=number) in card["text"], key
        assert (STRINGS["home.path.start"][lang] in card["text"]) == (number == 1), key


def test_home_path_of_lessons_in_english_and_chinese(server, page):
    base, _ = server
    page.goto(base)
    heading(page, STRINGS["app.title"]["en"]).wait_for(timeout=LOAD_MS)
    check_path(page, "en")
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("中文", exact=True).click()
    heading(page, STRINGS["app.title"]["zh"]).wait_for(timeout=WAIT_MS)
    page.get_by_text(STRINGS["home.path.start"]["zh"]).first.wait_for(timeout=WAIT_MS)
    check_path(page, "zh")
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_lessons_open_buttons_are_on_a_1280x720_screen(server, new_page, lang):
    page = new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server[0]}/?lang={lang}")
    page.wait_for_function(ALL_PICTURES_JS, arg=len(LESSON_PATH), timeout=LOAD_MS)
    for key in LESSON_PATH[:4]:  # the first row
        button = page.locator(f".st-key-preset-{key} button:visible").first
        box = button.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720, (key, box)
        assert button.inner_text().strip() == STRINGS["home.open_preset"][lang]
