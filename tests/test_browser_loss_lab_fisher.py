"""Loss lab sections 3-4 in a real headless Chromium: the Fisher preset button loads p = (0.4, 0.3, 0.3)
and the one-vs-all hinge's three-way tie appears; the worked examples show their hand-checked numbers."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from core.i18n import STRINGS
from core.app.pages import page as page_info

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
# Vega charts drawn with a size: only the open tab's (the page builds no other)
DRAWN_CHARTS_JS = """(n) => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks'))
  .filter(el => el.getBoundingClientRect().width > 100 && el.getBoundingClientRect().height > 100).length >= n"""


def en(key: str, **fields) -> str:
    return STRINGS[key]["en"].format(**fields)


def test_fisher_preset_and_worked_examples(server, page):
    base, _ = server
    page.goto(f"{base}/{page_info('lab').url_path}")
    page.get_by_role("tab", name=en("lab.fisher.title")).click(timeout=LOAD_MS)
    # the page builds only the open tab: the click reruns it, and the link names the tab
    page.wait_for_function("() => new URLSearchParams(location.search).get('section') === 'fisher'",
                           timeout=WAIT_MS)
    page.get_by_role("button", name=en("lab.fisher.preset")).click(timeout=WAIT_MS)
    # the summary line of the charted loss (the one-vs-all hinge by default), bold name stripped
    tie = f"f* = (-1.000, -1.000, -1.000); argmax f* = 1, 2, 3, argmax p = 1: {en('lab.fisher.verdict.tie')}"
    page.get_by_text(tie).wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => new URLSearchParams(location.search).get('fisher_p1') === '0.4'", timeout=WAIT_MS)
    assert parse_qs(urlparse(page.url).query)["fisher_p2"] == ["0.3"]
    page.wait_for_function(DRAWN_CHARTS_JS, arg=1, timeout=WAIT_MS)  # f* beside log p

    page.get_by_role("tab", name=en("lab.ex.title")).click(timeout=WAIT_MS)
    metrics = page.locator('[data-testid="stMetric"]')
    metrics.filter(has_text=en("lab.ex.cls.mistake")).get_by_text("0.4753", exact=True).wait_for(timeout=WAIT_MS)
    shown = {label: metrics.filter(has_text=label).locator('[data-testid="stMetricValue"]').inner_text().strip()
             for label in (en("lab.ex.reg.mse"), en("lab.ex.reg.half_mse"), en("lab.ex.reg.mae"),
                           en("lab.ex.cls.mean_ce"))}
    assert list(shown.values()) == ["0.028", "0.014", "0.16", "0.2899"]
    # back to the Fisher tab: the preset's p is still there (its widgets were not drawn meanwhile)
    page.get_by_role("tab", name=en("lab.fisher.title")).click(timeout=WAIT_MS)
    page.get_by_text(tie).wait_for(timeout=WAIT_MS)
    assert parse_qs(urlparse(page.url).query)["fisher_p1"] == ["0.4"]
    assert page.locator('[data-testid="stException"]').count() == 0
