"""The Loss lab in a real headless Chromium: the page loads from its address with a link's settings,
its charts render and show values on hover, and switching to 中文 retitles it and keeps the settings
in the address bar."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from core.i18n import STRINGS
from core.app.pages import page as page_info

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
# Drawn Vega charts in the visible (first) tab: a canvas with a size, or an SVG with marks.
DRAWN_CHARTS_JS = """(n) => Array.from(document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks'))
  .filter(el => el.getBoundingClientRect().width > 100 && el.getBoundingClientRect().height > 100).length >= n"""


def heading(page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def test_loss_lab_loads_draws_charts_and_switches_to_chinese(server, page):
    base, _ = server
    page.goto(f"{base}/{page_info('lab').url_path}?losses=hinge,exponential&score_p=0.3")
    heading(page, STRINGS["lab.title"]["en"]).wait_for(timeout=LOAD_MS)
    page.get_by_role("tab", name=STRINGS["lab.tab.margin"]["en"]).wait_for(timeout=WAIT_MS)
    page.wait_for_function(DRAWN_CHARTS_JS, arg=4, timeout=WAIT_MS)  # loss, pull, multiclass loss, weight
    # the link's losses are the multiselect's chips
    chips = page.locator('[class*="st-key-lab-losses"] .react-aria-ComboBox [data-tag] span[title]')
    chips.first.wait_for(timeout=WAIT_MS)
    assert [c.get_attribute("title") for c in chips.all()] == [STRINGS["loss.hinge.name"]["en"],
                                                            STRINGS["loss.exponential.name"]["en"]]
    # hover shows the values: Vega's tooltip names the margin axis
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.filter(has_text=STRINGS["lab.margin.axis_m"]["en"]).wait_for(timeout=WAIT_MS)
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("中文", exact=True).click()
    heading(page, STRINGS["lab.title"]["zh"]).wait_for(timeout=WAIT_MS)
    page.get_by_role("tab", name=STRINGS["lab.tab.score"]["zh"]).wait_for(timeout=WAIT_MS)
    page.wait_for_function(DRAWN_CHARTS_JS, arg=4, timeout=WAIT_MS)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh'", timeout=WAIT_MS)
    query = parse_qs(urlparse(page.url).query)
    assert query["losses"] == ["hinge,exponential"] and query["score_p"] == ["0.3"]
    assert page.locator('[data-testid="stException"]').count() == 0
