"""The Regression page in a real headless Chromium: the fit and residual canvases drawn from data, live
while playing, the loss changed while playing without a reset, the inventory cost curve; English and 中文.
Readiness is an on-page marker, never a sleep."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from core.learning.regression_losses import REGRESSION_LOSSES
from tests.support import click_until, key_button, labelled_button, open_lesson_in_browser

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
IDLE_JS = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
           " return !!document.getElementById('reg-counter') && !!a"
           " && a.getAttribute('data-test-script-state') === 'notRunning'"
           " && document.querySelectorAll('[data-stale=\"true\"]').length === 0; }")
CANVAS_JS = """(id) => { const c = document.getElementById(id);
  return !!c && !!c.__frame ? {step: +c.dataset.step, frames: +c.dataset.frames, curves: (c.__frame.curves || []).length,
    points: c.__frame.info.points, w: c.width} : null; }"""
PAUSED_JS = ("() => { const e = document.getElementById('reg-counter');"
             " return !!e && e.dataset.playing === '0' && document.querySelectorAll('[data-stale=\"true\"]').length === 0; }")
STEP_ABOVE_JS = "(n) => { const e = document.getElementById('reg-counter'); return !!e && +e.dataset.step > n; }"
# share of a canvas's pixels that are not white: drawn points, curves and axes
INK_JS = """(id) => { const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
  return ink / (c.width * c.height); }"""

# Each formula on the page: its TeX, its full width (scrollWidth), the width it shows, the room its element has.
FORMULAS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] .katex-display')).map(k => ({
  tex: k.querySelector('annotation').textContent, width: k.scrollWidth, shown: k.clientWidth,
  room: k.closest('.stMarkdown').clientWidth}))"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_loss_formula_is_shown_whole_at_1280x720(new_page, server, lang):
    page = new_page(viewport={"width": 1280, "height": 720})
    for loss, spec in REGRESSION_LOSSES.items():
        page.goto(f"{server[0]}/regression?loss={loss}&lang={lang}")
        page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
        # KaTeX draws in the browser after the element arrives (its code loads on a page's first formula)
        page.wait_for_function(f"(tex) => ({FORMULAS_JS})().some(f => f.tex === tex)", arg=spec.formula,
                               timeout=WAIT_MS)
        formulas = page.evaluate(FORMULAS_JS)
        for f in formulas:
            assert f["width"] <= f["shown"] <= f["room"], (loss, f)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_fit_moves_while_playing_and_the_loss_changes_without_a_reset(page, server, lang):
    page.goto(f"{server[0]}/regression?dataset=linear&outlier_fraction=0.1&outlier_size=8&model=linear"
              f"&lr=0.03&lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_function(CANVAS_JS, arg="reg-fit", timeout=WAIT_MS)
    fit = page.evaluate(CANVAS_JS, "reg-fit")
    assert fit["step"] == 0 and fit["curves"] == 2 and fit["w"] > 0  # the truth and the fit
    assert page.evaluate(CANVAS_JS, "reg-residuals")["points"] > 0
    assert page.evaluate(INK_JS, "reg-fit") > 0.02
    assert STRINGS["reg.title"][lang] in page.locator("h1").first.inner_text()

    click_until(page, "reg.play_button", STEP_ABOVE_JS, 200)
    moved = page.evaluate(CANVAS_JS, "reg-fit")
    assert moved["frames"] > 3 and moved["step"] > 0  # frames drawn while playing
    key_button(page, "reg.play_button").click()
    labelled_button(page, "reg.play_button", STRINGS["ctl.play"][lang])  # paused: the button offers Play again
    page.wait_for_function(PAUSED_JS, timeout=WAIT_MS)  # and the canvas shows the paused run's frame
    steps = int(page.locator("#reg-counter").get_attribute("data-step"))
    # MAE instead of MSE: the same run goes on (no reset), the formula changes
    page.locator(f".st-key-wr-loss-{lang} input").first.click()
    page.keyboard.press("ArrowDown")  # opens the list (a click only focuses this combobox)
    page.get_by_role("option", name=STRINGS["rloss.mae.name"][lang], exact=True).click()
    page.wait_for_function("() => location.search.includes('loss=mae')", timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert int(page.locator("#reg-counter").get_attribute("data-step")) == steps
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_inventory_lesson_draws_its_cost_curve(page, server):
    open_lesson_in_browser(page, server[0], "reg_quantile", LOAD_MS, WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_function(CANVAS_JS, arg="reg-inventory", timeout=WAIT_MS)
    inventory = page.evaluate("() => document.getElementById('reg-inventory').__frame.info")
    assert inventory["tau"] == 0.8 and inventory["advice"] in ("raise", "lower", "hold")
    assert page.evaluate(INK_JS, "reg-inventory") > 0.01
    banner = page.locator(".st-key-lesson-banner-regression")
    assert STRINGS["preset.reg_quantile.title"]["en"] in banner.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
