"""Inside the model (2D page) in a real headless Chromium: the forward pass at a typed point (the
hand-checkable network, this run's model), the section staying open across a language switch, linear
regions on the canvas, the hidden space, the logistic boundary's equation, parameter space and
implicit bias. Readiness is an on-page marker, never a sleep."""
from __future__ import annotations

import numpy as np
import pytest

from core.pictures import frame_data as fd
from core.i18n import STRINGS
from core.pictures.render import shade
from tests.support import IDLE_2D_JS as IDLE_JS, key_button, open_section

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixtures skip (or fail under REQUIRE_BROWSER=1)
    PlaywrightTimeout = TimeoutError

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
PATTERN_JS = """([pattern, net]) => { const e = document.getElementById('forward-pass');
  return !!e && e.dataset.pattern === pattern && e.dataset.net === net
         && document.querySelectorAll('[data-stale="true"]').length === 0; }"""
STEP_JS = "() => { const e = document.getElementById('epoch-counter'); return !!e && +e.dataset.step >= 10; }"
ROWS_JS = """() => Object.fromEntries([...document.querySelectorAll('#forward-pass tr')]
  .map(r => [r.id, [...r.children].map(c => c.innerText.trim())]))"""


def type_into(page, key: str, value: float) -> None:
    box = page.locator(f".st-key-{key.replace('.', '-')} input")
    box.fill(str(value))
    box.press("Enter")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_forward_pass_of_the_hand_network_and_of_this_run(page, server, lang):
    page.goto(f"{server[0]}/playground_2d?lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    assert page.locator("#forward-pass").count() == 0  # closed: not built
    page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["fp.section"][lang]).click()
    page.wait_for_function(PATTERN_JS, arg=["100", "hand"], timeout=WAIT_MS)
    rows = page.evaluate(ROWS_JS)
    assert rows["fp-pre-1"] == ["Layer 1: W₁·x + b₁" if lang == "en" else "第 1 层：W₁·x + b₁", "(0.200, -0.200, -0.200)"]
    assert rows["fp-h-1"][1] == "(0.200, 0.000, 0.000)" and rows["fp-z"][1] == "(0.200, 0.000)"
    assert rows["fp-p"] == [STRINGS["fp.p_softmax"][lang], "(0.550, 0.450)"]
    assert rows["fp-weff"][1] == "[(1.000, -1.000), (0.000, 0.000)]"

    # a point typed in: across the line x1 = x2, unit 2 is on instead of unit 1
    type_into(page, "p2d.fp.x1", 0.3)
    page.wait_for_function(PATTERN_JS, arg=["000", "hand"], timeout=WAIT_MS)  # (0.3, 0.3): on the line x1 = x2
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    type_into(page, "p2d.fp.x2", 0.5)
    page.wait_for_function(PATTERN_JS, arg=["010", "hand"], timeout=WAIT_MS)
    assert page.evaluate(ROWS_JS)["fp-z"][1] == "(0.000, 0.200)"

    # this run's model, after ten steps: one logit, p = (1 - σ(z), σ(z)), two hidden layers of 16
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    for attempt in range(3):  # a click while a rerun is still starting can be dropped: press again
        key_button(page, "p2d.step10_button").click()
        try:
            page.wait_for_function(STEP_JS, timeout=WAIT_MS / 3)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.locator(f".st-key-p2d-fp-net-{lang} label", has_text=STRINGS["fp.net.run"][lang]).click()
    page.wait_for_function("() => { const e = document.getElementById('forward-pass');"
                           " return !!e && e.dataset.net === 'run'; }", timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    shown = page.evaluate("() => document.getElementById('forward-pass').dataset")
    assert len(shown["pattern"]) == 16 + 1 + 16
    p0, p1 = (float(v) for v in shown["p"].split(","))
    assert abs(p0 + p1 - 1) < 1e-5
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_section_stays_open_when_the_language_changes(page, server):
    page.goto(f"{server[0]}/playground_2d")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["fp.section"]["en"]).click()
    page.wait_for_function(PATTERN_JS, arg=["100", "hand"], timeout=WAIT_MS)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    page.locator('[data-testid="stExpander"] summary', has_text=STRINGS["fp.section"]["zh"]).wait_for(timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    page.wait_for_function(PATTERN_JS, arg=["100", "hand"], timeout=WAIT_MS)  # still open, rebuilt in Chinese
    assert "W₁·x + b₁" in page.locator("#forward-pass").inner_text()


REGIONS_JS = """() => { const c = document.getElementById('boundary-live'), e = document.getElementById('regions-count');
  return !!c && !!c.__frame && !!c.__frame.regions && !!e && +e.dataset.count > 1
         && document.querySelectorAll('[data-stale="true"]').length === 0; }"""
PIXELS_JS = """() => { const c = document.getElementById('boundary-live'), ctx = c.getContext('2d');
  const d = ctx.getImageData(0, 0, c.width, c.height).data; let sum = 0;
  for (let i = 0; i < d.length; i += 4) sum += d[i] * 3 + d[i + 1] * 5 + d[i + 2] * 7;
  return sum; }"""
CANVAS_JS = """(points) => { const c = document.getElementById('boundary-live'), ctx = c.getContext('2d');
  const k = c.width / c.__frame.static.w;
  return {frame: c.__frame, rgb: points.map(([x, y]) => Array.from(
    ctx.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data.slice(0, 3)))}; }"""


def region_samples(frame) -> tuple[list, list, list, list]:
    """Layout points deep inside one linear region and on the border of two (halfway between neighbouring
    grid nodes of different regions), away from the points and the class boundary, with the class shading
    there: (inside, its shading, border, its shading)."""
    static, r = frame["static"], frame["regions"]
    n = r["n"]
    codes = fd.unb64(r["codes"], "<u2").reshape(n, n)
    probs = fd.decode_probs(frame)
    cls = probs.argmax(-1)
    L, T, PW, PH = static["plot"]
    at = lambda i, j: np.array([L + (j + 0.5) * PW / n, T + (i + 0.5) * PH / n])  # noqa: E731
    points = np.concatenate([fd.decode_points(static["train"]), fd.decode_points(static["test"])])
    clear = lambda p: np.hypot(*(points - p).T).min() > 10  # noqa: E731
    inside, inside_shade, border, border_shade = [], [], [], []
    for i in range(3, n - 3):
        for j in range(3, n - 3):
            near = (slice(i - 2, i + 3), slice(j - 2, j + 3))
            if (cls[near] != cls[i, j]).any():
                continue  # the class boundary's line
            if (codes[near] == codes[i, j]).all() and clear(at(i, j)):
                inside.append(at(i, j))
                inside_shade.append(shade(probs[i, j]))
            one_border = codes[i, j] != codes[i, j + 1] and codes[i - 1, j] == codes[i, j] == codes[i + 1, j]
            if one_border and clear(at(i, j)):
                border.append((at(i, j) + at(i, j + 1)) / 2)
                border_shade.append(shade((probs[i, j] + probs[i, j + 1]) / 2))
    return inside, inside_shade, border, border_shade


def test_linear_regions_are_outlined_over_the_class_shading_and_counted(page, server):
    page.goto(f"{server[0]}/playground_2d?model=mlp&depth=1&width=5&activation=relu")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    before = page.evaluate(PIXELS_JS)
    page.get_by_text(STRINGS["p2d.regions"]["en"], exact=True).click()
    page.wait_for_function(REGIONS_JS, timeout=WAIT_MS)
    shown = page.evaluate("() => document.getElementById('regions-count').dataset")
    assert 2 <= int(shown["count"]) <= int(shown["bound"]) == 16  # 1 + 5 + 10
    assert page.evaluate(PIXELS_JS) != before  # the borders are drawn
    text = page.locator("#regions-count").inner_text()
    assert f"Linear regions in view: at least {shown['count']}," in text and "= 16" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    # Lines, not a mosaic: inside a region the class shading shows as it does without regions; where two
    # regions meet, a thin dark line darkens it.
    inside, inside_shade, border, border_shade = region_samples(page.evaluate(CANVAS_JS, [])["frame"])
    assert len(inside) >= 20 and len(border) >= 5, (len(inside), len(border))
    got = np.array(page.evaluate(CANVAS_JS, [p.tolist() for p in inside + border])["rgb"], dtype=float)
    assert (np.abs(got[:len(inside)] - inside_shade).max(1) <= 8).mean() > 0.9, (got[:len(inside)], inside_shade)
    darker = np.array(border_shade).sum(1) - got[len(inside):].sum(1)
    assert (darker > 40).mean() > 0.7, darker


def test_hidden_space_is_drawn_when_opened(page, server):
    page.goto(f"{server[0]}/playground_2d?model=mlp&depth=2&width=2&activation=relu&lang=zh")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    assert page.locator("#hidden-space").count() == 0
    open_section(page, STRINGS["hs.section"]["zh"], "hidden-space", IDLE_JS, WAIT_MS)
    shown = page.evaluate("() => document.getElementById('hidden-space').dataset")
    assert shown["exact"] == "1" and shown["lines"] in ("0", "1") and int(shown["points"]) > 0
    chart = page.locator('[data-testid="stVegaLiteChart"]').last
    chart.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)  # vega drew it
    assert "h₁" in chart.inner_text() or chart.locator("canvas").count() > 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_logistic_boundary_equation_is_shown_live(page, server):
    page.goto(f"{server[0]}/playground_2d?model=logistic&dataset=exam&lang=zh")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    page.wait_for_selector("#boundary-equation", timeout=WAIT_MS)
    text = page.locator("#boundary-equation").inner_text()
    assert text.startswith("决策边界：") and "x₂ =" in text and STRINGS["eq.units"]["zh"] in text
    static = page.evaluate("() => document.getElementById('boundary-live').__frame.static")
    assert (static["xlabel"], static["ylabel"]) == ("考试 1 成绩", "考试 2 成绩")  # the canvas names both scores
    data = page.evaluate("() => document.getElementById('boundary-equation').dataset")
    assert float(data["w2"]) != 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_parameter_space_is_drawn_for_logistic_regression(page, server, lang):
    page.goto(f"{server[0]}/playground_2d?model=logistic&dataset=blobs&lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    open_section(page, STRINGS["ps.section"][lang], "parameter-space", IDLE_JS, WAIT_MS)
    chart = page.locator('[data-testid="stVegaLiteChart"]').last
    chart.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)  # vega drew the map
    data = page.evaluate("() => document.getElementById('parameter-space').dataset")
    assert int(data["points"]) == 1  # the start: no step yet
    assert "−∇J" in page.locator("#parameter-space").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


