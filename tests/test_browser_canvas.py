"""The live boundary canvas (ui/live_view.py) in a real Chromium: its pixels show the class shading
deep inside a region, red rings round misclassified points and each first-layer unit's line when that
option is on; it keeps one canvas element across frames; its backing store is CSS size × devicePixelRatio."""
from __future__ import annotations

import numpy as np
import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixtures skip (or fail under REQUIRE_BROWSER=1)
    PlaywrightTimeout = TimeoutError

from core.pictures import frame_data as fd
from core.i18n import STRINGS
from core.pictures.render import shade
from tests.support import key_button, pause_2d

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
RELU_LINK = ("/playground_2d?dataset=blobs&model=mlp&depth=1&width=6&activation=relu&optimizer=adam&lr=0.03"
             "&noise_kind=symmetric&noise_rate=0.15&seed=0")
IDLE_JS = ("() => !!document.getElementById('boundary-live') && !!document.getElementById('epoch-counter')"
           " && document.querySelectorAll('[data-stale=\"true\"]').length === 0"
           " && document.querySelector('[data-testid=\"stApp\"]').dataset.testScriptState === 'notRunning'")
STEP_ABOVE_JS = "(n) => { const e = document.getElementById('epoch-counter'); return !!e && +e.dataset.step > n; }"
FRAME_JS = "() => document.getElementById('boundary-live').__frame"
SIZE_JS = """() => { const c = document.getElementById('boundary-live');
  return {css: c.getBoundingClientRect().width, width: c.width, height: c.height, dpr: window.devicePixelRatio,
          frames: +c.dataset.frames, step: +c.dataset.step}; }"""
PIXELS_JS = """(points) => { const c = document.getElementById('boundary-live');
  const ctx = c.getContext('2d');
  return points.map(([x, y]) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3))); }"""


