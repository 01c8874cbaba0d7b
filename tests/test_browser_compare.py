"""The comparison page, a classroom preset and the run history in a real headless Chromium.

Uses the session server and browser of conftest.py; every test opens a fresh page (its own
Streamlit session). Readiness is always an on-page marker (#compare-counter and its data-step,
the live canvases and images, the data grid's accessible table), never a fixed sleep; the only sleeps are
short pauses inside polling loops with a deadline.

st.dataframe draws on a <canvas>; its cells are mirrored in a hidden <table role="grid"> inside
the canvas (for screen readers), which is what these tests read.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlparse

import pytest

from core.runs.compare import CompareConfig
from core.app.labels import label_text, run_labels as core_run_labels
from core.i18n import STRINGS
from core.lessons.presets import preset
from tests.support import counter_step_js, labelled_button, read_counter_step

pytestmark = pytest.mark.browser

LOAD_MS = 90_000  # first page load on a busy 2-core machine (imports, first run, first frame)
WAIT_MS = 45_000

PRESET = preset("noise_ce_vs_gce")
PRESET_TITLE = STRINGS["preset.noise_ce_vs_gce.title"]["en"]  # "Label noise: cross-entropy memorises, GCE resists"
OPEN_LESSON = STRINGS["home.open_preset"]["en"]  # "Open this lesson"

# #compare-counter is replaced on every frame and missing for a moment during reruns: null-safe reads.
STEP_JS = counter_step_js("compare-counter")
STEP_ABOVE_JS = ("(n) => { const e = document.querySelector('#compare-counter');"
                 " return !!e && +e.dataset.step > n; }")
# The script run is over: counter shown, no element marked stale (never true while playing).
RUN_DONE_JS = ("() => !!document.querySelector('#compare-counter')"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
# Counts pixel changes of several <img id=...> or live <canvas id=...> independently
# (tests.support.FRAME_COUNTER_JS for many ids): a 64x64 hash of the picture, taken on every
# animation frame when the src (an image) or the count of drawn frames (a canvas) changed.
PIXEL_WATCH_JS = """
(ids) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const w = window.__pix = {};
  for (const id of ids) w[id] = {changes: 0, last: null, lastSrc: null};
  const tick = () => {
    for (const id of ids) {
      const img = document.getElementById(id), s = w[id];
      const isCanvas = !!img && img.tagName === 'CANVAS';
      const mark = isCanvas ? +img.dataset.frames || 0 : img && img.src;
      if (img && (isCanvas ? mark > 0 : img.complete && img.naturalWidth > 0) && mark !== s.lastSrc) {
        s.lastSrc = mark;
        ctx.clearRect(0, 0, 64, 64);
        ctx.drawImage(img, 0, 0, 64, 64);
        const px = ctx.getImageData(0, 0, 64, 64).data;
        let h = 0;
        for (let i = 0; i < px.length; i += 4) h = (h * 31 + px[i] + 7 * px[i + 1] + 13 * px[i + 2]) | 0;
        if (s.last !== null && h !== s.last) s.changes++;
        s.last = h;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""
PIXELS_CHANGED_JS = "([ids, n]) => !!window.__pix && ids.every(id => window.__pix[id].changes >= n)"
# The rows of the first st.dataframe whose header has `column` (null while none is there).
GRID_ROWS_JS = """
(column) => {
  for (const t of document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"]')) {
    const rows = [...t.querySelectorAll('tr')].map(r => [...r.children].map(c => c.textContent));
    if (rows.length && rows[0].includes(column)) return rows;
  }
  return null;
}
"""
# After Pause: the script run is over and the "Final metrics" table shows every run at the
# counter's step (its steps were 0 before Play, so a table left over from then cannot pass).
FINAL_TABLE_AT_COUNTER_JS = """
([runCol, stepsCol, nRuns]) => {
  const c = document.querySelector('#compare-counter');
  if (!c || document.querySelectorAll('[data-stale="true"]').length) return null;
  for (const t of document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"]')) {
    const rows = [...t.querySelectorAll('tr')].map(r => [...r.children].map(e => e.textContent));
    if (!rows.length || !rows[0].includes(runCol)) continue;
    const j = rows[0].indexOf(stepsCol), body = rows.slice(1);
    if (body.length === nRuns && body.every(r => +r[j] === +c.dataset.step && +r[j] > 0))
      return {step: +c.dataset.step, rows};
  }
  return null;
}
"""


def button(page, key: str, label: str):
    """The button of widget key `key`, once it reads `label` (its accessible name also holds the
    shortcut's hint, so it is found by key, not by name)."""
    return labelled_button(page, key, label, WAIT_MS)


def step_of(page) -> int | None:
    return page.evaluate(STEP_JS)


def read_step(page, timeout: float = 10.0) -> int:
    return read_counter_step(page, "compare-counter", timeout)


def wait_step_above(page, n: int, timeout: float = WAIT_MS) -> int:
    page.wait_for_function(STEP_ABOVE_JS, arg=n, timeout=timeout)
    return read_step(page)


def wait_compare_ready(page) -> None:
    """The comparison page has drawn its counter, both live boundaries and the curves, and the
    script run is over."""
    # An exception stops the script before the counter: fail at once, with its text.
    page.wait_for_selector('#compare-counter, [data-testid="stException"]', state="attached", timeout=LOAD_MS)
    assert_no_exception(page)
    for img in ("#compare-boundary-1", "#compare-boundary-2", "#compare-curves"):
        page.wait_for_selector(img, timeout=WAIT_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"Streamlit exception on the page: {exc.first.inner_text()[:2000]}"


def run_labels(page) -> list[str]:
    """The coloured run headings above the boundaries ("■ Run 1", "■ Run 2: loss=gce, ...")."""
    return [t.strip() for t in page.locator('[data-testid="stMain"] [data-testid="stHtml"]').all_inner_texts()
            if t.strip().startswith("■")]


# ---------------------------------------------------------------------------------------------


def test_compare_play_animates_both_runs_and_pause_shows_final_metrics(server, page):
    base, _ = server
    page.goto(f"{base}/compare")
    wait_compare_ready(page)
    assert step_of(page) == 0
    assert_no_exception(page)
    labels = run_labels(page)
    assert len(labels) == 2 and labels[0].startswith("■ Run 1") and labels[1].startswith("■ Run 2"), labels

    boundaries = ["compare-boundary-1", "compare-boundary-2"]
    page.evaluate(PIXEL_WATCH_JS, boundaries + ["compare-curves"])
    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"]).click()
    # Both live boundaries really change on screen (pixels, not just the src attribute) ...
    page.wait_for_function(PIXELS_CHANGED_JS, arg=[boundaries, 3], timeout=WAIT_MS)
    # ... and the counter keeps growing.
    s1 = wait_step_above(page, 0)
    s2 = wait_step_above(page, s1)
    assert s2 > s1 > 0
    # The overlaid curves image is there (and redrawn while playing).
    page.wait_for_selector("#compare-curves", state="attached", timeout=WAIT_MS)
    page.wait_for_function(PIXELS_CHANGED_JS, arg=[["compare-curves"], 1], timeout=WAIT_MS)
    assert_no_exception(page)

    pause = button(page, "cmp.play_button", STRINGS["ctl.pause"]["en"])
    pause.wait_for(timeout=WAIT_MS)
    pause.click()
    expect_text = STRINGS["cmp.table"]["en"]  # "Final metrics"
    page.get_by_role("heading", name=expect_text).wait_for(timeout=WAIT_MS)
    final = page.wait_for_function(
        FINAL_TABLE_AT_COUNTER_JS,
        arg=[STRINGS["cmp.col.run"]["en"], STRINGS["cmp.col.steps"]["en"], 2], timeout=WAIT_MS).json_value()
    assert final["step"] >= s2
    table_runs = [r[final["rows"][0].index(STRINGS["cmp.col.run"]["en"])] for r in final["rows"][1:]]
    assert table_runs == [label.lstrip("■ ").strip() for label in labels], (table_runs, labels)
    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"])  # waits until the button is back to Play
    assert_no_exception(page)


def test_preset_from_landing_page_opens_compare(server, page):
    base, _ = server
    page.goto(base)
    title = page.get_by_text(PRESET_TITLE, exact=True)
    title.wait_for(timeout=LOAD_MS)
    # The innermost block that holds the lesson's title is its bordered card; its one button opens it.
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=title).last
    lesson_button = card.get_by_role("button", name=OPEN_LESSON, exact=True)
    lesson_button.wait_for(timeout=WAIT_MS)  # the buttons arrive a moment after the titles
    assert lesson_button.count() == 1
    lesson_button.click()

    page.wait_for_url(re.compile(r"/compare(\?|$)"), timeout=LOAD_MS)
    wait_compare_ready(page)  # fails at once with the exception's text if the lesson breaks the page
    # The address bar carries the lesson's settings (synced by the page once it has run). The
    # default comparison is CE vs GCE too, so check values only the preset sets as well.
    page.wait_for_function("() => location.search.includes('r2.loss=gce')", timeout=WAIT_MS)
    assert "r2.loss=gce" in page.url
    # Every setting of the lesson, not only the loss (the page's default comparison is CE vs GCE
    # too): the address bar is the lesson's comparison, normalised like the page writes it.
    wanted = CompareConfig.from_query(PRESET.params)[0].to_query()
    shown = dict(parse_qsl(urlparse(page.url).query))
    shown.pop("lang", None)
    assert shown.pop("lesson", None) == "noise_ce_vs_gce", page.url  # the address bar is a lesson link
    assert shown == wanted, f"address bar {shown} != lesson {wanted}"
    labels = run_labels(page)
    assert len(labels) == 2, labels
    spec = CompareConfig.from_query(PRESET.params)[0]
    assert labels == [f"■ {label_text(parts, 'en')}" for parts in core_run_labels(spec)], labels
    assert "GCE" in labels[1] and labels[1].startswith("■ Run 2"), labels
    assert step_of(page) == 0
    assert_no_exception(page)

    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"]).click()
    s1 = wait_step_above(page, 0)
    wait_step_above(page, s1)
    assert_no_exception(page)
    # Stop training before the next test (2 cores): the run is over once Play is back.
    button(page, "cmp.play_button", STRINGS["ctl.pause"]["en"]).click()
    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"])  # waits for it
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    assert_no_exception(page)


def test_run_history_lists_runs_of_this_session(server, page):
    base, _ = server
    page.goto(f"{base}/playground_2d")
    page.wait_for_selector("#epoch-counter", state="attached", timeout=LOAD_MS)
    # {step} once the script run is over and the step is above n (null until then).
    done_above = ("(n) => { const e = document.querySelector('#epoch-counter');"
                  " if (!e || document.querySelectorAll('[data-stale=\"true\"]').length) return null;"
                  " return +e.dataset.step > n ? {step: +e.dataset.step} : null; }")
    step = page.wait_for_function(done_above, arg=-1, timeout=WAIT_MS).json_value()["step"]
    assert step == 0
    for _ in range(2):
        button(page, "p2d.step_button", STRINGS["ctl.step"]["en"]).click()
        step = page.wait_for_function(done_above, arg=step, timeout=WAIT_MS).json_value()["step"]
    assert step > 0

    # The history lives in the Streamlit session: go there with the app's own navigation
    # (a page.goto would open a new session, whose history is empty).
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=STRINGS["nav.runs"]["en"]).click()
    page.wait_for_url(re.compile(r"/runs(\?|$)"), timeout=WAIT_MS)
    page.get_by_role("heading", name=STRINGS["runs.title"]["en"]).wait_for(timeout=WAIT_MS)
    rows = page.wait_for_function(GRID_ROWS_JS, arg=STRINGS["runs.col.page"]["en"], timeout=WAIT_MS).json_value()
    header, body = rows[0], rows[1:]
    assert len(body) >= 1, rows
    run = dict(zip(header, body[0]))
    assert run[STRINGS["runs.col.page"]["en"]] == STRINGS["runs.page.2d"]["en"], run
    assert int(run[STRINGS["runs.col.steps"]["en"]]) == step, (run, step)
    assert page.get_by_text(STRINGS["runs.empty"]["en"]).count() == 0
    assert_no_exception(page)


REGRESSION_LINK = "kind=regression&runs=3&r1.loss=mse&r2.loss=mae&r3.loss=huber&outlier_fraction=0.1"
# The overlay canvas's last drawn frame: its step and how many fitted curves (and the truth) it drew.
OVERLAY_JS = """
() => {
  const c = document.getElementById('compare-overlay');
  if (!c || !c.__frame) return null;
  const curves = c.__frame.curves || [];
  return {step: +c.dataset.step, drawn: +c.dataset.frames || 0, fits: curves.filter(k => k.role === 'fit').length,
          truth: curves.filter(k => k.role === 'truth').length, colours: curves.filter(k => k.role === 'fit').map(k => k.colour)};
}
"""


def test_regression_comparison_plays_and_overlays_three_fits(server, page):
    base, _ = server
    page.goto(f"{base}/compare?{REGRESSION_LINK}")
    page.wait_for_selector('#compare-counter, [data-testid="stException"]', state="attached", timeout=LOAD_MS)
    assert_no_exception(page)
    page.wait_for_selector("#compare-overlay", timeout=WAIT_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    assert step_of(page) == 0
    assert page.locator(".cmpr-status").count() == 3
    assert page.locator(".cmpr-legend-run").all_inner_texts() == ["— Run 1 · MSE", "— Run 2 · MAE",
                                                                   "— Run 3 · Huber δ=1"]

    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"]).click()
    wait_step_above(page, 100, timeout=LOAD_MS)  # the on-page counter: every run at the same step
    assert_no_exception(page)
    button(page, "cmp.play_button", STRINGS["ctl.pause"]["en"]).click()
    button(page, "cmp.play_button", STRINGS["ctl.play"]["en"])  # waits until the run is over
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    assert_no_exception(page)
    drawn = page.wait_for_function(f"() => {{ const o = ({OVERLAY_JS})(); return o && o.step > 100 ? o : null; }}",
                                   timeout=WAIT_MS).json_value()
    assert drawn["fits"] == 3 and drawn["truth"] == 1 and len(set(drawn["colours"])) == 3, drawn
    steps = {int(s) for s in page.eval_on_selector_all(".cmpr-status", "els => els.map(e => e.dataset.step)")}
    assert steps == {read_step(page)}, steps  # three status lines, in lockstep
