"""The projector view in a real Chromium: at 1280×720 the boundary, the status
line and both curves fit on one screen; the keyboard plays, pauses and steps; a presentation link
hides the sidebar, gives the boundary the room and draws it with more pixels than it shows; a
hide= link hides exactly the controls it names. The boundary is a canvas drawn in the browser: its
backing store is its CSS size × the screen's pixel ratio (sharp on hi-DPI screens, zoom and projectors)."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from tests.support import read_counter_step

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
SCREEN = {"width": 1280, "height": 720}
IDLE_JS = "() => !!document.getElementById('acc-live') && document.querySelectorAll('[data-stale=\"true\"]').length === 0"
STEP_ABOVE_JS = "(n) => { const e = document.getElementById('epoch-counter'); return !!e && +e.dataset.step > n; }"
# Each live element's box in the viewport, the boundary canvas's pixel width and the screen's pixel ratio.
BOXES_JS = """() => {
  const box = id => { const r = document.getElementById(id).getBoundingClientRect();
                      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width}; };
  return {boundary: box('boundary-live'), status: box('epoch-counter'), loss: box('loss-live'),
          acc: box('acc-live'), natural: document.getElementById('boundary-live').width, dpr: window.devicePixelRatio};
}"""


@pytest.fixture
def page_at(server, new_page):
    def make(query: str = ""):
        page = new_page(viewport=SCREEN)
        page.goto(f"{server[0]}/playground_2d{query}")
        page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
        page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
        return page
    return make


def assert_on_screen(boxes: dict) -> None:
    for name in [n for n in ("boundary", "status", "loss", "acc") if n in boxes]:
        b = boxes[name]
        assert b["top"] >= 0 and b["left"] >= 0, (name, b)
        assert b["bottom"] <= SCREEN["height"] and b["right"] <= SCREEN["width"], (name, b)


def test_keyboard_steps_plays_and_pauses_and_the_live_view_fits_1280x720(page_at):
    page = page_at()
    page.keyboard.press("ArrowRight")  # → : exactly one optimizer step
    page.wait_for_function(STEP_ABOVE_JS, arg=0, timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert read_counter_step(page, "epoch-counter") == 1
    page.keyboard.press("Space")  # play
    page.wait_for_function(STEP_ABOVE_JS, arg=200, timeout=WAIT_MS)
    page.keyboard.press("Space")  # pause
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    paused_at = read_counter_step(page, "epoch-counter")
    page.wait_for_timeout(1500)  # paused: the counter must stand still (an absence, so a short watch)
    assert read_counter_step(page, "epoch-counter") == paused_at
    boxes = page.evaluate(BOXES_JS)
    assert_on_screen(boxes)
    assert boxes["natural"] >= boxes["boundary"]["width"] - 1  # never shown larger than drawn


def test_presentation_link_hides_the_sidebar_and_enlarges_the_boundary(page_at):
    normal = page_at().evaluate(BOXES_JS)
    page = page_at("?present=1")
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    assert page.get_by_role("heading", name=STRINGS["p2d.title"]["en"], exact=True).count() == 0
    boxes = page.evaluate(BOXES_JS)
    assert_on_screen(boxes)
    assert boxes["boundary"]["width"] > normal["boundary"]["width"] * 1.15, (boxes, normal)
    assert abs(boxes["natural"] - round(boxes["boundary"]["width"])) <= 1  # one canvas pixel per screen pixel
    assert "present=1" in page.url
    # The way back is on the page itself.
    page.locator(".st-key-view-present_toggle label").click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                           " && document.querySelector('[data-testid=\"stSidebar\"]').offsetParent !== null",
                           timeout=WAIT_MS)
    page.wait_for_function("() => !location.search.includes('present=1')", timeout=WAIT_MS)


def test_a_hide_link_hides_exactly_the_named_controls(page_at):
    page = page_at("?hide=lr,loss,edits&edits=a0.5,0.25,1")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator(".st-key-w2d-edits-group").count() == 1  # the click-edit group, whole
    assert sidebar.locator(".st-key-w2d-edits-group").is_hidden()
    tally = page.locator(".st-key-w2d-edits-live")  # and the count with its Clear button, under the picture
    assert tally.count() == 1 and tally.is_hidden()
    assert sidebar.locator(".st-key-w2d-lr").is_hidden()
    assert sidebar.locator(".st-key-w2d-loss-en").is_hidden()
    assert sidebar.locator(".st-key-w2d-batch_size-en").is_visible()
    assert sidebar.locator(".st-key-w2d-optimizer-en").is_visible()
    assert "hide=lr%2Closs%2Cedits" in page.url or "hide=lr,loss,edits" in page.url


@pytest.mark.parametrize("ratio", [1.5, 2.0])
def test_presentation_on_a_zoomed_or_hi_dpi_screen_draws_a_pixel_per_screen_pixel(server, new_page, ratio):
    """device_scale_factor 1.5 is what Chromium reports at 150% zoom on a plain screen, 2 a hi-DPI laptop."""
    page = new_page(viewport=SCREEN, device_scale_factor=ratio)
    page.goto(f"{server[0]}/playground_2d?present=1")
    page.wait_for_selector("#boundary-live", timeout=LOAD_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    boxes = page.evaluate(BOXES_JS)
    assert boxes["dpr"] == ratio
    assert abs(boxes["natural"] - round(boxes["boundary"]["width"] * ratio)) <= 1  # CSS size × pixel ratio
    assert_on_screen(boxes)


def test_collapsing_the_sidebar_gives_the_boundary_the_room(server, new_page):
    page = new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{server[0]}/playground_2d")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    before = page.evaluate(BOXES_JS)["boundary"]["width"]
    page.locator('[data-testid="stSidebar"]').hover()  # the collapse button shows on hover
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    page.wait_for_function("(w) => document.getElementById('boundary-live').getBoundingClientRect().width > w * 1.15",
                           arg=before, timeout=WAIT_MS)


def test_something_shown_above_the_paused_boundary_fits_it_to_the_screen_again(page_at):
    """An alert shown above the picture after its last frame (a divergence's note, while paused: no frame follows)
    would push its bottom off a 1280×720 screen: the picture fits itself again when the page's column changes."""
    page = page_at()
    bottom = page.evaluate(BOXES_JS)["boundary"]["bottom"]
    assert bottom <= SCREEN["height"]
    page.evaluate("""() => { const note = document.createElement('div'); note.id = 'pushed-down';
      note.style.height = '150px'; const c = document.getElementById('boundary-live');
      c.closest('[data-testid="stMainBlockContainer"]').prepend(note); }""")
    page.wait_for_function("(h) => document.getElementById('boundary-live').getBoundingClientRect().bottom <= h",
                           arg=SCREEN["height"], timeout=WAIT_MS)
    assert page.evaluate(BOXES_JS)["boundary"]["top"] >= 150  # (below the note: it moved down, and shrank)


def test_presentation_keeps_the_one_control_a_lesson_asks_to_change(page_at):
    """The lesson says "switch the loss to cross-entropy in the sidebar while it plays": presented, the
    sidebar shows that control alone."""
    page = page_at("?lesson=exp_pull&present=1")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.is_visible()
    assert sidebar.locator(".st-key-w2d-loss-en").is_visible()
    assert sidebar.locator(".st-key-w2d-lr").is_hidden()
    assert sidebar.locator(".st-key-w2d-dataset-en").is_hidden()
    boxes = page.evaluate(BOXES_JS)  # with the lesson's banner up: the boundary and the status line
    assert_on_screen({name: boxes[name] for name in ("boundary", "status")})


@pytest.mark.parametrize("path, picture, counter", [("compare", "compare-boundary-1", "compare-counter"),
                                                     ("regression", "reg-fit", "reg-counter")])
def test_presentation_enlarges_every_pages_main_picture(server, new_page, path, picture, counter):
    """Compare's boundaries and the regression fit too: presented, each fills its wider column, up to the
    screen's bottom edge."""
    widths = []
    for query in ("", "?present=1"):
        page = new_page(viewport=SCREEN)
        page.goto(f"{server[0]}/{path}{query}")
        page.wait_for_selector(f"#{counter}", timeout=LOAD_MS)
        page.wait_for_selector(f"#{picture}", timeout=LOAD_MS)
        page.wait_for_function("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=WAIT_MS)
        box = page.evaluate(f"() => document.getElementById('{picture}').getBoundingClientRect().toJSON()")
        assert box["bottom"] <= SCREEN["height"], (query, box)
        widths.append(box["width"])
    assert widths[1] > widths[0] * 1.15, widths