IMPLICIT_CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .map(c => c.querySelector('svg')).filter(s => s && s.querySelector('.role-title-text'))
  .map(svg => { const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('.role-title-text, .role-axis-title text, .role-legend-label text')]
      .map(t => { const r = t.getBoundingClientRect();
        return {text: t.textContent, title: t.matches('.role-title-text'), inside: r.left >= box.left - 1 && r.right <= box.right + 1
                && r.top >= box.top - 1 && r.bottom <= box.bottom + 1}; });
    const plot = Math.max(0, ...[...svg.querySelectorAll('.role-axis-grid')].map(g => g.getBoundingClientRect().height));
    return {height: box.height, width: box.width, plot, texts}; })"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_implicit_bias_charts_are_full_width_tall_and_uncut(new_page, server, lang):
    """At 1280×720: the angle chart and the ‖w‖ chart stacked, each plot (its grid) at least 150 px tall and
    nearly the main column's width; every title, axis title and legend label whole (no "…") and inside
    its chart."""
    page = new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server[0]}/playground_2d?lang={lang}")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    open_section(page, STRINGS["ib.section"][lang], "implicit-bias", IDLE_JS, WAIT_MS)
    page.wait_for_function(f"() => ({IMPLICIT_CHARTS_JS})().length >= 2", timeout=WAIT_MS)
    charts = page.evaluate(IMPLICIT_CHARTS_JS)
    titles = [next(t["text"] for t in c["texts"] if t["title"]) for c in charts]
    assert titles == [STRINGS["ib.angle_title"][lang], STRINGS["ib.norm_title"][lang]], titles
    column = page.evaluate("() => document.getElementById('implicit-bias').getBoundingClientRect().width")
    for chart in charts:
        assert chart["plot"] >= 150 and chart["height"] >= 180 and chart["width"] >= 0.9 * column, chart
        for t in chart["texts"]:
            assert "…" not in t["text"] and t["inside"], (t, chart)
    shown = {t["text"] for c in charts for t in c["texts"]}
    assert {STRINGS[k][lang] for k in ("ib.t", "ib.angle", "ib.norm", "ib.gd", "ib.ngd", "ib.theory")} <= shown
    data = page.evaluate("() => Object.fromEntries([...document.getElementById('implicit-bias').attributes]"
                         ".map(a => [a.name, a.value]))")
    assert 4 < float(data["data-gd-angle"]) < 6 and float(data["data-ngd-1000"]) < 1
    assert float(data["data-svm-margin"]) == pytest.approx(5 ** 0.5, rel=1e-5)
    assert page.locator('[data-testid="stException"]').count() == 0
