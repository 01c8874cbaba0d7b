"""The Loss lab's charts read from the back of a room at 1280×720, in English and 中文: every chart in every
tab is at least 400 px wide with a plot at least 200 px tall, its legend sits below the plot, and no title
is cut (Vega ends a cut title with "…"; a whole one fits inside its chart)."""
from __future__ import annotations

import pytest

from core.i18n import translate
from core.lessons.losslab_config import LossLabConfig
from core.app.pages import page as page_info

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
SCREEN = {"width": 1280, "height": 720}
# Per drawn chart: its size, its plot's (the grid's) box, its legend's box and each title line's text and box.
CHARTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks')).map(svg => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const titles = Array.from(svg.querySelectorAll('.role-title-text text'));
  return {chart: box(svg), plot: box(svg.querySelector('.role-axis-grid')),
          legend: box(svg.querySelector('.role-legend')),
          titles: titles.map(e => ({text: e.textContent, box: box(e)}))};
})"""
READY_JS = """(n) => document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks .role-title-text').length >= n
  && document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'notRunning'"""
# the tabs with charts: how many each draws, and the titles they must show whole
SECTIONS = {
    "margin": (4, [("lab.margin.loss_chart", {}), ("lab.margin.pull_chart", {}),
                   ("lab.margin.multi_loss_chart", {"k": 3}), ("lab.margin.weight_chart", {"k": 3})]),
    "score": (1, [("lab.score.chart", {"p": "0.7"})]),
    "fisher": (1, [("lab.fisher.chart", {"loss": None})]),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_chart_is_large_with_its_legend_below_and_its_title_whole(server, new_page, section, lang):
    count, titles = SECTIONS[section]
    page = new_page(viewport=SCREEN)
    page.goto(f"{server[0]}/{page_info('lab').url_path}?section={section}&lang={lang}")
    page.wait_for_function(READY_JS, arg=count, timeout=LOAD_MS)
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) == count
    for chart in charts:
        c, plot, legend = chart["chart"], chart["plot"], chart["legend"]
        assert c["right"] - c["left"] >= 400 and plot["bottom"] - plot["top"] >= 200, chart
        assert legend is None or legend["top"] >= plot["bottom"], chart  # below the plot, not beside it
        for line in chart["titles"]:
            assert not line["text"].endswith("…"), line
            assert c["left"] <= line["box"]["left"] and line["box"]["right"] <= c["right"] + 0.5, (line, c)
    shown = [" ".join(line["text"] for line in chart["titles"]) for chart in charts]
    for (key, fields), text in zip(titles, shown):
        if "loss" in fields:  # the Fisher chart names the loss picked
            fields = {"loss": translate(f"loss.{LossLabConfig().fisher_loss}.name", lang)}
        assert text == translate(key, lang, **fields)
    assert page.locator('[data-testid="stException"]').count() == 0
