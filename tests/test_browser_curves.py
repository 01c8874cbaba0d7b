"""Curves in Chinese: in a real Chromium the live curves' titles and legend are HTML next to
the image, so after switching to 中文 they read in Chinese (PIL would have drawn empty boxes)."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from tests.test_browser_language import (LOAD_MS, RUN_DONE_JS, WAIT_MS, assert_no_exception, key_button,
                                         step_above, switch_language)

pytestmark = pytest.mark.browser

LEGEND_JS = ("(want) => { const e = document.querySelectorAll('.curve-legend, .curve-title');"
             " const t = Array.from(e).map(x => x.innerText).join(' | ');"
             " return want.every(w => t.includes(w)); }")


def wait_curve_text(page, words: list[str]) -> None:
    page.wait_for_function(LEGEND_JS, arg=words, timeout=WAIT_MS)


def test_2d_curve_legend_follows_the_language(server, page):
    page.goto(f"{server[0]}/playground_2d")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=WAIT_MS)
    en = [STRINGS[k]["en"] for k in ("metric.train_loss", "metric.test_loss", "metric.test_acc", "curves.x_steps")]
    wait_curve_text(page, en)
    key_button(page, "p2d.step_button").click()
    step_above(page, "2d", 0)

    switch_language(page, "中文", "2d", "zh")
    zh = [STRINGS[k]["zh"] for k in ("metric.train_loss", "metric.test_loss", "metric.test_acc", "curves.x_steps")]
    wait_curve_text(page, zh)
    legend = page.locator(".curve-legend").first.inner_text()
    assert STRINGS["metric.train_loss"]["en"] not in legend
    # the log-axis checkbox, labelled in Chinese, switches the live curves' axis
    page.get_by_text(STRINGS["curves.log_x"]["zh"], exact=True).click()
    wait_curve_text(page, [STRINGS["curves.log_on"]["zh"]])
    page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=WAIT_MS)
    assert_no_exception(page)
