"""WCAG 2.1 A and AA on every page, checked by axe-core (the engine of most accessibility audits) in a
real Chromium at 1280×720: both languages, a lesson open, playing and paused, every side view and every
lazy section open once. A failure names the rule and the elements. Vega's chart internals (thousands of
SVG nodes, minutes of axe time) are left out of the scan; each chart's own label is checked instead."""
from __future__ import annotations

import pytest

from core.app.pages import PAGES
from tests.support import key_button, pause_2d

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IDLE_JS = ("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'notRunning'"
           " && document.querySelectorAll('[data-stale=\"true\"]').length === 0"
           # widgets whose code is still loading are drawn as skeletons: not yet what a person meets
           " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
           " && !!document.querySelector('[data-testid=\"stSidebar\"]')")
STEP_ABOVE_JS = "(n) => { const e = document.getElementById('epoch-counter'); return !!e && +e.dataset.step > n; }"


def axe_violations(page) -> list[str]:
    """'rule (impact): element … — what is wrong' for each element axe finds against WCAG 2.1 A/AA."""
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page, context={"exclude": [[".vega-embed"]]},
                       options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = []
    for rule in result.response["violations"]:
        for node in rule["nodes"]:
            checks = node["any"] or node["all"] or node["none"]
            why = checks[0]["message"] if checks else rule["help"]
            found.append(f'{rule["id"]} ({rule["impact"]}): {node["html"][:160]} — {why}')
    return found


def charts_without_label(page) -> int:
    """Vega charts without a description of their own (Vega's default name says nothing of the chart)."""
    return page.evaluate("""() => [...document.querySelectorAll('.vega-embed')].filter(v =>
        !v.getAttribute('aria-label') || v.getAttribute('aria-label') === 'Vega visualization').length""")


def open_idle(new_page, base: str, query: str, marker: str | None = None):
    """The page at 1280×720, once `marker` (a CSS selector of the page's own element) is drawn and the
    script has finished."""
    page = new_page(viewport={"width": 1280, "height": 720})
    page.goto(base + query)
    if marker is not None:
        page.wait_for_selector(marker, timeout=LOAD_MS)
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    return page


def sampled(values, langs=("en", "zh")) -> list:
    """(value, language) for each value in both languages: make test takes one language per value, in turn,
    and `make test-a11y` all of them (the other half is marked exhaustive)."""
    return [pytest.param(v, lang, marks=() if (i % 2 == 0) == (lang == "en") else pytest.mark.exhaustive)
            for i, v in enumerate(values) for lang in langs]


def assert_accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {len(problems)} WCAG 2.1 AA violations:\n" + "\n".join(problems)
    assert charts_without_label(page) == 0, f"{where}: a chart without an accessible name"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page_info", PAGES, ids=lambda p: p.key)
def test_every_page_in_both_languages(server_with_data, new_page, page_info, lang):
    page = open_idle(new_page, server_with_data, f"/{page_info.url_path}?lang={lang}")
    assert_accessible(page, f"{page_info.key} ({lang})")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_2d_page_playing_then_paused_with_a_lesson_open(server_with_data, new_page, lang):
    page = open_idle(new_page, server_with_data, f"/playground_2d?lesson=logistic_line&lang={lang}", "#epoch-counter")
    assert page.locator('[class*="st-key-lesson-banner"]').count() >= 1
    key_button(page, "p2d.play_button").click()
    page.wait_for_function(STEP_ABOVE_JS, arg=20, timeout=WAIT_MS)
    assert_accessible(page, f"2D playing, lesson open ({lang})")
    key_button(page, "p2d.play_button").click()
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert_accessible(page, f"2D paused, lesson open ({lang})")


@pytest.mark.parametrize("query, lang", sampled(["model=logistic&side=params", "side=hidden", "side=units",
                                                  "side=network"]))
def test_2d_side_views(server_with_data, new_page, query, lang):
    page = open_idle(new_page, server_with_data, f"/playground_2d?{query}&lang={lang}", "#side-view")
    assert_accessible(page, f"2D {query} ({lang})")