def open_page(new_page, base: str, query: str, scale: float = 2.0):
    page = new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=scale)
    page.goto(base + query)
    page.wait_for_selector("#boundary-live", timeout=LOAD_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    return page


def train_and_pause(page, steps: int) -> None:
    key_button(page, "p2d.play_button").click()
    page.wait_for_function(STEP_ABOVE_JS, arg=steps, timeout=WAIT_MS)
    pause_2d(page, IDLE_JS, timeout_ms=WAIT_MS)


def pixels(page, layout_points, k: float) -> np.ndarray:
    return np.array(page.evaluate(PIXELS_JS, [[x * k, y * k] for x, y in layout_points]), dtype=float)


def far_from(p, others, distance: float) -> bool:
    return len(others) == 0 or np.hypot(*(np.asarray(others) - p).T).min() > distance


def seg_distance(p, seg) -> float:
    a, b = np.array(seg[:2]), np.array(seg[2:])
    t = np.clip(np.dot(p - a, b - a) / max(np.dot(b - a, b - a), 1e-9), 0, 1)
    return float(np.hypot(*(p - (a + t * (b - a)))))


def test_canvas_pixels_show_shading_mistake_rings_and_unit_lines(server, new_page):
    page = open_page(new_page, server[0], RELU_LINK)
    page.get_by_text(STRINGS["p2d.unit_lines"]["en"], exact=True).click()
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    train_and_pause(page, 300)
    frame = page.evaluate(FRAME_JS)
    size = page.evaluate(SIZE_JS)
    k = size["width"] / frame["static"]["w"]
    static = frame["static"]
    points = np.concatenate([fd.decode_points(static["train"]), fd.decode_points(static["test"])])
    segs = [u["seg"] for u in frame["units"] if u["seg"] is not None]
    assert len(segs) >= 3

    # Shading: grid nodes inside each class (p >= 0.85 around them), away from points and lines, show
    # that class's colour as core/render.shade mixes it (the PIL frame's colours); smoothing between
    # grid nodes may move a pixel only within its neighbours' colours.
    probs = fd.decode_probs(frame)
    n = frame["grid"]["n"]
    L, T, PW, PH = static["plot"]
    for c in range(2):
        nodes = []
        for i, j in zip(*np.nonzero(probs[..., c] >= 0.85)):
            if not (2 <= i < n - 2 and 2 <= j < n - 2):
                continue
            p = np.array([L + (j + 0.5) * PW / n, T + (i + 0.5) * PH / n])
            near = shade(probs[i - 1:i + 2, j - 1:j + 2].reshape(-1, 2))
            if (probs[i - 1:i + 2, j - 1:j + 2, c].min() >= 0.8 and far_from(p, points, 12)
                    and min(seg_distance(p, s) for s in segs) > 6):
                nodes.append((p, shade(probs[i, j]), np.abs(near - shade(probs[i, j])).max()))
        assert len(nodes) >= 3, f"no clear region of class {c}"
        nodes = nodes[::max(1, len(nodes) // 10)][:10]
        got = pixels(page, [p for p, _, _ in nodes], k)
        want = np.array([colour for _, colour, _ in nodes])
        spread = np.array([s for _, _, s in nodes])
        assert (np.abs(got - want).max(1) <= spread + 4).all(), (got, want, spread)
        others = shade(np.eye(2)[1 - c][None])[0]  # the other class's full colour: far from these pixels
        assert (np.abs(got - want).sum(1) < np.abs(got - others).sum(1)).all()

    # Red rings just outside misclassified training points (isolated ones, so no other point covers them).
    wrong = fd.unbits(frame["wrong_train"], static["train"]["n"])
    train = fd.decode_points(static["train"])
    isolated = [p for p, w in zip(train, wrong) if w and far_from(p, points[~np.all(points == p, axis=1)], 14)]
    assert isolated, "no isolated misclassified point to look at"
    for p in isolated[:5]:
        ring = pixels(page, [p + np.array(d) * (static["r"] + 1) for d in ((1, 0), (-1, 0), (0, 1), (0, -1))], k)
        reddest = ring[np.argmax(ring[:, 0] - ring[:, 1])]
        assert reddest[0] > 150 and reddest[1] < 90 and reddest[2] < 90, ring

    # Black outer rings round flipped training labels (isolated ones), outside the red ring's reach.
    flips = fd.unbits(static["train"]["flip"], static["train"]["n"])
    lone_flips = [p for p, f in zip(train, flips) if f and far_from(p, points[~np.all(points == p, axis=1)], 16)]
    assert lone_flips, "no isolated flipped point to look at"
    for p in lone_flips[:5]:
        ring = pixels(page, [p + np.array(d) * (static["r"] + 3) for d in ((1, 0), (-1, 0), (0, 1), (0, -1))], k)
        assert ring.sum(1).min() < 200, ring  # FLIP_RING (20, 20, 20), antialiased

    # Unit lines: along each segment, away from points and other lines, the unit's own colour.
    def line_samples():
        out = []
        for u in frame["units"]:
            if u["seg"] is None:
                continue
            a, b = np.array(u["seg"][:2]), np.array(u["seg"][2:])
            others = [s for s in segs if s != u["seg"]]
            for t in np.linspace(0.15, 0.85, 15):
                p = a + t * (b - a)
                if far_from(p, points, 10) and all(seg_distance(p, s) > 5 for s in others):
                    out.append((p, np.array([int(u["colour"][i:i + 2], 16) for i in (1, 3, 5)])))
        return out

    samples = line_samples()
    assert len(samples) >= 10
    on = pixels(page, [p for p, _ in samples], k)
    colours = np.array([c for _, c in samples])
    close = np.abs(on - colours).sum(1) < 60
    assert close.mean() > 0.8, (on[~close], colours[~close])

    # The option off: the same weights, no unit colours there any more.
    page.get_by_text(STRINGS["p2d.unit_lines"]["en"], exact=True).click()
    page.wait_for_function("() => { const f = document.getElementById('boundary-live').__frame;"
                           " return !!f && f.units === null; }", timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    assert page.evaluate(FRAME_JS)["step"] == frame["step"]
    off = pixels(page, [p for p, _ in samples], k)
    assert (np.abs(off - colours).sum(1) < 60).mean() < 0.2


def test_one_canvas_for_a_whole_play_and_crisp_at_2x(server, new_page):
    page = open_page(new_page, server[0], "/playground_2d", scale=2.0)
    size = page.evaluate(SIZE_JS)
    assert size["dpr"] == 2
    assert abs(size["width"] - round(size["css"] * 2)) <= 1  # one canvas pixel per device pixel: sharp
    assert size["height"] == size["width"]  # the frame is square
    page.evaluate("() => { document.getElementById('boundary-live').__mark = 'same'; }")
    start = size["frames"]
    train_and_pause(page, 100)
    after = page.evaluate(SIZE_JS)
    assert after["frames"] >= start + 3 and after["step"] > 100  # frames drawn, counted on the canvas
    # the same element all along: updated in place, never remounted
    assert page.evaluate("() => document.getElementById('boundary-live').__mark") == "same"
    assert page.evaluate("() => document.querySelectorAll('#boundary-live').length") == 1
    # the axes are titled: the frame carries the titles and they are drawn, under the plot and left of it
    static = page.evaluate(FRAME_JS)["static"]
    assert (static["xlabel"], static["ylabel"]) == ("x₁", "x₂")
    L, T, PW, PH = static["plot"]
    k = after["width"] / static["w"]
    under = [(L + PW / 2 + dx, y) for dx in range(-6, 7) for y in range(T + PH + 22, static["h"] - 1)]
    beside = [(x, T + PH / 2 + dy) for x in range(3, 19) for dy in range(-6, 7)]
    assert pixels(page, under, k).sum(1).min() < 450 and pixels(page, beside, k).sum(1).min() < 450  # grey text


# Calls the drawing function as the frontend does, with a frame `delta` µs newer (negative: older) than
# the last one drawn; returns the probe text shown above the canvas (null: the frame was not drawn).
FRAME_AT_JS = """(delta) => {
  const c = document.getElementById('boundary-live'), root = c.closest('.live-canvas');
  const seq = +root.dataset.seq + delta;
  globalThis.__playgroundLiveCanvas({parentElement: root.parentElement, data: {seq,
    before: '<span id="seq-probe">' + delta + '</span>',
    panels: [{id: 'boundary-live', width: 420, frame: c.__frame, after: ''}]}});
  const probe = document.getElementById('seq-probe');
  return probe ? probe.textContent : null;
}"""


def test_a_frame_older_than_the_one_drawn_is_not_drawn(server, new_page):
    """The frontend imports each update's module before calling it, so two quick updates (the last play
    frame and the paused run's frame) can arrive out of order: the older one must not win."""
    page = open_page(new_page, server[0], "/playground_2d", scale=1.0)
    seq = page.evaluate("() => +document.querySelector('.live-canvas').dataset.seq")
    assert seq > 0
    assert page.evaluate(FRAME_AT_JS, -1) is None  # older: ignored, the status line stays
    assert page.evaluate("() => !!document.getElementById('epoch-counter')")
    assert page.evaluate(FRAME_AT_JS, 1) == "1"  # newer: drawn
    assert page.evaluate(FRAME_AT_JS, 0) == "1"  # the same again: not drawn twice
    assert page.evaluate(FRAME_AT_JS, -120_000_000) == "-120000000"  # 2 min older: a restarted server's clock


# A module frame carrying new points (a new static token) drawn after the newer frame behind it, which names
# those points by token alone (its module's import took longer): returns how many of the two were drawn.
LATE_POINTS_JS = """() => {
  const c = document.getElementById('boundary-live'), root = c.closest('.live-canvas');
  const f = c.__frame, token = 'late-points', seq = +root.dataset.seq, drawn = +c.dataset.frames;
  const call = (s, frame) => globalThis.__playgroundLiveCanvas({parentElement: root.parentElement,
    data: {seq: s, before: '', panels: [{id: 'boundary-live', width: 420, frame, after: ''}]}});
  call(seq + 2, Object.assign({}, f, {static: {token}}));  // the newer frame arrives first: its points unknown
  call(seq + 1, Object.assign({}, f, {static: Object.assign({}, f.static, {token})}));  // the late module frame
  call(seq + 3, Object.assign({}, f, {static: {token}}));  // the next frame: by token alone
  return +c.dataset.frames - drawn;
}"""


def test_a_late_frame_is_not_drawn_but_its_points_serve_the_frames_after_it(server, new_page):
    """Without the late frame's points the page would draw nothing until the next module frame, a second
    later: the freeze a click (a rerun) sometimes caused while playing."""
    page = open_page(new_page, server[0], "/playground_2d", scale=1.0)
    assert page.evaluate(LATE_POINTS_JS) == 1  # only the last: the first named unknown points, the second was late


def test_logistic_line_and_point_sizes_by_pull_on_the_canvas(server, new_page):
    page = open_page(new_page, server[0], "/playground_2d?dataset=blobs&model=logistic&noise_kind=symmetric"
                     "&noise_rate=0.2&loss=exponential&optimizer=sgd&lr=1.0&seed=0", scale=2.0)  # pulls past the cap
    page.get_by_text(STRINGS["pull.toggle"]["en"], exact=True).click()
    page.wait_for_function("() => { const f = document.getElementById('boundary-live').__frame;"
                           " return !!f && f.pull !== null; }", timeout=WAIT_MS)
    train_and_pause(page, 150)
    frame = page.evaluate(FRAME_JS)
    static = frame["static"]
    k = page.evaluate(SIZE_JS)["width"] / static["w"]
    train, test = fd.decode_points(static["train"]), fd.decode_points(static["test"])
    points = np.concatenate([train, test])
    # the logistic line w·x + b = 0: black along its segment, away from the points
    assert frame["line"] is not None
    a, b = np.array(frame["line"][:2]), np.array(frame["line"][2:])
    along = [a + t * (b - a) for t in np.linspace(0.05, 0.95, 40)]
    along = [p for p in along if far_from(p, points, 12)]
    assert len(along) >= 5
    assert (pixels(page, along, k).sum(1) < 150).mean() > 0.8  # black, 2 px wide
    # pull: a big point's disc reaches past the usual radius in its label's colour; a tiny one's does not
    radii = fd.unb64(frame["pull"], np.uint8) / fd.RADIUS_UNITS
    capped = fd.unbits(frame["pull_capped"], static["train"]["n"])
    labels = fd.unb64(static["train"]["label"], np.uint8)
    wrong = fd.unbits(frame["wrong_train"], static["train"]["n"])
    assert radii.max() >= 5 and capped.any(), (radii.max(), capped.sum())  # well past the usual 3.5 px: the cap
    assert (radii[capped] == radii.max()).all()
    # the biggest discs are drawn last; of those, the one with most room (others' discs and rings may cross it)
    others = lambda j: np.delete(points, j, axis=0)  # noqa: E731
    i = max(np.flatnonzero(capped), key=lambda j: np.hypot(*(others(j) - train[j]).T).min())
    colour = np.array([int(frame["colours"][labels[i]][j:j + 2], 16) for j in (1, 3, 5)])
    # inside the disc, past the usual 3.5 px radius and inside its 2 px edge; where no other point reaches
    directions = [np.array((np.cos(a), np.sin(a))) for a in np.linspace(0, 2 * np.pi, 16, endpoint=False)]
    clear = [d for d in directions if far_from(train[i] + d * radii[i], others(i), radii.max() + 7)]
    assert len(clear) >= 3, (i, len(clear))
    inside = pixels(page, [train[i] + d * (radii[i] - 3) for d in clear], k)
    assert (np.abs(inside - colour).sum(1) < 60).mean() >= 0.75, (inside, colour, radii[i], wrong[i])
    # a capped disc's edge is grey (it pulls harder than drawn)
    edge = pixels(page, [train[i] + d * (radii[i] - 1) for d in clear], k)
    grey = np.array([int(static["colours"]["capped"][j:j + 2], 16) for j in (1, 3, 5)])
    assert (np.abs(edge - grey).sum(1) < 60).mean() >= 0.75, (edge, grey)
    small = [j for j in np.argsort(radii) if radii[j] <= 2 and far_from(train[j], points[
        ~np.all(points == train[j], axis=1)], 14) and not wrong[j]]
    if small:  # a point that pulls little is drawn small: its usual radius shows the shading, not its colour
        j = small[0]
        ring = pixels(page, [train[j] + np.array(d) * 3.0 for d in directions], k)
        label_colour = np.array([int(frame["colours"][labels[j]][c:c + 2], 16) for c in (1, 3, 5)])
        assert (np.abs(ring - label_colour).sum(1) < 40).mean() < 0.5, ring


CANVAS_PNG_JS = """() => { const c = document.getElementById('boundary-live');
  return {url: c.toDataURL('image/png'), width: c.width}; }"""


def pil_reference(frame: dict):
    """The PIL frame (core/render.BoundaryPainter, the reference drawing) of the same data, at scale 1."""
    from core.pictures.render import Grid
    from core.pictures.render import BoundaryPainter
    static = frame["static"]
    layout = fd.Layout(static["bounds"], fd.static_frame(static))
    x_min, _, _, y_max = layout.bounds

    def to_data(px):
        px = np.asarray(px, dtype=np.float64).reshape(-1, 2)
        return np.stack([x_min + (px[:, 0] - layout.frame.left) / layout.sx,
                         y_max - (px[:, 1] - layout.frame.top) / layout.sy], axis=1)

    probs = fd.decode_probs(frame)
    painter = BoundaryPainter(layout.bounds, X_train=to_data(fd.decode_points(static["train"])),
                              y_train=fd.unb64(static["train"]["label"], np.uint8),
                              flipped=fd.unbits(static["train"]["flip"], static["train"]["n"]),
                              X_test=to_data(fd.decode_points(static["test"])),
                              y_test=fd.unb64(static["test"]["label"], np.uint8), frame=layout.frame)
    units = [None if u["seg"] is None else tuple(map(tuple, to_data(u["seg"]))) for u in frame["units"] or ()]
    return painter.paint(Grid(layout.bounds, probs),
                         wrong_train=fd.unbits(frame["wrong_train"], static["train"]["n"]),
                         wrong_test=fd.unbits(frame["wrong_test"], static["test"]["n"]), unit_lines=units or None)


def test_the_canvas_looks_like_the_pil_reference_frame(server, new_page):
    import base64
    import io

    from PIL import Image
    page = open_page(new_page, server[0], RELU_LINK, scale=1.0)
    page.get_by_text(STRINGS["p2d.unit_lines"]["en"], exact=True).click()
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
    train_and_pause(page, 200)
    # exactly the reference's size: one canvas pixel per layout pixel
    page.evaluate("() => document.getElementById('boundary-live').style.setProperty('width', '420px', 'important')")
    page.wait_for_function("() => document.getElementById('boundary-live').width === 420", timeout=WAIT_MS)
    shot = page.evaluate(CANVAS_PNG_JS)
    canvas = np.asarray(Image.open(io.BytesIO(base64.b64decode(shot["url"].split(",", 1)[1]))).convert("RGB"),
                        dtype=float)
    reference = np.asarray(pil_reference(page.evaluate(FRAME_JS)), dtype=float)
    assert canvas.shape == reference.shape == (420, 420, 3)
    # The same picture up to antialiasing (the canvas smooths edges, PIL does not), the axis labels'
    # font and the axis titles (PIL draws no words): compared as 10×10-pixel block means (sum of |RGB| differences).
    blocks = lambda a: a.reshape(42, 10, 42, 10, 3).mean((1, 3))  # noqa: E731
    diff = np.abs(blocks(canvas) - blocks(reference)).sum(-1)
    assert diff.mean() < 12, diff.mean()
    assert (diff > 60).mean() < 0.01, (diff > 60).mean()