@pytest.mark.parametrize("page_key, lang", sampled(["2d", "regression", "mnist", "compare"]))
def test_every_lazy_section_open(server_with_data, new_page, page_key, lang):
    """Each expander opened once (they build their contents only when open)."""
    page_info = next(p for p in PAGES if p.key == page_key)
    page = open_idle(new_page, server_with_data, f"/{page_info.url_path}?lang={lang}")
    summaries = page.locator('[data-testid="stMain"] details > summary')
    for i in range(summaries.count()):
        summary = summaries.nth(i)
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.click()
            page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert_accessible(page, f"{page_info.key} with every section open ({lang})")


FOCUSED_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const box = e.closest('[class*="st-key-"]');
  const key = box ? [...box.classList].find(c => c.startsWith('st-key-')) : null;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
  return {key, tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 60), ring}; }"""


def tab_to(page, wanted, limit: int = 150) -> list[dict]:
    """Press Tab until wanted(focused) holds; every element focused on the way, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        seen.append(focused)
        if focused is not None and wanted(focused):
            return seen
    raise AssertionError(f"not reached by {limit} Tabs; focused on the way: {seen}")


def pause_by_keyboard(page) -> None:
    """Enter on the focused Pause button, again should Streamlit drop it (tests.support.pause_2d)."""
    pause_2d(page, IDLE_JS, press=lambda: page.keyboard.press("Enter"), timeout_ms=WAIT_MS)


def test_keyboard_alone_reaches_and_runs_play_and_opens_a_section(server_with_data, new_page):
    page = open_idle(new_page, server_with_data, "/playground_2d", "#epoch-counter")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # Tab starts at the top
    seen = tab_to(page, lambda f: f["key"] == "st-key-p2d-play_button" and f["tag"] == "BUTTON")
    # the sidebar's settings come before the page's own controls, and every stop shows where it is
    assert any(f and f["key"] and f["key"].startswith("st-key-w2d") for f in seen), seen
    assert all(f["ring"] for f in seen if f and f["tag"] in ("BUTTON", "INPUT", "A", "SUMMARY")), \
        [f for f in seen if f and f["tag"] in ("BUTTON", "INPUT", "A", "SUMMARY") and not f["ring"]]
    step = int(page.locator("#epoch-counter").get_attribute("data-step") or 0)
    page.keyboard.press("Enter")  # Play
    page.wait_for_function(STEP_ABOVE_JS, arg=step + 10, timeout=WAIT_MS)
    assert page.evaluate(FOCUSED_JS)["key"] == "st-key-p2d-play_button", "Play lost the keyboard focus"
    pause_by_keyboard(page)
    # a lazy section: its summary is reached by Tab and opened by Enter
    tab_to(page, lambda f: f["tag"] == "SUMMARY" and f["key"] == "st-key-p2d-open_curves")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.querySelector('.st-key-p2d-open_curves details[open]')", timeout=WAIT_MS)


def test_keyboard_reaches_the_lesson_banner_buttons(server_with_data, new_page):
    page = open_idle(new_page, server_with_data, "/playground_2d?lesson=logistic_line", "#epoch-counter")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen = tab_to(page, lambda f: f["tag"] == "BUTTON" and (f["key"] or "").startswith("st-key-lesson"))
    assert seen[-1]["ring"], seen[-1]


LABEL_JS = "() => { const c = document.getElementById('boundary-live'); return [c.getAttribute('role'), c.getAttribute('aria-label')]; }"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_live_canvas_is_an_image_whose_words_follow_the_training(server_with_data, new_page, lang):
    from core.i18n import translate
    page = open_idle(new_page, server_with_data, f"/playground_2d?lang={lang}", "#epoch-counter")
    role, label = page.evaluate(LABEL_JS)
    opening = translate("a11y.boundary", lang, step="0", acc="—").split("0")[0]  # the words before the step
    assert role == "img" and label.startswith(opening), (role, label)
    key_button(page, "p2d.play_button").click()
    page.wait_for_function(STEP_ABOVE_JS, arg=50, timeout=WAIT_MS)
    key_button(page, "p2d.play_button").click()
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    step = int(page.locator("#epoch-counter").get_attribute("data-step"))
    acc = float(page.locator("#epoch-counter").get_attribute("data-test-acc"))
    # the last frame's words land within a second of it, paused or not
    expected = translate("a11y.boundary", lang, step=f"{step:,}", acc=f"{acc:.0%}")
    page.wait_for_function("(want) => document.getElementById('boundary-live').getAttribute('aria-label') === want",
                           arg=expected, timeout=5_000)
